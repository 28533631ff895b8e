// Saved runs continued in Keras, in full: each run folder (one that bench:panel kept, or any run
// of the extension's storage) is written as the notebook "Open Run as Keras Notebook" writes,
// executed with nbclient in the test Python (Keras 3 on JAX, test/harness/setup-python.sh) with
// the whole retraining, its .keras file loaded in a fresh Python, and the run's weights evaluated
// once more by evaluate_saved.py (NumPy, no code shared with the extension or the notebook).
//
//   npm run --silent bench:panel -- --model mlp --runs 1 && cp -r test-output/bench/panel-runs/run-1 /tmp/mlp
//   npm run --silent bench:notebook -- /tmp/mlp [more run folders]
//
// Prints, per run, the test accuracy in the panel (run.json), of its weights in Keras, of the same
// weights in NumPy and of the reloaded .keras file; then the retrained model's, and both runs'
// curves epoch by epoch. The notebooks, executed copies and pictures go to test-output/bench/notebooks.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { executeNotebook, notebookPython, reloadKerasFile } from '../harness/notebookPython';
import { outputRoot, systemDatasetDir } from '../harness/paths';
import { runNotebookName, writeRunNotebook } from '../../src/notebook/runNotebookFiles';
import { parseSavedRun } from '../../src/shared/savedRun';
import { MODEL_FILES } from '../../src/model/modelStore';
import { evaluateIndependently } from './evaluateSaved';

/** A full CNN retraining on two busy cores takes a while; nothing here should take longer. */
const TIMEOUT_MS = 3 * 60 * 60_000;
const benchDir = join(outputRoot, 'bench', 'notebooks');

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const f4 = (n: number | null | undefined) => (n == null ? '   -   ' : n.toFixed(4));

async function continueRun(python: string, source: string): Promise<void> {
  const run = parseSavedRun(JSON.parse(readFileSync(join(source, 'run.json'), 'utf8')));
  if (!run) {
    throw new Error(`${source} holds no valid run.json`);
  }
  const name = `${runNotebookName(run.settings.model, run.finishedAt)}-${basename(resolve(source))}`;
  const dir = join(benchDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const notebook = join(dir, `${name}.ipynb`);
  const files = MODEL_FILES.map((file) => ({ name: file, bytes: readFileSync(join(source, file)) }));
  // Debian's gzipped files stand for the extension's verified folder: the notebook checks them the same way.
  await writeRunNotebook(
    notebook,
    { run, files },
    { finishedLabel: new Date(run.finishedAt).toLocaleString(), datasetFolder: systemDatasetDir },
  );
  log(`${name}: executing the notebook (the whole retraining: ${run.settings.epochs} epochs)…`);
  const started = Date.now();
  const report = await executeNotebook(python, notebook, {
    env: {},
    timeoutMs: TIMEOUT_MS,
    picturesDir: join(dir, 'pictures'),
  });
  const notebookSeconds = (Date.now() - started) / 1000;
  const reloaded = await reloadKerasFile(python, report.kerasFile, notebook, TIMEOUT_MS);
  const numpy = evaluateIndependently(python, join(dir, `${name}-run`));
  const apart = Math.round(Math.abs(report.loadedAccuracy - run.evaluation.accuracy) * report.testCount);
  console.log(
    `${name} (${run.settings.model}, ${run.history.length} epochs of ${run.trainCount} images, backend ${run.backend}):\n` +
      `  test accuracy: panel ${f4(run.evaluation.accuracy)}, its weights in Keras ${f4(report.loadedAccuracy)} ` +
      `(${apart} image(s) apart), in NumPy ${f4(numpy)}, the reloaded .keras file ${f4(reloaded.accuracy)}\n` +
      `  test loss: panel ${f4(run.evaluation.loss)}, Keras ${f4(report.loadedLoss)}\n` +
      `  retrained in Keras ${report.kerasVersion} on ${report.backend}: ${report.retrainEpochs} epochs, ` +
      `test accuracy ${f4(report.retrainedAccuracy)}; the notebook ran in ${notebookSeconds.toFixed(0)} s\n` +
      `  epoch | panel loss, val loss, val acc | Keras loss, val loss, val acc`,
  );
  const keras = report.retrainHistory;
  const epochs = Math.max(run.history.length, keras.loss.length);
  for (let i = 0; i < epochs; i++) {
    const p = run.history[i];
    console.log(
      `  ${String(i + 1).padStart(5)} | ${f4(p?.loss)}, ${f4(p?.valLoss)}, ${f4(p?.valAccuracy)} | ` +
        `${f4(keras.loss[i])}, ${f4(keras.val_loss?.[i])}, ${f4(keras.val_accuracy?.[i])}`,
    );
  }
  console.log(`  curves: ${join(dir, 'pictures', 'curves.png')}`);
}

async function main(): Promise<void> {
  const folders = process.argv.slice(2);
  if (folders.length === 0) {
    throw new Error('Name one or more run folders (each with model.json, weights.bin and run.json).');
  }
  const python = notebookPython();
  if ('reason' in python) {
    throw new Error(`No Python to run the notebooks: ${python.reason}`);
  }
  for (const folder of folders) {
    await continueRun(python.python, folder);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
