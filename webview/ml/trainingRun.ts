// One training run, the tutorial's steps 3 to 5: train, evaluate on the test set, predict a
// gallery of test images, and save. Reports to the views and the host as it goes.
import { batchesPerReport } from '../../src/shared/backendPolicy';
import {
  BatchProgress,
  createModel,
  disposeModel,
  firstExamples,
  PIXELS_PER_IMAGE,
  predictSamples,
  splitExamples,
  StopSignal,
  TrainingHistory,
  TrainingPlan,
} from '../../src/shared/ml';
import type { Problem } from '../../src/shared/panelMessages';
import type { ModelSavedMessage, TrainingEndedMessage, WebviewToHost } from '../../src/shared/protocol';
import type { SavedPrediction, SavedRun } from '../../src/shared/savedRun';
import type { TrainingSettings } from '../../src/shared/settings';
import type { HostConnection } from '../hostChannel';
import { describeStartup, markStartup } from '../startupTimings';
import type * as tf from '@tensorflow/tfjs';
import { BatchCurve } from '../../src/shared/ml/batchCurve';
import type { EarlyStop } from '../../src/shared/ml/train';
import type { CurveMark } from '../views/curveChart';
import type { CardActions } from '../views/predictionCard';
import type { PanelViews } from '../views/layout';
import type { ActiveBackend } from './backend';
import { ContextLossGuard } from './contextLossGuard';
import type { LoadedDataset } from './loadDataset';
import { insideModel } from './insideModel';
import { LiveWeights } from './liveWeights';
import { saveTrainedModel } from './saveTrainedModel';
import { TestSetInspector } from './testSetInspector';
import { occlusionSaliency } from '../../src/shared/ml/saliency';
import type { Trainer } from '../../src/shared/ml/parallel/trainer';
import { WorkersFailed } from '../../src/shared/ml/parallel/workersOrThread';
import { trainerForRun } from './workers/runTrainer';

/** How many test images get predictions: more than the grid shows, so the misclassified filter finds some. */
const PREDICTED_SAMPLES = 60;
/** Progress posted to the host at most this often; the notification need not be smoother. */
const PROGRESS_INTERVAL_MS = 250;
/** The curves are redrawn at most this often while an epoch runs: a redraw takes the page some 50 ms. */
const CHART_INTERVAL_MS = 1000;

export type RunEnd = Omit<TrainingEndedMessage, 'type'>;

/** The marks early stopping leaves on the curves: the epoch kept and the last one trained. */
export function earlyStopMarks(earlyStop: EarlyStop): CurveMark[] {
  return earlyStop.bestEpoch === earlyStop.stoppedAfterEpoch
    ? [{ x: earlyStop.bestEpoch, label: 'stopped · best' }]
    : [
        { x: earlyStop.bestEpoch, label: 'best' },
        { x: earlyStop.stoppedAfterEpoch, label: 'stopped' },
      ];
}

/** A failure that says what happened in the learner's words; anything else is TF.js' own error. */
class ExplainedFailure extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

export class TrainingRun {
  private readonly stopSignal = new StopSignal();
  private readonly history: TrainingHistory = [];
  private readonly curve = new BatchCurve();
  /** The model of a completed run, handed to the caller (who disposes it) by `takeModel`. */
  private trained: tf.LayersModel | undefined;

  constructor(
    private readonly dataset: LoadedDataset,
    private readonly settings: TrainingSettings,
    private readonly plan: TrainingPlan,
    private readonly views: PanelViews,
    private readonly host: HostConnection<WebviewToHost>,
  ) {}

  stop(): void {
    this.stopSignal.stop();
  }

  /** The trained model after a completed run (undefined otherwise); the caller now owns it. */
  takeModel(): tf.LayersModel | undefined {
    const model = this.trained;
    this.trained = undefined;
    return model;
  }

  /** Runs to the end and says how it ended; never throws (a failure is explained in the result). */
  async run(backendReady: Promise<ActiveBackend | undefined>): Promise<RunEnd> {
    try {
      const backend = await backendReady;
      if (!backend) {
        throw new ExplainedFailure({
          message:
            'No TensorFlow.js backend started in this panel, so it cannot train. Reload the window to try again.',
          actions: [{ kind: 'showLog' }],
        });
      }
      return await this.train(backend);
    } catch (error) {
      this.host.log('error', 'Training failed', error);
      const problem: Problem =
        error instanceof ExplainedFailure
          ? error.problem
          : error instanceof WorkersFailed
            ? workersFailed(error)
            : {
                // TF.js' own words mean nothing to a learner; the log keeps them with the stack.
                message:
                  'Training stopped on an error inside TensorFlow.js. The model saved before (if any) is unchanged. ' +
                  'Start training again, or choose another backend in the fashionClassifier.backend setting; the log has the details.',
                actions: [{ kind: 'showLog' }, { kind: 'openSetting', setting: 'fashionClassifier.backend' }],
              };
      this.views.training.showProgress(null, 'Training failed.');
      this.views.status.show(`Training failed. ${problem.message}`, 'error');
      return { outcome: 'failed', problem };
    }
  }

  private async train(active: ActiveBackend): Promise<RunEnd> {
    const { settings, views, plan } = this;
    const backend = active.name;
    const model = createModel(settings);
    let trainer: Trainer | undefined;
    const gpu = new ContextLossGuard(
      () => this.stopSignal.stop(),
      () => contextLostFailure(),
    );
    try {
      const training = firstExamples(this.dataset.train, settings.trainSubsetSize);
      const { train, validation } = splitExamples(training, settings.validationSplit);
      const test = firstExamples(this.dataset.test, settings.testSubsetSize);

      trainer = await trainerForRun(active, settings, {
        log: (level, message) => this.host.log(level, message),
        show: (note) => views.training.showWorkers(note),
      });
      this.host.post({
        type: 'trainingStarted',
        backend,
        settings,
        trainCount: plan.trainCount,
        validationCount: plan.validationCount,
      });
      const threads = trainer.workers > 1 ? ` × ${trainer.workers} workers` : '';
      views.status.show(
        `Training on ${plan.trainCount.toLocaleString('en-US')} images with ${backend}${threads}…`,
        'busy',
      );
      await views.training.showHistory([], settings.epochs);
      const history = this.history;
      const report = this.progressReporter();
      const live = new LiveWeights(model, views.inside, () => trainer!.syncWeights(model));
      await live.showStart();
      const result = await gpu.race(
        trainer.train(
          model,
          { train, validation },
          {
            epochs: settings.epochs,
            batchSize: settings.batchSize,
            earlyStoppingPatience: settings.earlyStoppingPatience,
            learningRateDecay: settings.learningRateDecay,
            onBatchEnd: async (progress) => {
              report(progress);
              await live.afterBatch(progress);
            },
            reportEveryBatches: batchesPerReport(backend),
            onEpochEnd: async (metrics) => {
              history.push(metrics);
              this.host.post({ type: 'epochEnded', metrics, epochs: settings.epochs });
              await views.training.showHistory(history, settings.epochs, this.curve.points);
            },
            stopSignal: this.stopSignal,
          },
        ),
      );
      if (gpu.contextLost) {
        throw contextLostFailure();
      }
      if (result.stoppedEarly) {
        views.training.showProgress(null, `Stopped after ${history.length} of ${settings.epochs} epochs.`);
        views.status.show('Training stopped. The model saved before (if any) is unchanged.', 'warning');
        return { outcome: 'stopped' };
      }
      const earlyStop = result.earlyStop;
      if (earlyStop) {
        const marks = earlyStopMarks(earlyStop);
        await views.training.showHistory(history, settings.epochs, this.curve.points, marks);
        views.training.showProgress(
          null,
          `Early stopping: no lower validation loss for ${settings.earlyStoppingPatience} epoch(s), so training ended ` +
            `after epoch ${earlyStop.stoppedAfterEpoch} of ${settings.epochs} and kept the weights of epoch ${earlyStop.bestEpoch}, ` +
            `the lowest validation loss (${Math.round(result.seconds)} s).`,
        );
      } else {
        views.training.showProgress(null, `Finished ${settings.epochs} epochs in ${Math.round(result.seconds)} s.`);
      }
      views.status.show('Evaluating on the test set…', 'busy');
      const evaluation = await gpu.race(trainer.evaluate(model, test, 512));
      const inspector = new TestSetInspector(
        () => Promise.resolve(model),
        () => test,
      );
      views.inside.show(
        insideModel(
          () => Promise.resolve(model),
          () => test,
          test.labels.length,
        ),
        true,
      );
      const cardActions: CardActions = {
        explain: (pixels) => occlusionSaliency(model, pixels),
        showInside: (picture) => views.inside.lookAt(picture),
      };
      views.evaluation.show(evaluation, history.at(-1)?.accuracy, {
        loadCell: (...cell) => inspector.cellPage(...cell),
        ...cardActions,
      });
      const sampleCount = Math.min(PREDICTED_SAMPLES, test.labels.length);
      const samples = await gpu.race(
        predictSamples(
          model,
          test,
          Array.from({ length: sampleCount }, (_, i) => i),
        ),
      );
      const predictions: SavedPrediction[] = samples.map((s) => ({
        pixels: Array.from(test.pixels.subarray(s.index * PIXELS_PER_IMAGE, (s.index + 1) * PIXELS_PER_IMAGE)),
        trueLabel: s.trueLabel,
        predictedClass: s.predictedClass,
        probabilities: s.probabilities,
      }));
      views.predictions.show(
        predictions.map((p, i) => ({ ...p, pixels: Uint8Array.from(p.pixels), testIndex: samples[i].index })),
        cardActions,
      );

      views.status.show('Saving the model…', 'busy');
      const run: SavedRun = {
        finishedAt: new Date().toISOString(),
        settings,
        backend,
        trainCount: plan.trainCount,
        validationCount: plan.validationCount,
        testCount: plan.testCount,
        history,
        batchCurve: [...this.curve.points],
        ...(earlyStop ? { earlyStop } : {}),
        evaluation: {
          loss: evaluation.loss,
          accuracy: evaluation.accuracy,
          confusionMatrix: evaluation.confusionMatrix,
        },
        predictions,
      };
      // Saving reads the weights back, which a lost context would leave waiting for ever.
      await gpu.race(this.save(model, run));
      if (gpu.contextLost) {
        throw contextLostFailure();
      }
      views.status.show(
        `Done: test accuracy ${evaluation.accuracy.toFixed(4)}. The model is saved; right-click an image and choose "Classify image".`,
        'success',
      );
      this.trained = model;
      return { outcome: 'completed', testAccuracy: evaluation.accuracy };
    } finally {
      gpu.dispose();
      trainer?.dispose();
      if (this.trained !== model) {
        disposeModel(model);
      }
    }
  }

  private async save(model: Parameters<typeof saveTrainedModel>[0], run: SavedRun): Promise<void> {
    try {
      await saveTrainedModel(model, run, (request) =>
        this.host.request<ModelSavedMessage>((id) => ({ type: 'saveModel', id, ...request })),
      );
    } catch (error) {
      throw new ExplainedFailure({
        message: `The trained model could not be saved: ${error instanceof Error ? error.message : String(error)} The model saved before (if any) is unchanged.`,
        actions: [{ kind: 'showLog' }],
      });
    }
  }

  /** Updates the progress bar on every report, and the host's notification a few times a second. */
  private progressReporter(): (progress: BatchProgress) => void {
    const { settings, views } = this;
    const started = performance.now();
    let lastPosted = 0;
    let lastDrawn = performance.now();
    let first = true;
    return (progress) => {
      if (first) {
        first = false;
        markStartup('first-batch');
        this.host.log('info', `First batch trained; since the page started: ${describeStartup()}`);
      }
      const total = settings.epochs * progress.batchesPerEpoch;
      const done = (progress.epoch - 1) * progress.batchesPerEpoch + progress.batch;
      const fraction = done / total;
      const elapsed = (performance.now() - started) / 1000;
      const secondsLeft = done >= 20 ? (elapsed / done) * (total - done) : null;
      views.training.showProgress({ ...progress, epochs: settings.epochs, secondsLeft: secondsLeft ?? undefined });
      this.curve.add(progress.epoch, progress.batch, progress.batchesPerEpoch, progress.loss, progress.accuracy);
      const now = performance.now();
      if (now - lastDrawn >= CHART_INTERVAL_MS) {
        lastDrawn = now;
        void views.training.showHistory(this.history, settings.epochs, this.curve.points);
      }
      if (now - lastPosted >= PROGRESS_INTERVAL_MS || done === total) {
        lastPosted = now;
        this.host.post({
          type: 'trainingProgress',
          epoch: progress.epoch,
          epochs: settings.epochs,
          fraction,
          secondsLeft,
        });
      }
    };
  }
}

/** A training worker failed mid-run (the run is lost, the saved model untouched). */
function workersFailed(error: WorkersFailed): Problem {
  return {
    message: `A training worker stopped: ${error.message} The model saved before (if any) is unchanged. Start training again, or set fashionClassifier.workers to 1 to train on one thread.`,
    actions: [{ kind: 'openSetting', setting: 'fashionClassifier.workers' }, { kind: 'showLog' }],
  };
}

function contextLostFailure(): ExplainedFailure {
  return new ExplainedFailure({
    message:
      'The GPU stopped answering (WebGL lost its context), so training stopped and this run was lost; the model ' +
      'saved before (if any) is unchanged. Continue on WebAssembly to train again with the same settings on ' +
      'the CPU, or set fashionClassifier.backend to "wasm" to train there from now on.',
    actions: [
      { kind: 'trainOnWasm' },
      { kind: 'openSetting', setting: 'fashionClassifier.backend' },
      { kind: 'showLog' },
    ],
  });
}
