import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';
import { runsFolder, selectedRun } from './savedRuns';
import { hashFolder } from './hashFolder';

/** A quick run on a small subset, fast enough for every CI run. */
const QUICK_RUN = {
  'fashionClassifier.trainSubsetSize': 2000,
  'fashionClassifier.testSubsetSize': 500,
  'fashionClassifier.epochs': 2,
};

/** What the training section says of a run that its page never finished. */
async function unfinishedRun(panel: FrameLocator): Promise<string> {
  const problem = panel.locator('#training-problem .problem[data-problem="training"]');
  await problem.waitFor({ timeout: 30_000 });
  return problem.innerText();
}

describe('Training in the classifier panel', () => {
  let session: EditorSession;
  let modelDir: string;
  let firstAccuracy: string;

  before(async () => {
    session = await startEditorSession('training', { settings: QUICK_RUN });
    modelDir = runsFolder(session.server.globalStorage);
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  it('shows the data set, sample images and the model summary', async () => {
    const panel = session.workbench.webview();
    await panel.locator('#sample-grid .sample').nth(24).waitFor({ timeout: 120_000 });
    assert.equal(await panel.locator('#sample-grid .sample').count(), 25);
    const summary = panel.locator('#data-summary');
    assert.equal(await summary.getAttribute('data-train-count'), '2000');
    assert.equal(await summary.getAttribute('data-validation-count'), '400');
    assert.equal(await summary.getAttribute('data-test-count'), '500');
    assert.equal(await panel.locator('#total-params').getAttribute('data-value'), '203530');
    assert.match(await panel.locator('#backend').innerText(), /webgl|wasm|cpu/);
    await session.workbench.screenshot('training-data-and-model');
  });

  it('trains, evaluates on the test set, shows predictions and saves the model', async () => {
    const panel = session.workbench.webview();
    await panel.locator('#start-training:not([disabled])').click();
    const accuracy = panel.locator('#test-accuracy[data-value]');
    await accuracy.waitFor({ timeout: 300_000 });
    await panel.locator('#status[data-kind="success"]').waitFor({ timeout: 60_000 });
    firstAccuracy = (await accuracy.getAttribute('data-value'))!;
    assert.ok(Number(firstAccuracy) > 0.6, `test accuracy ${firstAccuracy}`);
    assert.equal(await panel.locator('#history-table tr[data-epoch]').count(), 2);
    assert.equal(await panel.locator('#confusion-matrix td[data-value]').count(), 100);
    assert.equal(await panel.locator('#predictions .prediction').count(), 15);
    assert.equal(await panel.locator('#predictions .prediction').first().locator('.probability').count(), 10);
    await session.workbench.screenshot('training-finished');
    await panel.locator('#predictions-section').scrollIntoViewIfNeeded();
    await session.workbench.screenshot('training-predictions');
    const saved = await selectedRun(session.server.globalStorage);
    for (const file of ['model.json', 'weights.bin', 'run.json']) {
      assert.ok(existsSync(join(saved.folder, file)), `${file} saved`);
    }
    const run = JSON.parse(readFileSync(join(saved.folder, 'run.json'), 'utf8'));
    assert.equal(run.evaluation.accuracy.toFixed(4), Number(firstAccuracy).toFixed(4));
  });

  it('logs the data set, the backend, the run, each epoch and the save', async () => {
    const log = session.extensionLog();
    assert.match(log, /Data set ready in \d+ ms, every file verified by size and SHA-256 \(sources: system\)/);
    assert.match(log, /Data set loaded into the panel in \d+ ms, every file checked/);
    assert.match(log, /Backend: (wasm|webgl|cpu) \(/);
    assert.match(
      log,
      /Training started on \w+: 1600 training and 400 validation images, settings \{"model":"mlp","epochs":2,/,
    );
    assert.match(
      log,
      /Epoch 1 of 2: loss \d\.\d{4}, accuracy \d\.\d{4}, val loss \d\.\d{4}, val accuracy \d\.\d{4}, [\d.]+ s\./,
    );
    assert.match(log, /Epoch 2 of 2: /);
    assert.match(log, /Model saved as run \S+ in \S+ in \d+ ms\./);
    assert.match(log, new RegExp(`Training completed: test accuracy ${firstAccuracy}`));
    assert.match(log, /First batch trained; since the page started: /);
  });

  it('leaves the saved model byte-identical when a second run is stopped midway', async () => {
    const before = hashFolder(modelDir);
    const panel = session.workbench.webview();
    // From here on a run takes minutes on any machine (100 epochs of the whole training set), so
    // the stop, and the closing of the panel below, land mid-run: 50 epochs of the quick subset
    // once finished in 6 s, before the click, and so did 2 epochs of the whole set.
    await session.workbench.setSetting('fashionClassifier.trainSubsetSize', '0');
    await session.workbench.setSetting('fashionClassifier.epochs', '100');
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    await panel.locator('#hyperparameters [data-key="trainSubsetSize"][data-value="0"]').waitFor({ timeout: 30_000 });
    await panel.locator('#hyperparameters [data-key="epochs"][data-value="100"]').waitFor({ timeout: 30_000 });
    await panel.locator('#start-training:not([disabled])').click();
    await panel.locator('#training-progress[data-active="true"]').waitFor({ timeout: 60_000 });
    await panel.locator('#stop-training:not([disabled])').click();
    await panel.locator('#status[data-kind="warning"]').waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('#status').innerText(), /stopped/i);
    assert.deepEqual(hashFolder(modelDir), before);
    assert.deepEqual(readdirSync(session.server.globalStorage).sort(), ['dataset', 'runs']);
  });

  it('stops cleanly when the panel is closed mid-training, keeping the saved model', async () => {
    const { workbench } = session;
    const before = hashFolder(modelDir);
    const panel = workbench.webview();
    await panel.locator('#start-training:not([disabled])').click();
    await panel.locator('#training-progress[data-active="true"]').waitFor({ timeout: 60_000 });
    await workbench.runCommand('View: Close Editor');
    await workbench.page.locator(`iframe.webview`).waitFor({ state: 'detached', timeout: 30_000 });
    // Give a run that wrongly survived its panel the time to reach a save.
    await workbench.page.waitForTimeout(5000);
    assert.deepEqual(hashFolder(modelDir), before);
    assert.deepEqual(readdirSync(session.server.globalStorage).sort(), ['dataset', 'runs']);
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const accuracy = workbench.webview().locator('#test-accuracy[data-value]');
    await accuracy.waitFor({ timeout: 120_000 });
    assert.equal(await accuracy.getAttribute('data-value'), firstAccuracy);
    // The new panel says what became of the run, instead of showing the older run as if nothing happened.
    assert.match(await unfinishedRun(workbench.webview()), /did not finish: its panel closed or the window reloaded/);
  });

  it("comes back after a window reload during a run, showing the saved run's results, the model unchanged", async () => {
    const { workbench } = session;
    const before = hashFolder(modelDir);
    const running = workbench.webview();
    await running.locator('#start-training:not([disabled])').click();
    await running.locator('#training-progress[data-active="true"]').waitFor({ timeout: 60_000 });
    await workbench.reloadWindow();
    // No command: VS Code restores the panel, which shows the last saved run.
    const panel = workbench.webview();
    const accuracy = panel.locator('#test-accuracy[data-value]');
    await accuracy.waitFor({ timeout: 120_000 });
    assert.equal(await accuracy.getAttribute('data-value'), firstAccuracy);
    assert.equal(await panel.locator('#history-table tr[data-epoch]').count(), 2);
    assert.equal(await panel.locator('#predictions .prediction').count(), 15);
    assert.equal(await panel.locator('#training-progress').getAttribute('data-active'), 'false');
    assert.deepEqual(hashFolder(modelDir), before);
    const said = await unfinishedRun(panel);
    assert.match(said, /^The run started at \d\d:\d\d:\d\d \(the MLP, \d+ epochs?, seed \d+\) did not finish/);
    assert.match(said, /Nothing of it was saved/);
    // The status line at the top points there.
    await panel.locator('#status[data-kind="warning"]', { hasText: 'The last run did not finish' }).waitFor();
    await workbench.screenshot('training-restored-after-reload');
  });
});
