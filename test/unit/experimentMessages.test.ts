// What the classifier page may send the host about experiments: which run of a repeat or sweep
// is starting, and which kept runs to export as CSV. Anything else is refused.
import * as assert from 'node:assert/strict';
import { checkClassifierMessage } from '../../src/shared/messageChecks';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

const started = {
  type: 'trainingStarted',
  backend: 'wasm',
  settings: { ...DEFAULT_SETTINGS, seed: 3 },
  trainCount: 1600,
  validationCount: 400,
};

describe('experiment messages from the classifier page', () => {
  it('lets a run’s place in its experiment through, and a run without one', () => {
    const experiment = { label: 'Repeat ×3', run: 2, runs: 3 };
    assert.deepEqual(checkClassifierMessage({ ...started, experiment }), {
      ...started,
      settings: { ...DEFAULT_SETTINGS, seed: 3 },
      experiment,
    });
    const alone = checkClassifierMessage(started);
    assert.equal(alone?.type, 'trainingStarted');
    assert.equal('experiment' in (alone as object), false);
  });

  it('refuses a place that no experiment has', () => {
    for (const experiment of [
      { label: 'Repeat ×3', run: 4, runs: 3 },
      { label: 'Repeat ×3', run: 0, runs: 3 },
      { label: 'x'.repeat(201), run: 1, runs: 3 },
      { label: 'Sweep', run: 1, runs: 81 },
      'run 2 of 3',
      null,
    ]) {
      assert.equal(checkClassifierMessage({ ...started, experiment }), undefined, JSON.stringify(experiment));
    }
  });

  it('lets an export of kept runs through, to a file or the clipboard', () => {
    assert.deepEqual(
      checkClassifierMessage({ type: 'exportRuns', requestId: 4, ids: ['20261201-1650-a1', 'b.2'], to: 'file' }),
      { type: 'exportRuns', requestId: 4, ids: ['20261201-1650-a1', 'b.2'], to: 'file' },
    );
    assert.equal(
      checkClassifierMessage({ type: 'exportRuns', requestId: 5, ids: ['a'], to: 'clipboard' })?.type,
      'exportRuns',
    );
  });

  it('refuses an export that names no run, a path, too many runs, or another destination', () => {
    for (const change of [
      { ids: [] },
      { ids: ['../../etc'] },
      { ids: ['a/b'] },
      { ids: 'a' },
      { ids: Array.from({ length: 501 }, (_, i) => `r${i}`) },
      { to: 'printer' },
      { requestId: undefined },
    ]) {
      assert.equal(
        checkClassifierMessage({ type: 'exportRuns', requestId: 1, ids: ['a'], to: 'file', ...change }),
        undefined,
        JSON.stringify(change).slice(0, 60),
      );
    }
  });
});
