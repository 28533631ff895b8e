import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkClassified,
  checkClassifierMessage,
  checkResultsMessage,
  MESSAGE_LIMITS,
  notificationText,
} from '../../src/shared/messageChecks';
import { parseSavedRun, type SavedRun } from '../../src/shared/savedRun';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { savedRunFixture } from './runFixtures';

function run(): SavedRun {
  return savedRunFixture({
    settings: { ...DEFAULT_SETTINGS, epochs: 2 },
    history: [
      { epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1.1, valAccuracy: 0.4, seconds: 1 },
      { epoch: 2, loss: 0.8, accuracy: 0.6, valLoss: 1, valAccuracy: 0.5, seconds: 1 },
    ],
    predictions: [{ pixels: Array(784).fill(7), trueLabel: 3, predictedClass: 3, probabilities: Array(10).fill(0.1) }],
  });
}

function saveRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'saveModel',
    requestId: 1,
    modelTopology: { class_name: 'Sequential' },
    weightSpecs: [{ name: 'dense/kernel', shape: [2, 3], dtype: 'float32' }],
    weightData: new ArrayBuffer(24),
    run: run(),
    ...overrides,
  };
}

describe('checks of what panels send', () => {
  it('lets the messages a real panel sends through', () => {
    assert.equal(checkClassifierMessage({ type: 'ready' })?.type, 'ready');
    assert.equal(checkClassifierMessage(saveRequest())?.type, 'saveModel');
    assert.equal(
      checkClassifierMessage({
        type: 'userAction',
        action: { kind: 'openSetting', setting: 'fashionClassifier.epochs' },
      })?.type,
      'userAction',
    );
    assert.equal(
      checkClassifierMessage({ type: 'trainingProgress', epoch: 2, epochs: 5, fraction: 0.3, secondsLeft: null })?.type,
      'trainingProgress',
    );
    assert.equal(checkResultsMessage({ type: 'reply', inReplyTo: 3, body: { results: [] } })?.type, 'reply');
    assert.deepEqual(checkClassified({ results: [{ name: 'a.png', predictedClass: 1, confidence: 0.9 }] }), {
      results: [{ name: 'a.png', predictedClass: 1, confidence: 0.9, error: undefined }],
      problem: undefined,
    });
    assert.equal(
      checkClassifierMessage({ type: 'selectRun', id: '2026-12-01T00-00-00-000Z-0123456789ab' })?.type,
      'selectRun',
    );
  });

  it('tells events, requests and replies apart: a request needs its id, a reply a number to answer', () => {
    assert.equal(checkClassifierMessage(saveRequest({ requestId: undefined })), undefined, 'saveModel is a request');
    assert.equal(checkClassifierMessage(saveRequest({ requestId: 0 })), undefined);
    assert.equal(checkClassifierMessage({ type: 'resetSettings', requestId: 4 }), undefined, 'not a request type');
    assert.equal(checkClassifierMessage({ type: 'reply', inReplyTo: 'x' }), undefined);
    assert.equal(
      checkClassifierMessage({ type: 'reply', inReplyTo: 2, error: 'x'.repeat(MESSAGE_LIMITS.shortText + 1) }),
      undefined,
    );
    assert.equal(checkClassified({ results: [{ name: 'a.png', predictedClass: 10 }] }), undefined);
    assert.equal(checkClassified({ results: Array(MESSAGE_LIMITS.results + 1).fill({ name: 'a' }) }), undefined);
    assert.equal(
      checkClassified({ results: [], problem: { message: 'x', actions: [{ kind: 'runCommand' }] } }),
      undefined,
    );
  });

  it('refuses weights whose size is not what their specs imply, or too large', () => {
    assert.equal(checkClassifierMessage(saveRequest({ weightData: new ArrayBuffer(20) })), undefined);
    const huge = [{ name: 'k', shape: [MESSAGE_LIMITS.weightBytes / 4 + 1], dtype: 'float32' }];
    assert.equal(checkClassifierMessage(saveRequest({ weightSpecs: huge, weightData: new ArrayBuffer(8) })), undefined);
    assert.equal(checkClassifierMessage(saveRequest({ weightData: new Uint8Array(24) })), undefined);
    assert.equal(
      checkClassifierMessage(saveRequest({ weightSpecs: [{ name: 'k', shape: [0, 3], dtype: 'float32' }] })),
      undefined,
    );
    assert.equal(
      checkClassifierMessage(saveRequest({ weightSpecs: [{ name: 'k', shape: [2, 3], dtype: 'complex64' }] })),
      undefined,
    );
  });

  it('refuses a run a real training cannot produce', () => {
    const bad: Partial<Record<keyof SavedRun, unknown>>[] = [
      {
        history: [...run().history, { epoch: 3, loss: 1, accuracy: 0.5, valLoss: null, valAccuracy: null, seconds: 1 }],
      },
      { history: [{ ...run().history[0], epoch: 2 }] },
      { predictions: [{ ...run().predictions[0], trueLabel: 11 }] },
      { predictions: [{ ...run().predictions[0], pixels: Array(784).fill(256) }] },
      { predictions: Array(201).fill(run().predictions[0]) },
      { evaluation: { ...run().evaluation, accuracy: 1.5 } },
      { backend: 'tpu' },
      { finishedAt: 'yesterday' },
      { trainCount: -1 },
    ];
    for (const change of bad) {
      assert.equal(parseSavedRun({ ...run(), ...change }), undefined, JSON.stringify(change).slice(0, 80));
      assert.equal(checkClassifierMessage(saveRequest({ run: { ...run(), ...change } })), undefined);
    }
  });

  it("normalises a run's settings, as when they are read from settings.json", () => {
    const parsed = parseSavedRun({
      ...run(),
      settings: { ...DEFAULT_SETTINGS, epochs: 2, batchSize: 1e9, backend: 'tpu' },
    });
    assert.equal(parsed?.settings.batchSize, 4096);
    assert.equal(parsed?.settings.backend, 'auto');
  });

  it('lets "Open as Keras notebook" through only with a run id, never a path', () => {
    const id = '2026-12-01T16-12-31-123Z-0123456789ab';
    assert.deepEqual(checkClassifierMessage({ type: 'openRunNotebook', id }), { type: 'openRunNotebook', id });
    for (const bad of ['../../etc/passwd', '/tmp/x', '', 7, undefined, 'x'.repeat(81)]) {
      assert.equal(checkClassifierMessage({ type: 'openRunNotebook', id: bad }), undefined, String(bad));
    }
  });

  it('refuses settings outside the extension, unknown actions and text past its cap', () => {
    assert.equal(
      checkClassifierMessage({
        type: 'userAction',
        action: { kind: 'openSetting', setting: 'terminal.integrated.shell' },
      }),
      undefined,
    );
    assert.equal(checkClassifierMessage({ type: 'userAction', action: { kind: 'runCommand' } }), undefined);
    assert.equal(
      checkClassifierMessage({ type: 'log', level: 'info', message: 'x'.repeat(MESSAGE_LIMITS.logText + 1) }),
      undefined,
    );
    assert.equal(checkResultsMessage({ type: 'copyResults', text: 'x', format: 'HTML' }), undefined);
  });

  it('never throws, and lets nothing through that is not a message, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withMap: true, withSet: true }), (junk) => {
        for (const check of [checkClassifierMessage, checkResultsMessage]) {
          const result = check(junk);
          assert.ok(result === undefined || (junk as { type?: unknown }).type === result.type, JSON.stringify(result));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('makes panel text safe for a notification: no links, no command URIs, capped', () => {
    const text = notificationText(
      'Failed [click here](command:workbench.action.terminal.new) see https://x.test\nnext',
    );
    assert.doesNotMatch(text, /\]\(/);
    assert.doesNotMatch(text, /command:/);
    assert.doesNotMatch(text, /https:/);
    assert.doesNotMatch(text, /\n/);
    assert.equal(notificationText('y'.repeat(1000)).length, 600);
  });
});
