// One training run, the tutorial's steps 3 to 5 without a screen: train, evaluate on the test
// set, predict a gallery of test images, and hand the model over to be saved. Whoever runs it
// hears of each step through callbacks (see presenters/trainingPresenter.ts); nothing here knows
// a view or the host. Never throws: how the run ended, and why, is its result.
import * as tf from '@tensorflow/tfjs';
import { batchesPerReport, type BackendName } from '../../src/shared/backendPolicy';
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
  type ExampleBytes,
} from '../../src/shared/ml';
import { BatchCurve } from '../../src/shared/ml/batchCurve';
import type { EpochMetrics } from '../../src/shared/ml/history';
import type { EarlyStop } from '../../src/shared/ml/train';
import type { Problem } from '../../src/shared/panelMessages';
import type { RunGroup } from '../../src/shared/experiments/runGroup';
import type { SavedPrediction, SavedRun } from '../../src/shared/savedRun';
import type { TrainingSettings } from '../../src/shared/settings';
import { withRunSeed } from '../../src/shared/ml/random';
import { singleThreadTrainer, type Trainer } from '../../src/shared/ml/parallel/trainer';
import { WorkersFailed } from '../../src/shared/ml/parallel/workersOrThread';
import type { ActiveBackend } from './backend';
import { ContextLossGuard } from './contextLossGuard';
import type { LoadedDataset } from './loadDataset';
import type { ModelFiles } from './saveTrainedModel';
import { saveTrainedModel } from './saveTrainedModel';

/** How many test images get predictions: more than the grid shows, so the misclassified filter finds some. */
const PREDICTED_SAMPLES = 60;

/** Where the run is, for a progress bar: the batch's own figures, the run's fraction, and an estimate. */
export interface RunProgress extends BatchProgress {
  epochs: number;
  /** Fraction of the whole run done, 0-1. */
  fraction: number;
  /** Estimate, or null before the first batches are timed. */
  secondsLeft: number | null;
}

/** What a completed run shows: its evaluation, the gallery, and the model with its test images. */
export interface TrainedResults {
  model: tf.LayersModel;
  test: ExampleBytes;
  evaluation: SavedRun['evaluation'];
  /** The gallery, each with its index in `test`. */
  predictions: (SavedPrediction & { testIndex: number })[];
}

/** What the model's store answered: saved, or why not (it then keeps the model; see UnsavedModel). */
export type SaveOutcome = { saved: true } | { saved: false; problem: Problem };

/** The threads a run trains on, as the run's start reports them. */
export interface RunThreads {
  /** 1: the page's own thread; more: data-parallel workers. */
  workers: number;
  /** Gives the page's model the weights training has reached (workers train replicas, not it). */
  syncWeights(): Promise<void>;
}

export interface TrainingCallbacks {
  /** The model exists and the run begins, on `backend`, with `settings` (their seed filled in). */
  started(
    backend: BackendName,
    model: tf.LayersModel,
    settings: TrainingSettings,
    threads: RunThreads,
  ): Promise<void> | void;
  /** Every reported batch. */
  batch(progress: RunProgress, curve: BatchCurve): Promise<void> | void;
  /** An epoch is complete, its validation included; `history` holds it. */
  epoch(metrics: EpochMetrics, history: TrainingHistory, curve: BatchCurve): Promise<void> | void;
  /** Training is over (every epoch, or early stopping); evaluation comes next. */
  trained(seconds: number, earlyStop: EarlyStop | undefined): Promise<void> | void;
  /** Evaluated and predicted: what the result sections show. */
  evaluated(results: TrainedResults): Promise<void> | void;
  /** Stores the trained model and its run. */
  save(files: ModelFiles): Promise<SaveOutcome>;
}

export interface TrainingInput {
  dataset: LoadedDataset;
  settings: TrainingSettings;
  plan: TrainingPlan;
  backend: Promise<ActiveBackend | undefined>;
  stopSignal: StopSignal;
  /** Who trains: data-parallel workers where the settings ask for them; the page's thread without this. */
  trainerFor?: (backend: ActiveBackend, settings: TrainingSettings) => Promise<Trainer>;
  /** The repeat or sweep the run belongs to, kept in its run.json. */
  group?: RunGroup;
}

export type TrainingOutcome =
  | {
      outcome: 'completed';
      testAccuracy: number;
      /** The trained model; the caller owns it now. */
      model: tf.LayersModel;
      /** Set when the model is trained but not stored. */
      unsaved?: Problem;
    }
  | { outcome: 'stopped'; history: TrainingHistory }
  | { outcome: 'failed'; problem: Problem; error: unknown };

/** A failure that says what happened in the learner's words; anything else is TF.js' own error. */
class ExplainedFailure extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/** Trains, evaluates, predicts and saves; says how it ended. */
export async function runTraining(input: TrainingInput, callbacks: TrainingCallbacks): Promise<TrainingOutcome> {
  try {
    const backend = await input.backend;
    if (!backend) {
      throw new ExplainedFailure({
        message: 'No TensorFlow.js backend started in this panel, so it cannot train. Reload the window to try again.',
        actions: [{ kind: 'showLog' }],
      });
    }
    return await train(input, backend, callbacks);
  } catch (error) {
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
    return { outcome: 'failed', problem, error };
  }
}

async function train(
  { dataset, settings: asked, plan, stopSignal, trainerFor, group }: TrainingInput,
  active: ActiveBackend,
  callbacks: TrainingCallbacks,
): Promise<TrainingOutcome> {
  const backend = active.name;
  // The seed decides the initial weights, the order of the examples and the dropout masks.
  const settings = withRunSeed(asked);
  const model = createModel(settings);
  let kept = false;
  let trainer: Trainer | undefined;
  const gpu = new ContextLossGuard(
    () => stopSignal.stop(),
    () => contextLostFailure(),
  );
  try {
    const training = firstExamples(dataset.train, settings.trainSubsetSize);
    const { train, validation } = splitExamples(training, settings.validationSplit);
    const test = firstExamples(dataset.test, settings.testSubsetSize);
    trainer = trainerFor ? await trainerFor(active, settings) : singleThreadTrainer;
    const chosen = trainer;
    await callbacks.started(backend, model, settings, {
      workers: chosen.workers,
      syncWeights: () => chosen.syncWeights(model),
    });
    const history: TrainingHistory = [];
    const curve = new BatchCurve();
    const progress = progressOf(settings.epochs);
    const result = await gpu.race(
      chosen.train(
        model,
        { train, validation },
        {
          epochs: settings.epochs,
          batchSize: settings.batchSize,
          seed: settings.seed,
          earlyStoppingPatience: settings.earlyStoppingPatience,
          learningRateDecay: settings.learningRateDecay,
          onBatchEnd: (batch) => {
            curve.add(batch.epoch, batch.batch, batch.batchesPerEpoch, batch.loss, batch.accuracy);
            return callbacks.batch(progress(batch), curve);
          },
          reportEveryBatches: batchesPerReport(backend),
          onEpochEnd: (metrics) => {
            history.push(metrics);
            return callbacks.epoch(metrics, history, curve);
          },
          stopSignal,
        },
      ),
    );
    if (gpu.contextLost) {
      throw contextLostFailure();
    }
    if (result.stoppedEarly) {
      return { outcome: 'stopped', history };
    }
    await callbacks.trained(result.seconds, result.earlyStop);
    const evaluation = await gpu.race(chosen.evaluate(model, test, 512));
    const sampleCount = Math.min(PREDICTED_SAMPLES, test.labels.length);
    const samples = await gpu.race(
      predictSamples(
        model,
        test,
        Array.from({ length: sampleCount }, (_, i) => i),
      ),
    );
    const predictions = samples.map((s) => ({
      pixels: Array.from(test.pixels.subarray(s.index * PIXELS_PER_IMAGE, (s.index + 1) * PIXELS_PER_IMAGE)),
      trueLabel: s.trueLabel,
      predictedClass: s.predictedClass,
      probabilities: s.probabilities,
      testIndex: s.index,
    }));
    const results: TrainedResults = {
      model,
      test,
      evaluation: {
        loss: evaluation.loss,
        accuracy: evaluation.accuracy,
        confusionMatrix: evaluation.confusionMatrix,
      },
      predictions,
    };
    await callbacks.evaluated(results);
    const run: SavedRun = {
      finishedAt: new Date().toISOString(),
      settings,
      backend,
      trainCount: plan.trainCount,
      validationCount: plan.validationCount,
      testCount: plan.testCount,
      history,
      batchCurve: [...curve.points],
      ...(result.earlyStop ? { earlyStop: result.earlyStop } : {}),
      evaluation: results.evaluation,
      predictions: predictions.map(({ testIndex: _testIndex, ...prediction }) => prediction),
      ...(group ? { group } : {}),
    };
    // Saving reads the weights back, which a lost context would leave waiting for ever.
    const saved = await gpu.race(save(model, run, callbacks));
    if (gpu.contextLost) {
      throw contextLostFailure();
    }
    kept = true;
    return {
      outcome: 'completed',
      testAccuracy: evaluation.accuracy,
      model,
      ...(saved.saved ? {} : { unsaved: saved.problem }),
    };
  } finally {
    gpu.dispose();
    trainer?.dispose();
    if (!kept) {
      disposeModel(model);
    }
  }
}

async function save(model: tf.LayersModel, run: SavedRun, callbacks: TrainingCallbacks): Promise<SaveOutcome> {
  try {
    return await saveTrainedModel(model, run, (files) => callbacks.save(files));
  } catch (error) {
    // The host did not answer at all (it keeps nothing then): the model lives only in this page.
    throw new ExplainedFailure({
      message: `The trained model could not be saved: ${error instanceof Error ? error.message : String(error)} The model saved before (if any) is unchanged.`,
      actions: [{ kind: 'showLog' }],
    });
  }
}

/** Turns a batch's report into the run's progress, with an estimate once 20 batches are timed. */
function progressOf(epochs: number): (batch: BatchProgress) => RunProgress {
  const started = performance.now();
  return (batch) => {
    const total = epochs * batch.batchesPerEpoch;
    const done = (batch.epoch - 1) * batch.batchesPerEpoch + batch.batch;
    const elapsed = (performance.now() - started) / 1000;
    return {
      ...batch,
      epochs,
      fraction: done / total,
      secondsLeft: done >= 20 ? (elapsed / done) * (total - done) : null,
    };
  };
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
