// The messaging core every panel message goes through: requests and their replies (messaging.ts)
// and the host's side of a panel (panelConnection.ts), with a fake webview whose postMessage is an
// array and timers the test moves by hand.
import * as assert from 'node:assert/strict';
import { PanelConnection } from '../../src/panel/panelConnection';
import { CLASSIFIER_PAGE, contentSecurityPolicy, RESULTS_PAGE } from '../../src/panel/pagePolicy';
import { CLASSIFIER_CHECKS, RESULTS_CHECKS } from '../../src/shared/messageChecks';
import { answer, PendingRequests, RequestEndedError, type Timers } from '../../src/shared/messaging';
import type { LogLevel } from '../../src/shared/panelMessages';
import type { ClassifierProtocol, HostToClassifier } from '../../src/shared/protocol';
import type { ResultsProtocol } from '../../src/shared/resultsProtocol';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

/** Timers that fire only when the test says how much time passed. */
class FakeTimers implements Timers {
  private now = 0;
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  private next = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  advance(ms: number): void {
    this.now += ms;
    for (const [id, timer] of [...this.due]) {
      if (timer.at <= this.now) {
        this.due.delete(id);
        timer.callback();
      }
    }
  }

  get pending(): number {
    return this.due.size;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

type Sent = Record<string, unknown>;

function classifyFields(request = 1) {
  return {
    request,
    done: 0,
    total: 1,
    modelUrl: 'https://file+.vscode-resource.vscode-cdn.net/m/model.json',
    modelVersion: 'v1',
    settings: { ...DEFAULT_SETTINGS },
    images: [{ id: 0, name: 'a.png', error: 'The file is empty.' }],
  };
}

/** A results panel's connection over a fake webview. */
function resultsPanel() {
  const posted: Sent[] = [];
  const logged: [LogLevel, string][] = [];
  const timers = new FakeTimers();
  let readyCalls = 0;
  const connection = new PanelConnection<ResultsProtocol>({
    name: 'results',
    post: (message) => posted.push(message as Sent),
    checks: RESULTS_CHECKS,
    handlers: {},
    onReady: async () => {
      readyCalls++;
    },
    onEvent: () => undefined,
    onUserAction: async () => undefined,
    log: (level, line) => logged.push([level, line]),
    timers,
  });
  return { connection, posted, logged, timers, readyCalls: () => readyCalls };
}

describe('the messaging core', () => {
  describe('requests and replies', () => {
    it('settles each request with the reply that names it, whatever the order', async () => {
      const timers = new FakeTimers();
      const requests = new PendingRequests<{ echo: { request: { n: number }; reply: number } }>(
        'the page',
        undefined,
        timers,
      );
      const sent: { requestId: number; n: number }[] = [];
      const first = requests.request('echo', { n: 1 }, (m) => sent.push(m), { deadlineMs: 1000 });
      const second = requests.request('echo', { n: 2 }, (m) => sent.push(m), { deadlineMs: 1000 });
      assert.deepEqual(
        sent.map((m) => m.n),
        [1, 2],
      );
      assert.notEqual(sent[0].requestId, sent[1].requestId);
      assert.equal(requests.typeOf(sent[1].requestId), 'echo');
      requests.settle({ type: 'reply', inReplyTo: sent[1].requestId, body: 20 });
      requests.settle({ type: 'reply', inReplyTo: sent[0].requestId, body: 10 });
      assert.deepEqual(await Promise.all([first, second]), [10, 20]);
      assert.equal(requests.pending, 0);
      assert.equal(timers.pending, 0, 'every deadline cleared');
      assert.equal(requests.settle({ type: 'reply', inReplyTo: sent[0].requestId, body: 99 }), false, 'a late reply');
    });

    it('rejects with the reply’s error, at its deadline, when cancelled, and when the other side goes', async () => {
      const timers = new FakeTimers();
      let deadlines = 0;
      const requests = new PendingRequests<{ job: { request: object; reply: string } }>(
        'the results panel',
        () => deadlines++,
        timers,
      );
      const ids: number[] = [];
      const send = (m: { requestId: number }) => ids.push(m.requestId);
      const failed = requests.request('job', {}, send, { deadlineMs: 5000 });
      requests.settle({ type: 'reply', inReplyTo: ids[0], error: 'No model.' });
      await assert.rejects(failed, /^Error: No model\.$/);

      const late = requests.request('job', {}, send, { deadlineMs: 5000 });
      timers.advance(4999);
      assert.equal(requests.pending, 1);
      timers.advance(1);
      await assert.rejects(late, (error: RequestEndedError) => {
        assert.equal(error.why, 'deadline');
        assert.equal(error.message, 'The results panel did not answer within 5 s.');
        return true;
      });
      assert.equal(deadlines, 1);

      const controller = new AbortController();
      const cancelled = requests.request('job', {}, send, { deadlineMs: 5000, cancellation: controller.signal });
      controller.abort();
      await assert.rejects(cancelled, (error: RequestEndedError) => error.why === 'cancelled');
      const token = { isCancellationRequested: true };
      await assert.rejects(
        requests.request('job', {}, send, { deadlineMs: 5000, cancellation: token }),
        (error: RequestEndedError) => error.why === 'cancelled',
      );

      const hidden = requests.request('job', {}, send, { deadlineMs: 5000 });
      requests.rejectAll('The results panel was hidden before it answered.');
      await assert.rejects(hidden, /hidden before it answered/);
      const open = requests.request('job', {}, send, { deadlineMs: 5000 });
      requests.close('The results panel was closed.');
      await assert.rejects(open, /was closed/);
      await assert.rejects(
        requests.request('job', {}, send, { deadlineMs: 5000 }),
        /was closed/,
        'and every later one',
      );
      assert.equal(requests.pending, 0);
      assert.equal(timers.pending, 0);
    });

    it('answers with the handler’s return value or its error, so no request goes unanswered', async () => {
      type Map = { add: { request: { a: number; b: number }; reply: number }; fail: { request: object; reply: void } };
      const handlers = {
        add: ({ a, b }: { a: number; b: number }) => a + b,
        fail: async () => {
          throw new Error('Disk full.');
        },
      };
      assert.deepEqual(await answer<Map>(handlers, { type: 'add', requestId: 7, a: 2, b: 3 }), {
        type: 'reply',
        inReplyTo: 7,
        body: 5,
      });
      assert.deepEqual(await answer<Map>(handlers, { type: 'fail', requestId: 8 }), {
        type: 'reply',
        inReplyTo: 8,
        error: 'Disk full.',
      });
      const unknown = await answer<Map>(handlers, { type: 'nope', requestId: 9 } as never);
      assert.match(unknown.error ?? '', /Nothing here answers a "nope" request/);
    });
  });

  describe("the host's side of a panel", () => {
    it('holds what it posts until the page says ready, then sends it in order', async () => {
      const posted: Sent[] = [];
      const sentAtReady: string[] = [];
      const connection = new PanelConnection<ClassifierProtocol>({
        name: 'classifier',
        post: (message) => posted.push(message as Sent),
        checks: CLASSIFIER_CHECKS,
        handlers: { saveModel: async () => ({ runId: 'r' }), exportRuns: async () => ({ done: 'cancelled' }) },
        onReady: async (send) => {
          send({ type: 'datasetLoading' });
          sentAtReady.push('init');
        },
        onEvent: () => undefined,
        onUserAction: async () => undefined,
        log: () => undefined,
      });
      const stop: HostToClassifier = { type: 'stopTraining' };
      connection.post(stop);
      connection.post({ type: 'runs', runs: [], usageBytes: 0, limit: 20 });
      assert.equal(posted.length, 0, 'nothing before ready');
      let ready = false;
      void connection.whenReady().then(() => (ready = true));
      connection.receive({ type: 'ready' });
      await settle();
      assert.deepEqual(
        posted.map((m) => m.type),
        ['datasetLoading', 'stopTraining', 'runs'],
      );
      assert.equal(ready, true);
      connection.post(stop);
      assert.equal(posted.at(-1)?.type, 'stopTraining', 'posted at once after ready');
    });

    it("answers the page's requests with the handler's result, and a refused one with an error", async () => {
      const posted: Sent[] = [];
      const logged: string[] = [];
      const connection = new PanelConnection<ClassifierProtocol>({
        name: 'classifier',
        post: (message) => posted.push(message as Sent),
        checks: CLASSIFIER_CHECKS,
        handlers: {
          saveModel: async (request) => ({ runId: `run-of-${request.run.trainCount}` }),
          exportRuns: async () => ({ done: 'cancelled' }),
        },
        onReady: async () => undefined,
        onEvent: () => undefined,
        onUserAction: async () => undefined,
        log: (_level, line) => logged.push(line),
      });
      connection.receive({ type: 'ready' });
      await settle();
      const run = {
        finishedAt: new Date(0).toISOString(),
        settings: { ...DEFAULT_SETTINGS },
        backend: 'cpu',
        trainCount: 8,
        validationCount: 2,
        testCount: 4,
        history: [{ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, seconds: 1 }],
        evaluation: { loss: 1, accuracy: 0.5, confusionMatrix: Array.from({ length: 10 }, () => Array(10).fill(0)) },
        predictions: [],
      };
      const request = {
        type: 'saveModel',
        requestId: 3,
        modelTopology: {},
        weightSpecs: [{ name: 'k', shape: [2], dtype: 'float32' }],
        weightData: new ArrayBuffer(8),
        run,
      };
      connection.receive(request);
      await settle();
      assert.deepEqual(posted.at(-1), { type: 'reply', inReplyTo: 3, body: { runId: 'run-of-8' } });
      connection.receive({ ...request, requestId: 4, weightData: new ArrayBuffer(6) });
      await settle();
      assert.equal(posted.at(-1)?.inReplyTo, 4);
      assert.match(String(posted.at(-1)?.error), /does not match its own description/);
      assert.ok(logged.some((line) => line.includes('Refused a message')));
    });

    it('matches a reply to its request and checks its body against that request', async () => {
      const { connection, posted } = resultsPanel();
      connection.receive({ type: 'ready' });
      await settle();
      const good = connection.request('classify', classifyFields(), { deadlineMs: 60_000 });
      const bad = connection.request('classify', classifyFields(2), { deadlineMs: 60_000 });
      const [first, second] = posted.filter((m) => m.type === 'classify');
      assert.deepEqual(first.images, classifyFields().images);
      connection.receive({
        type: 'reply',
        inReplyTo: second.requestId,
        body: { results: [{ name: 'x', predictedClass: 12 }] },
      });
      connection.receive({
        type: 'reply',
        inReplyTo: first.requestId,
        body: { results: [{ name: 'a.png', error: 'The file is empty.' }] },
      });
      assert.deepEqual(await good, {
        results: [{ name: 'a.png', error: 'The file is empty.', predictedClass: undefined, confidence: undefined }],
        problem: undefined,
      });
      await assert.rejects(bad, /answer to classify was not one it gives/);
    });

    it('rejects what it asked when the page reloads, is hidden, stops answering or closes', async () => {
      const { connection, posted, timers, logged, readyCalls } = resultsPanel();
      connection.receive({ type: 'ready' });
      await settle();

      const reloaded = connection.request('classify', classifyFields(), { deadlineMs: 60_000 });
      connection.receive({ type: 'ready' });
      await assert.rejects(reloaded, /The results panel reloaded before it answered/);
      await settle();
      assert.equal(readyCalls(), 2, 'the new page is started again');

      const hidden = connection.request('classify', classifyFields(), { deadlineMs: 60_000 });
      connection.pageUnloaded();
      await assert.rejects(hidden, /hidden before it answered/);
      const whileHidden = connection.request('classify', classifyFields(), { deadlineMs: 60_000 });
      const beforeShown = posted.length;
      connection.receive({ type: 'ready' });
      await settle();
      assert.equal(posted.length, beforeShown + 1, 'a request made while hidden is held, then sent');

      assert.equal(connection.unresponsive, false);
      timers.advance(60_000);
      await assert.rejects(whileHidden, /did not answer within 60 s/);
      assert.equal(connection.unresponsive, true, 'a new panel takes over the next request');
      assert.ok(logged.some(([level, line]) => level === 'warn' && line.includes('did not answer a classify request')));

      const closing = connection.request('classify', classifyFields(), { deadlineMs: 60_000 });
      connection.close();
      await assert.rejects(closing, /The results panel was closed/);
      await assert.rejects(connection.request('classify', classifyFields(), { deadlineMs: 60_000 }), /was closed/);
      assert.equal(timers.pending, 0, 'no deadline left ticking');
    });

    it('settles whenReady when the panel closes before its page is ready', async () => {
      const { connection } = resultsPanel();
      const ready = connection.whenReady();
      connection.close();
      await assert.rejects(ready, /The results panel was closed/);
      await assert.rejects(connection.whenReady(), /was closed/);
    });

    it('hands common messages to their handlers, never to the panel’s own', async () => {
      const events: string[] = [];
      const actions: string[] = [];
      const logged: string[] = [];
      const connection = new PanelConnection<ClassifierProtocol>({
        name: 'classifier',
        post: () => undefined,
        checks: CLASSIFIER_CHECKS,
        handlers: { saveModel: async () => ({ runId: 'r' }), exportRuns: async () => ({ done: 'cancelled' }) },
        onReady: async () => undefined,
        onEvent: (message) => void events.push(message.type),
        onUserAction: async (action) => void actions.push(action.kind),
        log: (_level, line) => logged.push(line),
      });
      connection.receive({ type: 'log', level: 'info', message: 'hello' });
      connection.receive({ type: 'userAction', action: { kind: 'saveAgain' } });
      connection.receive({ type: 'resetSettings' });
      connection.receive({ type: 'reply', inReplyTo: 5, body: {} });
      await settle();
      assert.deepEqual(events, ['resetSettings']);
      assert.deepEqual(actions, ['saveAgain']);
      assert.ok(logged.includes('[classifier] hello'));
      assert.ok(logged.some((line) => line.includes('arrived after its request had ended')));
    });
  });

  describe('content security policies', () => {
    it("lets only the classifier's page evaluate code (tfjs-vis) and start blob: workers, and every page compile WebAssembly", () => {
      const source = 'https://*.vscode-cdn.net';
      assert.equal(
        contentSecurityPolicy(source, 'N0NCE', CLASSIFIER_PAGE),
        "default-src 'none'; base-uri 'none'; form-action 'none'; img-src https://*.vscode-cdn.net blob: data:; " +
          "style-src https://*.vscode-cdn.net 'unsafe-inline'; font-src https://*.vscode-cdn.net; " +
          "script-src 'nonce-N0NCE' 'unsafe-eval' 'wasm-unsafe-eval'; worker-src blob:; connect-src https://*.vscode-cdn.net",
      );
      assert.equal(
        contentSecurityPolicy(source, 'N0NCE', RESULTS_PAGE),
        "default-src 'none'; base-uri 'none'; form-action 'none'; img-src https://*.vscode-cdn.net blob: data:; " +
          "style-src https://*.vscode-cdn.net 'unsafe-inline'; font-src https://*.vscode-cdn.net; " +
          "script-src 'nonce-N0NCE' 'wasm-unsafe-eval'; connect-src https://*.vscode-cdn.net",
      );
    });
  });
});
