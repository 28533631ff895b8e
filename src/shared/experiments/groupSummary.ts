// What a group of runs (a repeat of one setting, or a sweep's runs at one value) comes to: the
// mean ± standard deviation of each result, with the single values beside it, so the learner
// sees the spread the mean hides. Pure: no DOM, no `vscode`.
import type { SavedRun } from '../savedRun';
import { summarize, type ValueSummary } from '../stats/describe';

/** The results of one run that a group summarizes. */
export interface RunResults {
  testAccuracy: number;
  /** The validation loss of the weights the run kept (its last epoch, or its best one with early stopping); null without validation. */
  finalValidationLoss: number | null;
  /** Training time: the sum of the epochs' seconds. */
  seconds: number;
}

export interface GroupSummary {
  runs: number;
  testAccuracy: ValueSummary & { values: number[] };
  /** Null when no run of the group had validation. */
  finalValidationLoss: (ValueSummary & { values: number[] }) | null;
  seconds: ValueSummary & { values: number[] };
}

type RunRecord = Pick<SavedRun, 'history' | 'evaluation' | 'earlyStop'>;

/** The results of `run` that a group summarizes. */
export function runResults(run: RunRecord): RunResults {
  const kept = run.earlyStop ? run.history[run.earlyStop.bestEpoch - 1] : run.history.at(-1);
  return {
    testAccuracy: run.evaluation.accuracy,
    finalValidationLoss: kept?.valLoss ?? null,
    seconds: run.history.reduce((sum, epoch) => sum + epoch.seconds, 0),
  };
}

const withValues = (values: number[]) => ({ ...summarize(values), values });

/** The mean ± standard deviation of each result over `runs`, in the order given, with the single values. */
export function summarizeGroup(runs: readonly RunRecord[]): GroupSummary {
  if (runs.length === 0) {
    throw new RangeError('A group has at least one run.');
  }
  const results = runs.map(runResults);
  const losses = results.map((r) => r.finalValidationLoss).filter((loss): loss is number => loss !== null);
  return {
    runs: runs.length,
    testAccuracy: withValues(results.map((r) => r.testAccuracy)),
    finalValidationLoss: losses.length ? withValues(losses) : null,
    seconds: withValues(results.map((r) => r.seconds)),
  };
}

/** "0.8689 ± 0.0042" (or "0.8689" for one value), with `digits` decimals. */
export function formatMeanSd(summary: ValueSummary, digits = 4): string {
  const mean = summary.mean.toFixed(digits);
  return summary.standardDeviation === null ? mean : `${mean} ± ${summary.standardDeviation.toFixed(digits)}`;
}
