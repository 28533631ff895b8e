// One training run, the tutorial's steps 3 to 5: train, evaluate on the test set, predict a
// gallery of test images, and save. Reports to the views and the host as it goes.
import {
  BatchProgress,
  createModel,
  disposeModel,
  disposeTensors,
  evaluateModel,
  firstExamples,
  LabeledTensors,
  PIXELS_PER_IMAGE,
  predictSamples,
  splitExamples,
  StopSignal,
  toTensors,
  TrainingHistory,
  trainModel,
} from '../../src/shared/ml';
import { batchesPerReport } from '../../src/shared/backendPolicy';
import type { SavedPrediction, SavedRun } from '../../src/shared/savedRun';
import type { TrainingSettings } from '../../src/shared/settings';
import type { PanelViews } from '../views/layout';
import { vscode } from '../vscodeApi';
import { watchContextLoss } from './backend';
import type { LoadedDataset } from './loadDataset';
import { saveTrainedModel } from './saveTrainedModel';

/** How many test images get predictions: more than the grid shows, so the misclassified filter finds some. */
const PREDICTED_SAMPLES = 60;
/** Progress posted to the host at most this often; the notification need not be smoother. */
const PROGRESS_INTERVAL_MS = 250;

export type RunOutcome = 'completed' | 'stopped' | 'failed';

export class TrainingRun {
  private readonly stopSignal = new StopSignal();
  private contextLost = false;

  constructor(
    private readonly dataset: LoadedDataset,
    private readonly settings: TrainingSettings,
    private readonly backend: string,
    private readonly views: PanelViews,
  ) {}

  stop(): void {
    this.stopSignal.stop();
  }

  async run(): Promise<RunOutcome> {
    const { settings, views } = this;
    const tensors: LabeledTensors[] = [];
    const model = createModel(settings);
    const unwatch = watchContextLoss(() => {
      this.contextLost = true;
      this.stopSignal.stop();
    });
    try {
      const training = firstExamples(this.dataset.train, settings.trainSubsetSize);
      const split = splitExamples(training, settings.validationSplit);
      const testBytes = firstExamples(this.dataset.test, settings.testSubsetSize);
      const train = toTensors(split.train);
      const validation = split.validation ? toTensors(split.validation) : undefined;
      const test = toTensors(testBytes);
      tensors.push(train, test, ...(validation ? [validation] : []));

      vscode.postMessage({ type: 'trainingStarted', epochs: settings.epochs, backend: this.backend });
      views.status.show(
        `Training on ${train.ys.shape[0].toLocaleString('en-US')} images with ${this.backend}…`,
        'busy',
      );
      const history: TrainingHistory = [];
      const result = await trainModel(
        model,
        { train, validation },
        {
          epochs: settings.epochs,
          batchSize: settings.batchSize,
          onBatchEnd: this.progressReporter(),
          reportEveryBatches: batchesPerReport(this.backend),
          onEpochEnd: async (metrics) => {
            history.push(metrics);
            await views.training.showHistory(history, settings.epochs);
          },
          stopSignal: this.stopSignal,
        },
      );
      if (this.contextLost) {
        throw new Error(
          'The GPU context was lost (WebGL), so training stopped. Set fashionClassifier.backend to "wasm" and train again.',
        );
      }
      if (result.stoppedEarly) {
        views.training.showProgress(null, `Stopped after ${history.length} of ${settings.epochs} epochs.`);
        views.status.show('Training stopped. The model saved before (if any) is unchanged.', 'warning');
        return 'stopped';
      }
      views.training.showProgress(null, `Finished ${settings.epochs} epochs in ${Math.round(result.seconds)} s.`);
      views.status.show('Evaluating on the test set…', 'busy');
      const evaluation = await evaluateModel(model, test.xs, test.ys, 512);
      views.evaluation.show(evaluation, history.at(-1)?.accuracy);
      const sampleCount = Math.min(PREDICTED_SAMPLES, test.ys.shape[0]);
      const samples = await predictSamples(
        model,
        test,
        Array.from({ length: sampleCount }, (_, i) => i),
      );
      const predictions: SavedPrediction[] = samples.map((s) => ({
        pixels: Array.from(testBytes.pixels.subarray(s.index * PIXELS_PER_IMAGE, (s.index + 1) * PIXELS_PER_IMAGE)),
        trueLabel: s.trueLabel,
        predictedClass: s.predictedClass,
        probabilities: s.probabilities,
      }));
      views.predictions.show(predictions.map((p) => ({ ...p, pixels: Uint8Array.from(p.pixels) })));

      views.status.show('Saving the model…', 'busy');
      const run: SavedRun = {
        finishedAt: new Date().toISOString(),
        settings,
        backend: this.backend,
        trainCount: train.ys.shape[0],
        validationCount: validation?.ys.shape[0] ?? 0,
        testCount: test.ys.shape[0],
        history,
        evaluation: {
          loss: evaluation.loss,
          accuracy: evaluation.accuracy,
          confusionMatrix: evaluation.confusionMatrix,
        },
        predictions,
      };
      await saveTrainedModel(model, run);
      views.status.show(
        `Done: test accuracy ${evaluation.accuracy.toFixed(4)}. The model is saved; right-click an image and choose "Classify image".`,
        'success',
      );
      return 'completed';
    } finally {
      unwatch();
      tensors.forEach(disposeTensors);
      disposeModel(model);
    }
  }

  /** Updates the progress bar on every report, and the host's notification a few times a second. */
  private progressReporter(): (progress: BatchProgress) => void {
    const { settings, views } = this;
    const started = performance.now();
    let lastPosted = 0;
    return (progress) => {
      const total = settings.epochs * progress.batchesPerEpoch;
      const done = (progress.epoch - 1) * progress.batchesPerEpoch + progress.batch;
      const fraction = done / total;
      const elapsed = (performance.now() - started) / 1000;
      const secondsLeft = done >= 20 ? (elapsed / done) * (total - done) : null;
      views.training.showProgress({ ...progress, epochs: settings.epochs, secondsLeft: secondsLeft ?? undefined });
      const now = performance.now();
      if (now - lastPosted >= PROGRESS_INTERVAL_MS || done === total) {
        lastPosted = now;
        vscode.postMessage({
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
