// Which backend trains: "auto" times WebGL and WebAssembly on the model about to train and keeps
// the figures for later runs; a GPU lost mid-run stops the run and offers WebAssembly.
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { setInPanel } from './hyperparameters';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';
import { hashFolder } from './hashFolder';
import { runsFolder } from './savedRuns';

const QUICK = {
  'fashionClassifier.trainSubsetSize': 2000,
  'fashionClassifier.testSubsetSize': 500,
  'fashionClassifier.epochs': 1,
  // The backends alone: worker counts are timed and tested in workers.test.ts.
  'fashionClassifier.workers': 1,
};

/**
 * Keeps every WebGL context the pages create (TF.js' included, on its offscreen canvas), so a
 * test can make the GPU "go away" with WEBGL_lose_context, as a driver reset or an unplugged
 * external GPU does.
 */
function collectWebglContexts(): void {
  // Runs in the page, typed loosely: the test's type check has no DOM library.
  interface Canvas {
    prototype: { getContext: (...args: unknown[]) => unknown };
  }
  const page = globalThis as unknown as Record<string, unknown>;
  const kept: unknown[] = [];
  page.__webglContexts = kept;
  for (const canvas of [page.HTMLCanvasElement, page.OffscreenCanvas] as (Canvas | undefined)[]) {
    if (!canvas) {
      continue;
    }
    const getContext = canvas.prototype.getContext;
    canvas.prototype.getContext = function (this: unknown, ...args: unknown[]) {
      const context = getContext.apply(this, args);
      if (context && String(args[0]).startsWith('webgl')) {
        kept.push(context);
      }
      return context;
    };
  }
}

async function loseEveryWebglContext(panel: FrameLocator): Promise<number> {
  return panel.locator('body').evaluate(() => {
    interface Context {
      getExtension(name: string): { loseContext(): void } | null;
      isContextLost(): boolean;
    }
    const contexts = ((globalThis as unknown as Record<string, unknown>).__webglContexts ?? []) as Context[];
    let lost = 0;
    for (const gl of contexts) {
      const extension = gl.getExtension('WEBGL_lose_context');
      if (extension && !gl.isContextLost()) {
        extension.loseContext();
        lost++;
      }
    }
    return lost;
  });
}

interface Timing {
  backend: string;
  msPerBatch: number;
  complete: boolean;
}

async function shownTimings(panel: FrameLocator): Promise<Timing[]> {
  return panel.locator('#backend-timings li').evaluateAll((items) =>
    items.map((item) => ({
      backend: item.getAttribute('data-backend') ?? '',
      msPerBatch: Number(item.getAttribute('data-ms-per-batch')),
      complete: item.getAttribute('data-complete') === 'true',
    })),
  );
}

describe('Backends', () => {
  let session: EditorSession;

  before(async () => {
    session = await startEditorSession('backends', { settings: QUICK });
    await session.workbench.page.context().addInitScript(collectWebglContexts);
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  it('"auto" times WebGL and WebAssembly on the model to train, shows both figures, and picks WebAssembly over software WebGL', async () => {
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const panel = await session.workbench.webviewWith('#backend[data-calibration="measured"]', 120_000);
    const timings = await shownTimings(panel);
    console.log(`      ${await panel.locator('#backend').innerText()}`);
    assert.deepEqual(
      timings.map((t) => t.backend),
      ['wasm', 'webgl'],
    );
    const [wasm, webgl] = timings;
    assert.ok(wasm.complete && wasm.msPerBatch > 0, JSON.stringify(wasm));
    assert.ok(!webgl.complete || webgl.msPerBatch > wasm.msPerBatch, JSON.stringify(timings));
    assert.equal(await panel.locator('#backend').getAttribute('data-backend'), 'wasm');
    assert.match(
      await panel.locator('#backend').innerText(),
      /WebAssembly: [\d.]+ ms per batch · WebGL \(.*SwiftShader.*\): .*ms per batch.* → WebAssembly/,
    );
    assert.match(
      session.extensionLog(),
      /Backend for mlp at batch size 32 chosen by timing \(measured in \d+ ms\): WebAssembly: .* · WebGL .* → WebAssembly\./,
    );
    await panel.locator('#start-training:not([disabled])').click();
    await panel.locator('#status[data-kind="success"]').waitFor({ timeout: 300_000 });
    assert.match(session.extensionLog(), /Training started on wasm:/);
    await session.workbench.screenshot('backends-calibrated');
  });

  it('starts the next run without timing again, and times again when asked', async () => {
    const { workbench } = session;
    await workbench.reloadWindow();
    const panel = await workbench.webviewWith('#backend[data-calibration="kept"]', 120_000);
    assert.equal((await shownTimings(panel)).length, 2);
    assert.match(session.extensionLog(), /chosen by timing \(kept from \d{4}-/);
    assert.equal(await panel.locator('#backend').getAttribute('data-backend'), 'wasm');
    await panel.locator('#measure-backends').click();
    await panel.locator('#backend[data-calibration="measured"]').waitFor({ timeout: 60_000 });
    // Another batch size is another model to time.
    await workbench.setSetting('fashionClassifier.batchSize', '64');
    await panel.locator('#backend-timings li').first().waitFor();
    await retryUntil(async () =>
      /Backend for mlp at batch size 64 chosen by timing \(measured in/.test(session.extensionLog()),
    );
  });

  it('stops a WebGL run whose GPU is lost, keeps the saved model, and continues on WebAssembly', async () => {
    const { workbench } = session;
    const saved = hashFolder(runsFolder(session.server.globalStorage));
    const panel = await workbench.webviewWith('#backend-choice', 60_000);
    // Enough epochs that the run is still going when the GPU goes, on any machine.
    await setInPanel(panel, 'epochs', '100');
    await panel.locator('#backend-choice').click();
    await panel.locator('#backend-choice vscode-option', { hasText: 'WebGL (GPU)' }).click();
    await panel.locator('#backend[data-backend="webgl"]').waitFor({ timeout: 60_000 });
    await panel.locator('#start-training:not([disabled])').click();
    // The table of numbers sits folded under the chart: attached, not visible.
    await panel.locator('#history-table tr[data-epoch="1"]').waitFor({ state: 'attached', timeout: 300_000 });
    assert.ok((await loseEveryWebglContext(panel)) > 0, 'a WebGL context was there to lose');
    const problem = panel.locator('#training-problem .problem');
    await problem.waitFor({ timeout: 120_000 });
    assert.match(await problem.innerText(), /GPU stopped answering/);
    assert.deepEqual(hashFolder(runsFolder(session.server.globalStorage)), saved, 'the saved runs are untouched');
    await workbench.screenshot('backends-context-lost');
    // A setting changed after the loss does not change what "Continue" trains: the lost run's settings.
    await setInPanel(panel, 'epochs', '99');
    const continueOnWasm = problem.locator('.problem-action[data-action="trainOnWasm"]');
    assert.equal((await continueOnWasm.innerText()).trim(), 'Continue on WebAssembly');
    await continueOnWasm.click();
    await panel.locator('#training-section[data-state="running"]').waitFor({ timeout: 30_000 });
    await retryUntil(async () => /Training started on wasm: .*"backend":"wasm"/.test(session.extensionLog()));
    const continued = session
      .extensionLog()
      .match(/Training started on wasm: .*/g)!
      .at(-1)!;
    assert.match(continued, /"epochs":100\b/);
    await panel.locator('#stop-training').click();
    await panel.locator('#training-section[data-state="ready"]').waitFor({ timeout: 60_000 });
    // The setting still names WebGL, whose context is gone: Start trains on what comes next.
    const started = (session.extensionLog().match(/Training started on wasm/g) ?? []).length;
    await panel.locator('#start-training:not([disabled])').click();
    await panel.locator('#training-section[data-state="running"]').waitFor({ timeout: 30_000 });
    await retryUntil(async () => (session.extensionLog().match(/Training started on wasm/g) ?? []).length > started);
    await panel.locator('#stop-training').click();
    await panel.locator('#training-section[data-state="ready"]').waitFor({ timeout: 60_000 });
  });
});

async function retryUntil(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('Timed out waiting for the condition.');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
