// "Continue in Python": runs trained in the panel, opened as Keras notebooks (from the Command
// Palette and from the run history's button), saved into the workspace with the run's files
// beside them and shown in the editor's notebook view; then executed with nbclient in the test
// Python (Keras 3 on JAX, test/harness/setup-python.sh), as Jupyter would run them: the run's
// weights must give the panel's test accuracy to 4 digits, the retraining must run, and the
// .keras file must load back in a fresh Python.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { retry } from '../harness/browser';
import { outputRoot } from '../harness/paths';
import { executeNotebook, notebookPython, PythonSwitch, reloadKerasFile } from '../harness/notebookPython';
import { ModelStore, type StoredRun } from '../../src/model/modelStore';
import { RETRAIN_SUBSET_ENV } from '../../src/shared/notebook/runNotebook';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';

/** Quick runs that still use every part of the notebook: a split, a decaying rate, early stopping. */
const QUICK_RUNS = {
  'fashionClassifier.trainSubsetSize': 2000,
  'fashionClassifier.testSubsetSize': 500,
  'fashionClassifier.epochs': 2,
  'fashionClassifier.learningRateDecay': 0.9,
  'fashionClassifier.earlyStoppingPatience': 1,
};
/** Images the retraining cell trains on here (the run's own 1,600 would do too, only slower). */
const RETRAIN_SUBSET = '500';
/** Kernel start, Keras on JAX, evaluation and a short retraining, on a busy 2-core machine. */
const NOTEBOOK_TIMEOUT_MS = 6 * 60_000;

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('Continue in Python: a run as a Keras notebook', () => {
  const python = notebookPython();
  const pythonSwitch = 'python' in python ? new PythonSwitch(python.python) : undefined;
  let session: EditorSession;
  let panel: FrameLocator;
  const notebooks: { mlp?: string; cnn?: string } = {};

  const reasonWithoutPython = () => ('reason' in python ? python.reason : '');

  /** Skips a test that needs the test Python, printing why there is none. */
  function needPython(test: Mocha.Context): string {
    if ('reason' in python) {
      console.log(`      skipped, no Python to run the notebook: ${python.reason}`);
      test.skip();
    }
    return python.python;
  }

  before(async () => {
    session = await startEditorSession('notebook', {
      settings: QUICK_RUNS,
      // The extension asks the PATH's python3 whether it can run the notebook: here, the switch's.
      // VSCODE_CLI says the server was started from a command line, whose PATH it then keeps;
      // otherwise it takes the PATH of a login shell for the extension host.
      env: pythonSwitch && { PATH: `${pythonSwitch.folder}:${process.env.PATH}`, VSCODE_CLI: '1' },
    });
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    panel = await session.workbench.webviewWith('#model-section[data-model="mlp"] #total-params', 120_000);
    await train();
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  async function train(): Promise<void> {
    const before = await panel.locator('#runs-table tr.run').count();
    await panel.locator('#start-training:not([disabled])').click({ timeout: 120_000 });
    // A new row once the run is saved (the status may still say the last run's success before).
    await panel.locator('#runs-table tr.run').nth(before).waitFor({ timeout: 300_000 });
    await panel.locator('#status[data-kind="success"]').waitFor({ timeout: 30_000 });
  }

  const newestRun = async (): Promise<StoredRun> =>
    (await (await ModelStore.open(session.server.globalStorage)).list())[0];

  /** Accepts the save dialog's proposal (the workspace folder, the run's name) and waits for the notebook's file. */
  async function acceptSaveDialog(): Promise<string> {
    const input = session.workbench.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    const proposed = await retry(async () => {
      const value = await input.inputValue();
      assert.match(value, /fashion-(mlp|cnn)-\d{4}-\d\d-\d\d-\d{4}\.ipynb$/);
      return value;
    }, 15_000);
    await input.press('Enter');
    const name = proposed.split('/').at(-1)!;
    const path = join(session.workspace, name);
    await retry(async () => assert.ok(existsSync(path), `${path} written`), 30_000);
    return path;
  }

  /** The notebook view shows the notebook: its tab, its code, and as many cells as the file has. */
  async function assertShownAsNotebook(path: string): Promise<void> {
    const page = session.workbench.page;
    const name = path.split('/').at(-1)!;
    await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 60_000 });
    const cells = JSON.parse(readFileSync(path, 'utf8')).cells.length;
    await retry(async () => {
      // Code cells are editors in the notebook's overlay; the list draws only the cells in view,
      // and the status bar counts them all.
      const code = page.locator('.notebookOverlay .view-line', { hasText: /import\s+keras/ });
      assert.ok((await code.count()) > 0, 'the first code cell shows');
      const counter = page.locator('.statusbar-item', { hasText: new RegExp(`Cell \\d+ of ${cells}$`) });
      assert.ok(await counter.isVisible(), `the status bar counts ${cells} cells`);
    }, 60_000);
  }

  /** The run's three files were copied beside the notebook, byte for byte. */
  function assertRunFilesBeside(path: string, run: StoredRun): void {
    const folder = path.replace(/\.ipynb$/, '-run');
    assert.deepEqual(readdirSync(folder).sort(), ['model.json', 'run.json', 'weights.bin']);
    for (const file of ['model.json', 'run.json', 'weights.bin']) {
      assert.equal(sha256(join(folder, file)), sha256(join(run.folder, file)), file);
    }
  }

  /** Executes the notebook and checks it against the run, then loads its .keras file in a fresh Python. */
  async function assertReproduces(notebook: string, run: StoredRun, pythonPath: string): Promise<void> {
    const started = Date.now();
    const report = await executeNotebook(pythonPath, notebook, {
      env: { [RETRAIN_SUBSET_ENV]: RETRAIN_SUBSET },
      timeoutMs: NOTEBOOK_TIMEOUT_MS,
      picturesDir: join(outputRoot, 'screenshots', `notebook-${run.run.settings.model}-pictures`),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `      ${run.run.settings.model}: test accuracy ${run.run.evaluation.accuracy.toFixed(4)} in the panel, ` +
        `${report.loadedAccuracy.toFixed(4)} in Keras ${report.kerasVersion} on ${report.backend}; ` +
        `retrained in Keras ${report.retrainedAccuracy.toFixed(4)}; notebook ran in ${seconds} s`,
    );
    assert.equal(report.backend, 'jax');
    assert.equal(report.datasetFromFiles, true, "the extension's verified files were read");
    assert.deepEqual(
      [report.trainCount, report.validationCount, report.testCount],
      [run.run.trainCount, run.run.validationCount, run.run.testCount],
    );
    assert.equal(report.panelAccuracy, run.run.evaluation.accuracy);
    assert.equal(report.loadedAccuracy.toFixed(4), run.run.evaluation.accuracy.toFixed(4));
    assert.ok(Math.abs(report.loadedLoss - run.run.evaluation.loss) < 1e-3, `loss ${report.loadedLoss}`);
    assert.equal(report.retrainCount, Number(RETRAIN_SUBSET));
    assert.equal(report.retrainEpochs, run.run.settings.epochs);
    assert.deepEqual(Object.keys(report.retrainHistory).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    assert.ok(report.retrainHistory.loss.every(Number.isFinite));
    assert.ok(report.retrainedAccuracy > 0.3, `retrained test accuracy ${report.retrainedAccuracy}`);
    assert.equal(report.pictures, 2, 'the sample images and the curves');
    assert.equal(report.kerasFile, notebook.replace(/\.ipynb$/, '.keras'));
    const reloaded = await reloadKerasFile(pythonPath, report.kerasFile, notebook, NOTEBOOK_TIMEOUT_MS);
    assert.equal(reloaded.accuracy, report.loadedAccuracy);
    assert.deepEqual(
      reloaded.layers,
      (
        JSON.parse(readFileSync(join(run.folder, 'model.json'), 'utf8')).modelTopology.config.layers as {
          config: { name: string };
        }[]
      ).map((layer) => layer.config.name),
    );
  }

  it('opens a run from the Command Palette as a notebook in the workspace, its files beside it, saying what python3 lacks', async () => {
    const run = await newestRun();
    pythonSwitch?.fail();
    await session.workbench.runCommand('Fashion Classifier: Open Run as Keras Notebook');
    // The palette's own row may still show until the runs replace it.
    const row = session.workbench.page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'test accuracy' })
      .first();
    await row.waitFor({ timeout: 30_000 });
    assert.match(
      await row.innerText(),
      new RegExp(`MLP, 2 epochs, test accuracy ${run.run.evaluation.accuracy.toFixed(4)}`),
    );
    await row.click();
    notebooks.mlp = await acceptSaveDialog();
    assertRunFilesBeside(notebooks.mlp, run);
    await assertShownAsNotebook(notebooks.mlp);
    if (pythonSwitch) {
      // The notebook opened all the same; the notification says what is missing and what to do.
      const warning = await retry(async () => {
        const texts = await session.workbench.notificationTexts();
        const found = texts.find((text) => /needs Python 3/.test(text));
        assert.ok(found, `notifications: ${texts.join(' | ')}`);
        return found;
      }, 30_000);
      assert.match(
        warning,
        /^The notebook needs Python 3 with keras \(3\), a Keras backend, numpy and matplotlib to run: /,
      );
      assert.match(warning, /python3 failed: python3 is switched off by the test\./);
      assert.match(warning, /Install them with "pip install keras jax numpy matplotlib ipykernel"/);
      const toast = session.workbench.page.locator('.notification-toast', { hasText: 'needs Python 3' });
      assert.equal(await toast.getByRole('button', { name: 'Copy pip Command' }).count(), 1);
      await session.workbench.screenshot('notebook-mlp-python-missing');
      await toast.getByRole('button', { name: 'Copy pip Command' }).click();
      pythonSwitch.restore();
    } else {
      console.log(
        `      not checked: what a python3 that cannot run it is told (no test Python: ${reasonWithoutPython()})`,
      );
    }
  });

  it("runs in Keras: the run's weights give the panel's test accuracy, it retrains, its .keras file loads back", async function () {
    const pythonPath = needPython(this);
    assert.ok(notebooks.mlp, 'the notebook of the previous test');
    const run = (await (await ModelStore.open(session.server.globalStorage)).list()).find(
      (r) => r.run.settings.model === 'mlp',
    )!;
    await assertReproduces(notebooks.mlp, run, pythonPath);
  });

  it("opens a CNN run with the run history's button, and Keras reproduces it too", async function () {
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    await panel.locator('#model-preset').click();
    await panel.locator('#model-preset vscode-option', { hasText: 'CNN' }).click();
    await panel.locator('#model-section[data-model="cnn"] #total-params').waitFor({ timeout: 30_000 });
    await train();
    const run = await newestRun();
    assert.equal(run.run.settings.model, 'cnn');
    const button = panel.locator(`#runs-table tr.run[data-id="${run.id}"] .open-notebook`);
    assert.match((await button.getAttribute('aria-label')) ?? '', /^Open as Keras notebook: the run of .* CNN$/);
    await button.click();
    notebooks.cnn = await acceptSaveDialog();
    assertRunFilesBeside(notebooks.cnn, run);
    await assertShownAsNotebook(notebooks.cnn);
    await session.workbench.screenshot('notebook-cnn');
    if (pythonSwitch) {
      // The test Python has everything, so no warning, and the log says so.
      await retry(async () => assert.match(session.extensionLog(), /python3 has what the notebook needs/), 30_000);
      assert.ok(!(await session.workbench.notificationTexts()).some((text) => /needs Python 3/.test(text)));
    }
    await assertReproduces(notebooks.cnn, run, needPython(this));
  });
});
