// What a run costs, for estimating how long an experiment takes: its epochs times its training
// images. Model size and batch size change the time per image too; the estimate of a running
// experiment corrects itself from its own finished runs, so a rough weight is enough. Pure: no
// DOM, no `vscode`.
import type { SavedRun } from '../savedRun';
import type { TrainingSettings } from '../settings';
import { planTraining, type AvailableExamples } from '../ml/plan';

/** Epochs × training images `settings` train on `available` images; 0 for settings that cannot train. */
export function trainingCost(settings: TrainingSettings, available: AvailableExamples): number {
  const plan = planTraining(settings, available).plan;
  return plan ? settings.epochs * plan.trainCount : 0;
}

/** Runs of the history an estimate is taken from: the newest few are closest to the machine's speed now. */
const RUNS_FOR_ESTIMATE = 5;

/**
 * Seconds of training per epoch and training image, from the newest kept runs of `model` (each
 * its epochs' seconds over epochs × images); undefined without such a run.
 */
export function historySecondsPerCost(
  runs: readonly { run: Pick<SavedRun, 'settings' | 'history' | 'trainCount'> }[],
  model: TrainingSettings['model'],
): number | undefined {
  const recent = runs
    .filter(({ run }) => run.settings.model === model && run.history.length > 0 && run.trainCount > 0)
    .slice(0, RUNS_FOR_ESTIMATE);
  const cost = recent.reduce((sum, { run }) => sum + run.history.length * run.trainCount, 0);
  const seconds = recent.reduce((sum, { run }) => sum + run.history.reduce((s, epoch) => s + epoch.seconds, 0), 0);
  return cost > 0 ? seconds / cost : undefined;
}

/** Seconds as an estimate reads: "about 40 s" under a minute and a half, "about 3 min" above. */
export function aboutDuration(seconds: number): string {
  return seconds < 90 ? `about ${Math.max(1, Math.round(seconds))} s` : `about ${Math.round(seconds / 60)} min`;
}
