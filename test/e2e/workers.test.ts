// Data-parallel training in the real editor: fashionClassifier.workers at 2 makes the panel start
// two Web Workers, each with TF.js' WASM backend, that train the same model on halves of every
// batch; their weights must stay bit-identical, the saved model must be theirs, and a stopped run
// must leave nothing behind: no saved file touched, no worker alive.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { weightChecksum } from '../../src/shared/ml/parallel/checksum';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';
import { hashFolder } from './hashFolder';
import { setInPanel } from './hyperparameters';
import { runsFolder, selectedRun } from './savedRuns';
import { replicaChecksums, waitForTrainingWorkers } from './trainingWorkers';

const QUICK_RUN_ON_TWO_WORKERS = {
  'fashionClassifier.trainSubsetSize': 2000,
  'fashionClassifier.testSubsetSize': 500,
  'fashionClassifier.epochs': 2,
  'fashionClassifier.workers': 2,
};

describe('Training on data-parallel workers', () => {
  let session: EditorSession;

  before(async () => {
    session = await startEditorSession('workers', { settings: QUICK_RUN_ON_TWO_WORKERS });
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  it('trains on 2 workers whose weights agree after every epoch, and saves their model', async () => {
    const { workbench } = session;
    const panel = workbench.webview();
    await panel.locator('#start-training:not([disabled])').click({ timeout: 120_000 });
    await panel.locator('#training-progress[data-active="true"]').waitFor({ timeout: 120_000 });
    // Seen while they train, so that "none alive" afterwards is not true of a page that never had any.
    await waitForTrainingWorkers(workbench.page, 2);
    await panel.locator('#status[data-kind="success"]').waitFor({ timeout: 300_000 });
    const threads = panel.locator('#training-threads');
    assert.equal(await threads.getAttribute('data-workers'), '2');
    assert.equal(await threads.getAttribute('data-fell-back'), 'false');
    assert.match(await panel.locator('#status').innerText(), /test accuracy 0\.\d{4}/);

    const epochs = replicaChecksums(session.extensionLog());
    assert.equal(epochs.length, 2, 'a checksum line per epoch');
    for (const [i, checksums] of epochs.entries()) {
      assert.equal(checksums.length, 2, `epoch ${i + 1}: one checksum per worker`);
      assert.equal(new Set(checksums).size, 1, `epoch ${i + 1}: replicas agree (${checksums.join(', ')})`);
    }
    assert.notEqual(epochs[0][0], epochs[1][0], 'the second epoch changed the weights');

    // The saved weights are the replicas' after the last epoch, bit for bit, and load as a model.
    const saved = await selectedRun(session.server.globalStorage);
    const bytes = readFileSync(join(saved.folder, 'weights.bin'));
    const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    assert.equal(weightChecksum(weights), epochs[1][0]);
    const model = JSON.parse(readFileSync(join(saved.folder, 'model.json'), 'utf8'));
    const specs = model.weightsManifest.flatMap((group: { weights: { shape: number[] }[] }) => group.weights);
    const floats = specs.reduce((sum: number, s: { shape: number[] }) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
    assert.equal(floats, weights.length);
    const run = JSON.parse(readFileSync(join(saved.folder, 'run.json'), 'utf8'));
    const accuracy = await panel.locator('#test-accuracy[data-value]').getAttribute('data-value');
    assert.equal(run.evaluation.accuracy.toFixed(4), Number(accuracy).toFixed(4));
    assert.ok(run.evaluation.accuracy > 0.6, `test accuracy ${run.evaluation.accuracy}`);

    await waitForTrainingWorkers(workbench.page, 0, 10_000);
  });

  it('stops mid-epoch on 2 workers: the saved runs stay as they were and no worker is left', async () => {
    const { workbench } = session;
    const panel = workbench.webview();
    const before = hashFolder(runsFolder(session.server.globalStorage));
    // The whole training set: an epoch takes far longer than the clicks below.
    await setInPanel(panel, 'trainSubsetSize', '0');
    await setInPanel(panel, 'epochs', '100');
    await panel.locator('#start-training:not([disabled])').click();
    await panel.locator('#training-progress[data-active="true"]').waitFor({ timeout: 120_000 });
    await waitForTrainingWorkers(workbench.page, 2);
    // Two workers busy on two cores leave the page little time on a loaded machine: patience.
    await panel.locator('#stop-training:not([disabled])').click({ timeout: 120_000 });
    await panel.locator('#status[data-kind="warning"]').waitFor({ timeout: 120_000 });
    assert.match(await panel.locator('#status').innerText(), /stopped/i);
    assert.match(await panel.locator('#training-progress').innerText(), /Stopped after 0 of 100 epochs/);
    await waitForTrainingWorkers(workbench.page, 0, 10_000);
    assert.deepEqual(hashFolder(runsFolder(session.server.globalStorage)), before);
  });
});

describe('"auto" timing worker counts', () => {
  let session: EditorSession;

  before(async () => {
    // The CNN's batch takes long enough on one thread for worker counts to be worth timing.
    session = await startEditorSession('workers-auto', {
      settings: {
        'fashionClassifier.model': 'cnn',
        'fashionClassifier.trainSubsetSize': 1000,
        'fashionClassifier.testSubsetSize': 200,
        'fashionClassifier.epochs': 1,
      },
    });
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  it('times WebAssembly on one thread and on 2 workers, shows both, and trains on the threads it chose', async () => {
    const { workbench } = session;
    const panel = await workbench.webviewWith('#backend[data-calibration="measured"]', 180_000);
    const backend = await panel.locator('#backend').innerText();
    console.log(`      ${backend}`);
    const oneThread = panel.locator('#backend-timings li[data-backend="wasm"]:not([data-workers])');
    const workerTiming = panel.locator('#backend-timings li[data-backend="wasm"][data-workers="2"]');
    if ((await oneThread.getAttribute('data-complete')) === 'true') {
      assert.equal(await workerTiming.count(), 1, 'the 2-worker figure is listed');
      assert.ok(Number(await workerTiming.getAttribute('data-ms-per-batch')) > 0);
      assert.match(backend, /WebAssembly × 2 workers: (over )?[\d.]+ ms per batch.* · × 1: [\d.]+ ms per batch/);
    } else {
      // A machine so busy that one CNN batch outlasts the calibration's time: nothing to compare.
      assert.equal(await workerTiming.count(), 0);
      assert.match(backend, /no workers: one thread's timing was stopped at its time limit/);
    }
    const chosen =
      /→ WebAssembly × (\d+) workers/.exec(backend)?.[1] ?? (/→ WebAssembly$/.test(backend) ? '1' : undefined);
    assert.ok(chosen, `a WebAssembly choice in: ${backend}`);
    // The workers of the timing are gone once it is done.
    await waitForTrainingWorkers(workbench.page, 0, 10_000);
    await panel.locator('#start-training:not([disabled])').click();
    await panel.locator('#status[data-kind="success"]').waitFor({ timeout: 300_000 });
    assert.equal(await panel.locator('#training-threads').getAttribute('data-workers'), chosen);
    // The log says the same as the panel.
    assert.ok(session.extensionLog().includes(`Backend for cnn at batch size 64 chosen by timing`));
    assert.ok(session.extensionLog().includes(backend.slice(backend.indexOf('WebAssembly'))));
  });
});
