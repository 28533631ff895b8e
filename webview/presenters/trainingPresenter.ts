// A live training run on screen and in the host: what runTraining's callbacks do with each step.
// The progress bar on every report, the curves at most once a second and after each epoch, the
// weights while training (when wanted), the host's progress notification a few times a second,
// the results once evaluated (runResults.ts, as for a saved run), and the model to the host.
import type * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../src/shared/backendPolicy';
import type { TrainingPlan } from '../../src/shared/ml';
import type { BatchCurve } from '../../src/shared/ml/batchCurve';
import type { EarlyStop } from '../../src/shared/ml/train';
import type { ClassifierProtocol, ExperimentRunInfo } from '../../src/shared/protocol';
import type { TrainingSettings } from '../../src/shared/settings';
import type { HostConnection } from '../hostChannel';
import { LiveWeights } from '../ml/liveWeights';
import type { RunProgress, RunThreads, TrainedResults, TrainingCallbacks, TrainingOutcome } from '../ml/runTraining';
import { describeStartup, markStartup } from '../startupTimings';
import type { CurveMark } from '../views/curveChart';
import type { PanelViews } from '../views/layout';
import { showRunResults } from './runResults';

/** Progress posted to the host at most this often; the notification need not be smoother. */
const PROGRESS_INTERVAL_MS = 250;
/** The curves are redrawn at most this often while an epoch runs: a redraw takes the page some 50 ms. */
const CHART_INTERVAL_MS = 1000;
/**
 * How long the page waits for the host to store a model: the store tries a few times over some
 * seconds and may wait for another window's lock; past this the host is gone.
 */
const SAVE_DEADLINE_MS = 120_000;

/** The marks early stopping leaves on the curves: the epoch kept and the last one trained. */
export function earlyStopMarks(earlyStop: EarlyStop): CurveMark[] {
  return earlyStop.bestEpoch === earlyStop.stoppedAfterEpoch
    ? [{ x: earlyStop.bestEpoch, label: 'stopped · best' }]
    : [
        { x: earlyStop.bestEpoch, label: 'best' },
        { x: earlyStop.stoppedAfterEpoch, label: 'stopped' },
      ];
}

/** A run of a repeat or sweep: its place, and who hears of its first batch (the gap between runs is timed to it). */
export interface ExperimentRun {
  info: ExperimentRunInfo;
  firstBatch(): void;
}

export function presentTraining(
  views: PanelViews,
  host: HostConnection<ClassifierProtocol>,
  settings: TrainingSettings,
  plan: TrainingPlan,
  experimentRun?: ExperimentRun,
): TrainingCallbacks {
  const experiment = experimentRun?.info;
  let live: LiveWeights | undefined;
  let lastPosted = 0;
  let lastDrawn = performance.now();
  let first = true;
  let history: Parameters<TrainingCallbacks['epoch']>[1] = [];
  let batches: BatchCurve | undefined;

  const firstBatch = () => {
    if (first) {
      first = false;
      markStartup('first-batch');
      host.log('info', `First batch trained; since the page started: ${describeStartup()}`);
      experimentRun?.firstBatch();
    }
  };

  return {
    async started(backend: BackendName, model: tf.LayersModel, seeded: TrainingSettings, threads: RunThreads) {
      host.post({
        type: 'trainingStarted',
        backend,
        settings: seeded,
        trainCount: plan.trainCount,
        validationCount: plan.validationCount,
        ...(experiment ? { experiment } : {}),
      });
      const workers = threads.workers > 1 ? ` × ${threads.workers} workers` : '';
      const place = experiment ? `${experiment.label}, run ${experiment.run} of ${experiment.runs}: ` : '';
      views.status.show(
        `${place}Training on ${plan.trainCount.toLocaleString('en-US')} images with ${backend}${workers}, seed ${seeded.seed}…`,
        'busy',
      );
      await views.training.showHistory([], settings.epochs);
      live = new LiveWeights(model, views.inside, threads.syncWeights);
      await live.showStart();
    },

    async batch(progress: RunProgress, curve: BatchCurve) {
      firstBatch();
      batches = curve;
      views.training.showProgress({ ...progress, secondsLeft: progress.secondsLeft ?? undefined });
      const now = performance.now();
      if (now - lastDrawn >= CHART_INTERVAL_MS) {
        lastDrawn = now;
        void views.training.showHistory(history, settings.epochs, curve.points);
      }
      if (now - lastPosted >= PROGRESS_INTERVAL_MS || progress.fraction >= 1) {
        lastPosted = now;
        const { epoch, epochs, fraction, secondsLeft } = progress;
        host.post({ type: 'trainingProgress', epoch, epochs, fraction, secondsLeft });
      }
      await live?.afterBatch(progress);
    },

    async epoch(metrics, sofar, curve) {
      history = sofar;
      host.post({ type: 'epochEnded', metrics, epochs: settings.epochs });
      await views.training.showHistory(sofar, settings.epochs, curve.points);
    },

    async trained(seconds, earlyStop) {
      if (earlyStop) {
        await views.training.showHistory(history, settings.epochs, batches?.points, earlyStopMarks(earlyStop));
        views.training.showProgress(
          null,
          `Early stopping: no lower validation loss for ${settings.earlyStoppingPatience} epoch(s), so training ended ` +
            `after epoch ${earlyStop.stoppedAfterEpoch} of ${settings.epochs} and kept the weights of epoch ${earlyStop.bestEpoch}, ` +
            `the lowest validation loss (${Math.round(seconds)} s).`,
        );
      } else {
        views.training.showProgress(null, `Finished ${settings.epochs} epochs in ${Math.round(seconds)} s.`);
      }
      views.status.show('Evaluating on the test set…', 'busy');
    },

    evaluated(results: TrainedResults) {
      const model = () => Promise.resolve(results.model);
      showRunResults(views, {
        evaluation: results.evaluation,
        trainAccuracy: history.at(-1)?.accuracy,
        predictions: results.predictions.map((p) => ({ ...p, pixels: Uint8Array.from(p.pixels) })),
        model,
        testImages: () => results.test,
        testCount: results.test.labels.length,
        inMemory: true,
      });
    },

    async save(files) {
      views.status.show('Saving the model…', 'busy');
      const reply = await host.request('saveModel', files, SAVE_DEADLINE_MS);
      return reply.unsaved ? { saved: false, problem: reply.unsaved } : { saved: true };
    },
  };
}

/** The status line and progress line once a run has ended, however it ended. */
export function presentOutcome(views: PanelViews, outcome: TrainingOutcome, epochs: number): void {
  switch (outcome.outcome) {
    case 'completed':
      if (outcome.unsaved) {
        views.status.show(
          `Trained: test accuracy ${outcome.testAccuracy.toFixed(4)}, but the model is not saved yet: "3. Train the model" says why and what to do.`,
          'warning',
        );
      } else {
        views.status.show(
          `Done: test accuracy ${outcome.testAccuracy.toFixed(4)}. The model is saved; right-click an image and choose "Classify image".`,
          'success',
        );
      }
      break;
    case 'stopped':
      views.training.showProgress(null, `Stopped after ${outcome.history.length} of ${epochs} epochs.`);
      views.status.show('Training stopped. The model saved before (if any) is unchanged.', 'warning');
      break;
    case 'failed':
      views.training.showProgress(null, 'Training failed.');
      views.status.show(`Training failed. ${outcome.problem.message}`, 'error');
      break;
  }
}
