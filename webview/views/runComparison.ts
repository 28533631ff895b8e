// What sets compared runs apart: their settings and results side by side, with the values that
// differ marked, and their curves on one chart. Pure helpers for the rows; the view draws them.
import type { RunSummary } from '../../src/shared/protocol';
import type { CurvePoint } from './curveChart';
import { formatCount, formatMetric, formatSeconds } from './format';

export interface ComparisonRow {
  key: string;
  label: string;
  values: string[];
  /** True when the compared runs do not all have the same value. */
  differs: boolean;
}

const subset = (n: number) => (n === 0 ? 'all' : formatCount(n));
const seconds = (run: RunSummary['run']) => run.history.reduce((sum, epoch) => sum + epoch.seconds, 0);

/** A short name of a run for legends: its time of day and model. */
export function runLabel(summary: RunSummary): string {
  const time = new Date(summary.run.finishedAt).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return `${time} ${summary.run.settings.model.toUpperCase()}`;
}

const ROWS: [key: string, label: string, value: (r: RunSummary['run']) => string][] = [
  ['model', 'Model', (r) => r.settings.model.toUpperCase()],
  ['epochs', 'Epochs', (r) => String(r.settings.epochs)],
  ['epochsTrained', 'Epochs trained', (r) => String(r.history.length)],
  ['batchSize', 'Batch size', (r) => String(r.settings.batchSize)],
  ['learningRate', 'Learning rate', (r) => String(r.settings.learningRate)],
  // Runs saved before the setting existed trained at a constant rate.
  ['learningRateDecay', 'Learning rate decay per epoch', (r) => String(r.settings.learningRateDecay ?? 1)],
  ['hiddenUnits', 'Hidden units', (r) => (r.settings.model === 'mlp' ? String(r.settings.hiddenUnits) : '–')],
  ['dropout', 'Dropout', (r) => (r.settings.model === 'mlp' ? String(r.settings.dropout) : '–')],
  ['validationSplit', 'Validation split', (r) => String(r.settings.validationSplit)],
  ['trainSubsetSize', 'Training images used', (r) => subset(r.settings.trainSubsetSize)],
  ['testSubsetSize', 'Test images used', (r) => subset(r.settings.testSubsetSize)],
  [
    'earlyStoppingPatience',
    'Early stopping patience',
    (r) => (r.settings.earlyStoppingPatience ? String(r.settings.earlyStoppingPatience) : 'off'),
  ],
  ['backend', 'Backend', (r) => r.backend],
  // Runs saved before runs recorded their seed have none.
  ['seed', 'Seed', (r) => (r.settings.seed === null ? 'not recorded' : String(r.settings.seed))],
  ['duration', 'Training time', (r) => formatSeconds(seconds(r))],
  ['finalLoss', 'Final training loss', (r) => (r.history.length ? formatMetric(r.history.at(-1)!.loss) : '–')],
  [
    'finalValAccuracy',
    'Final validation accuracy',
    (r) => formatMetric(r.history.at(-1)?.valAccuracy ?? NaN).replace('NaN', '–'),
  ],
  ['testLoss', 'Test loss', (r) => formatMetric(r.evaluation.loss)],
  ['testAccuracy', 'Test accuracy', (r) => formatMetric(r.evaluation.accuracy)],
];

/** The rows of the side-by-side table for `runs`, in the order given. */
export function comparisonRows(runs: readonly RunSummary[]): ComparisonRow[] {
  return ROWS.map(([key, label, value]) => {
    const values = runs.map((summary) => value(summary.run));
    return { key, label, values, differs: new Set(values).size > 1 };
  });
}

/** The compared runs' epoch points (and batch curves) for one metric, each tagged with its run. */
export function comparisonPoints(runs: readonly RunSummary[], metric: 'loss' | 'accuracy'): CurvePoint[] {
  const validation = metric === 'loss' ? 'valLoss' : 'valAccuracy';
  return runs.flatMap((summary) => {
    const run = runLabel(summary);
    const points: CurvePoint[] = (summary.run.batchCurve ?? []).map((b) => ({
      x: b.x,
      y: b[metric],
      series: 'batches',
      run,
    }));
    for (const epoch of summary.run.history) {
      points.push({ x: epoch.epoch, y: epoch[metric], series: 'training', run });
      const value = epoch[validation];
      if (value !== null) {
        points.push({ x: epoch.epoch, y: value, series: 'validation', run });
      }
    }
    return points;
  });
}
