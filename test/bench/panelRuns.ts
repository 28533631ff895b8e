// Full training runs in the editor's own panel, as a person makes them: a fresh code-server and
// Chromium per run, "Train Fashion Classifier", Start, and the run's defaults for the chosen model
// on the whole data set. Each saved model is then evaluated on the 10,000 test images by
// evaluate_saved.py (NumPy on the saved files, without TF.js or this extension's code).
//
//   npm run --silent bench:panel                       three runs of the CNN preset
//   npm run --silent bench:panel -- --model mlp --runs 1
//   npm run --silent bench:panel -- --workers 1,2     each run once per fashionClassifier.workers
//                                                      value, side by side (unset: the default, auto)
//
// Prints one line per run and the medians; the figures and copies of the saved runs go to
// test-output/bench/panel-runs.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEditorSession } from '../e2e/editorSession';
import { selectedRun } from '../e2e/savedRuns';
import { outputRoot } from '../harness/paths';
import { median } from './report';
import { findTorchPython } from './torch';
import { evaluateIndependently } from './evaluateSaved';

/** Longer than any default run here (the CNN's is about 4-5 minutes). */
const RUN_TIMEOUT_MS = 20 * 60_000;

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'cnn' },
    runs: { type: 'string', default: '3' },
    workers: { type: 'string' },
  },
});
/** fashionClassifier.workers for each run in turn; undefined leaves the setting at its default. */
const workerSettings: (number | undefined)[] = args.workers ? args.workers.split(',').map(Number) : [undefined];
if (workerSettings.some((n) => (n === undefined ? false : !Number.isInteger(n) || n < 0 || n > 16))) {
  throw new Error(`--workers takes values of fashionClassifier.workers (0 to 16), not ${args.workers}`);
}
const model = args.model;
const runCount = Number(args.runs);
if (model !== 'cnn' && model !== 'mlp') {
  throw new Error(`--model is cnn or mlp, not ${model}`);
}
if (!Number.isInteger(runCount) || runCount < 1) {
  throw new Error(`--runs is a whole number from 1, not ${args.runs}`);
}
/**
 * The panel's and the independent evaluation may disagree on an image whose two best classes
 * tie to float rounding (TF.js and NumPy sum in different orders); more than this is a bug.
 */
const MOST_IMAGES_APART = 2;
const benchDir = join(outputRoot, 'bench', 'panel-runs');

interface PanelRun {
  run: number;
  /** fashionClassifier.workers as set for this run (undefined: the default). */
  workersSetting?: number;
  /** The threads the run trained on, as the panel says (1: the panel's own). */
  threads: number;
  backend: string;
  epochs: number;
  batchSize: number;
  medianEpochSeconds: number;
  /** From the click on Start to the panel's "success" status: loading, training, evaluation, saving. */
  wholeRunSeconds: number;
  panelAccuracy: number;
  independentAccuracy: number;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function trainOnce(index: number, workers: number | undefined, python: string): Promise<PanelRun> {
  const settings = {
    'fashionClassifier.model': model,
    ...(workers === undefined ? {} : { 'fashionClassifier.workers': workers }),
  };
  const session = await startEditorSession(`panel-run-${index}`, { settings });
  try {
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const panel = await session.workbench.webviewWith(`#model-section[data-model="${model}"] #total-params`, 120_000);
    const start = panel.locator('#start-training:not([disabled])');
    await start.waitFor({ timeout: 120_000 });
    const startedAt = Date.now();
    await start.click();
    const status = panel.locator('#status[data-kind="success"], #status[data-kind="error"]');
    await status.waitFor({ timeout: RUN_TIMEOUT_MS });
    const wholeRunSeconds = (Date.now() - startedAt) / 1000;
    if ((await status.getAttribute('data-kind')) === 'error') {
      throw new Error(`run ${index} failed in the panel: ${await status.innerText()}`);
    }
    const panelAccuracy = Number(await panel.locator('#test-accuracy').getAttribute('data-value'));
    const threads = Number((await panel.locator('#training-threads').getAttribute('data-workers')) ?? 1);
    const { folder, run } = await selectedRun(session.server.globalStorage);
    if (run.settings.model !== model || run.testCount !== 10_000) {
      throw new Error(`run ${index} trained ${run.settings.model} on ${run.testCount} test images`);
    }
    const kept = join(benchDir, `run-${index}${workers === undefined ? '' : `-workers-${workers}`}`);
    rmSync(kept, { recursive: true, force: true });
    cpSync(folder, kept, { recursive: true });
    return {
      run: index,
      workersSetting: workers,
      threads,
      backend: run.backend,
      epochs: run.history.length,
      batchSize: run.settings.batchSize,
      medianEpochSeconds: median(run.history.map((epoch) => epoch.seconds)),
      wholeRunSeconds,
      panelAccuracy,
      independentAccuracy: evaluateIndependently(python, kept),
    };
  } finally {
    await session.stop();
  }
}

async function main(): Promise<void> {
  const python = findTorchPython() ?? 'python3';
  mkdirSync(benchDir, { recursive: true });
  const runs: PanelRun[] = [];
  for (let index = 1; index <= runCount; index++) {
    // The settings take turns within a run index, so each comparison is of runs minutes apart.
    for (const workers of workerSettings) {
      const setting = workers === undefined ? '' : ` with fashionClassifier.workers ${workers}`;
      log(`run ${index} of ${runCount}: ${model} with its defaults${setting}, full data, in the editor's panel…`);
      const result = await trainOnce(index, workers, python);
      runs.push(result);
      // After every run, so a later failure loses none of the figures.
      writeFileSync(join(benchDir, `${model}.json`), JSON.stringify({ model, loadAverage: loadavg(), runs }, null, 2));
      console.log(
        `run ${result.run}${setting}: ${result.backend} on ${result.threads} thread(s), ${result.epochs} epochs of ${result.batchSize}, ` +
          `${result.medianEpochSeconds.toFixed(1)} s per epoch (median), whole run ${result.wholeRunSeconds.toFixed(0)} s, ` +
          `test accuracy ${result.panelAccuracy.toFixed(4)} in the panel, ${result.independentAccuracy.toFixed(4)} evaluated independently ` +
          `(load average ${loadavg()[0].toFixed(1)})`,
      );
    }
  }
  for (const workers of workerSettings) {
    const group = runs.filter((r) => r.workersSetting === workers);
    const setting = workers === undefined ? '' : ` (fashionClassifier.workers ${workers})`;
    console.log(
      `median of ${group.length}${setting}: test accuracy ${median(group.map((r) => r.independentAccuracy)).toFixed(4)} (independent), ` +
        `${median(group.map((r) => r.medianEpochSeconds)).toFixed(1)} s per epoch, ` +
        `whole run ${median(group.map((r) => r.wholeRunSeconds)).toFixed(0)} s`,
    );
  }
  if (workerSettings.length > 1) {
    // Each run index against the first setting's run of the same index: neighbours in time.
    for (const workers of workerSettings.slice(1)) {
      const ratios = runs
        .filter((r) => r.workersSetting === workers)
        .map(
          (r) =>
            r.wholeRunSeconds /
            runs.find((b) => b.run === r.run && b.workersSetting === workerSettings[0])!.wholeRunSeconds,
        );
      console.log(
        `whole run with fashionClassifier.workers ${workers} over ${workerSettings[0]}: ${ratios.map((x) => x.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)})`,
      );
    }
  }
  const apart = runs.filter((r) => Math.abs(r.panelAccuracy - r.independentAccuracy) * 10_000 > MOST_IMAGES_APART);
  if (apart.length > 0) {
    throw new Error(
      `the panel's and the independent evaluation disagree on run(s) ${apart.map((r) => r.run).join(', ')}`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
