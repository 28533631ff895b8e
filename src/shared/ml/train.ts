// Training: the epochs and batches of model.fit, with progress reports, a stop button, and no
// tensors left behind.
import * as tf from '@tensorflow/tfjs';
import type { EpochMetrics, TrainingHistory } from './history';
import { gatherExamples, type ExampleBytes } from './tensors';
import { drawSeed, epochOrder } from './random';
import { adjustableLearningRate } from './tfInternals';
import { createTrainingStep, lossAndAccuracy, type TrainingStep } from './trainingStep';

/** Progress within an epoch, for a progress bar and a live loss curve. */
export interface BatchProgress {
  /** 1-based. */
  epoch: number;
  /** Batches finished in this epoch, 1 to `batchesPerEpoch`. */
  batch: number;
  batchesPerEpoch: number;
  /** Loss and accuracy of this batch alone (Keras' progress bar shows running means instead). */
  loss: number;
  accuracy: number;
}

export interface TrainingData {
  train: ExampleBytes;
  validation?: ExampleBytes;
}

/** Lets the caller end training between two batches; hand it to `trainModel` and call `stop()`. */
export class StopSignal {
  private requested = false;

  stop(): void {
    this.requested = true;
  }

  get stopRequested(): boolean {
    return this.requested;
  }
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /**
   * Decides every epoch's order of the examples and every dropout mask (random.ts,
   * dropoutMasks.ts); the initial weights come from the same seed through createModel. Absent,
   * a new one is drawn (TrainResult.seed says which).
   */
  seed?: number;
  /** Called for every `reportEveryBatches`-th batch of an epoch. */
  onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
  /**
   * Reading metrics back stalls a GPU backend's pipeline, so batch metrics are read only for
   * the batches that are reported. 1 (the default) reports every batch.
   */
  reportEveryBatches?: number;
  /** Called after each complete epoch, with the metrics that go into the history. */
  onEpochEnd?: (metrics: EpochMetrics) => void | Promise<void>;
  stopSignal?: StopSignal;
  /**
   * Early stopping (Keras' EarlyStopping with restore_best_weights): after `patience` epochs
   * without a lower validation loss, training ends and the model gets the best epoch's weights
   * back. Needs validation data; absent or 0 trains every epoch.
   */
  earlyStoppingPatience?: number;
  /**
   * Epoch e trains at the compiled learning rate × decay^(e−1), as Keras' LearningRateScheduler
   * with an exponential schedule; absent or 1 keeps it constant.
   */
  learningRateDecay?: number;
  /**
   * How often training hands control back to the event loop so the page can repaint and
   * receive messages (the stop request among them). TF.js' fit yields every 125 ms too.
   */
  yieldEveryMs?: number;
  /** How to hand control back; the default is a macrotask (see `nextMacrotask`). */
  yieldFunc?: () => Promise<void>;
}

/** Where early stopping ended a run: the epoch whose weights the model kept, and the last one trained. */
export interface EarlyStop {
  bestEpoch: number;
  stoppedAfterEpoch: number;
}

export interface TrainResult {
  history: TrainingHistory;
  /** True when the stop signal ended training before the last epoch was complete. */
  stoppedEarly: boolean;
  /** Set when early stopping ended training before its last epoch. */
  earlyStop?: EarlyStop;
  seconds: number;
  /** The seed the examples' order and the dropout masks came from. */
  seed: number;
}

/**
 * Resolves on the next macrotask. TF.js' fit yields with `requestAnimationFrame`, which stops
 * firing in a hidden panel and would freeze training there; a MessageChannel message is neither
 * paused nor clamped to 1 s like timers in background pages, yet still lets the page repaint
 * and handle messages between batches.
 */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.addEventListener('message', () => {
      port1.close();
      resolve();
    });
    port1.start();
    port2.postMessage(null);
  });
}

/**
 * The batch losses and accuracies of an epoch, kept on the backend and summed at its end,
 * weighted by batch size as Keras' epoch logs are: nothing is read back per batch for them.
 */
class EpochTotals {
  private readonly pairs: tf.Tensor1D[] = [];
  private readonly batchSizes: number[] = [];

  /** Takes over `pair`, a batch's [loss, accuracy]. */
  add(pair: tf.Tensor1D, batchSize: number): void {
    this.pairs.push(pair);
    this.batchSizes.push(batchSize);
  }

  async meansAndDispose(): Promise<{ loss: number; accuracy: number }> {
    const examples = this.batchSizes.reduce((a, b) => a + b, 0);
    const sums = tf.tidy(() =>
      tf.sum(tf.mul(tf.stack(this.pairs), tf.tensor2d(this.batchSizes, [this.batchSizes.length, 1])), 0),
    );
    const [loss, correct] = await sums.data();
    sums.dispose();
    this.dispose();
    return { loss: loss / examples, accuracy: correct / examples };
  }

  dispose(): void {
    tf.dispose(this.pairs);
    this.pairs.length = 0;
  }
}

/** Validation batches are larger than training batches: the result is the same, the pass faster. */
export const VALIDATION_BATCH_SIZE = 1024;

/** Hands control back to the event loop whenever `everyMs` have passed since it last did. */
class Pacer {
  private last = performance.now();

  constructor(private readonly options: TrainOptions) {}

  async breathe(): Promise<void> {
    if (performance.now() - this.last >= (this.options.yieldEveryMs ?? 125)) {
      await (this.options.yieldFunc ?? nextMacrotask)();
      this.last = performance.now();
    }
  }
}

interface EpochRun {
  epoch: number;
  seed: number;
  step: TrainingStep;
  train: ExampleBytes;
  options: TrainOptions;
  pacer: Pacer;
}

/**
 * One pass over the training examples in the epoch's own order (from the seed), a step per
 * batch. Returns the epoch's mean loss and accuracy, or undefined when the stop signal ended it
 * early.
 */
async function trainOneEpoch({
  epoch,
  seed,
  step,
  train,
  options,
  pacer,
}: EpochRun): Promise<{ loss: number; accuracy: number } | undefined> {
  const examples = train.labels.length;
  const { batchSize } = options;
  const batchesPerEpoch = Math.ceil(examples / batchSize);
  const reportEvery = Math.max(1, Math.floor(options.reportEveryBatches ?? 1));
  const order = epochOrder(examples, seed, epoch);
  const totals = new EpochTotals();
  try {
    for (let batch = 1; batch <= batchesPerEpoch; batch++) {
      if (options.stopSignal?.stopRequested) {
        totals.dispose();
        return undefined;
      }
      const rows = order.subarray((batch - 1) * batchSize, Math.min(examples, batch * batchSize));
      const metrics = tf.tidy(() => {
        const batch = gatherExamples(train, rows);
        return step(batch.xs, batch.ys, { epoch, rows });
      });
      const pair = tf.stack([metrics.loss, metrics.accuracy]) as tf.Tensor1D;
      tf.dispose([metrics.loss, metrics.accuracy]);
      totals.add(pair, rows.length);
      if (options.onBatchEnd && batch % reportEvery === 0) {
        // One readback for both values: one GPU sync, not two.
        const [loss, accuracy] = await pair.data();
        await options.onBatchEnd({ epoch, batch, batchesPerEpoch, loss, accuracy });
      }
      await pacer.breathe();
    }
  } catch (error) {
    totals.dispose();
    throw error;
  }
  return totals.meansAndDispose();
}

/**
 * Trains `model` on `data.train` like Keras' fit: the examples shuffled every epoch (the order
 * and the dropout masks decided by the seed), one optimizer step per batch with the compiled
 * loss, the epoch's loss and accuracy averaged over its batches, then validation on
 * `data.validation`. The data stay bytes; each batch becomes tensors only for
 * its step (see tensors.ts). An epoch cut short by the stop signal covers only part of the data and
 * has no validation, so it is not an epoch of the history. Leaves no tensors behind except the
 * optimizer's state, which lives as long as the model.
 */
export async function trainModel(
  model: tf.LayersModel,
  data: TrainingData,
  options: TrainOptions,
): Promise<TrainResult> {
  const start = performance.now();
  const history: TrainingHistory = [];
  const seed = options.seed ?? drawSeed();
  const step = createTrainingStep(model, seed);
  const pacer = new Pacer(options);
  const watch =
    data.validation && options.earlyStoppingPatience ? new BestWeights(options.earlyStoppingPatience) : undefined;
  let earlyStop: EarlyStop | undefined;
  const rate = adjustableLearningRate(model.optimizer);
  const initialRate = rate?.learningRate;
  try {
    for (let epoch = 1; epoch <= options.epochs && !options.stopSignal?.stopRequested; epoch++) {
      if (rate && initialRate !== undefined && options.learningRateDecay !== undefined) {
        rate.learningRate = initialRate * options.learningRateDecay ** (epoch - 1);
      }
      const epochStart = performance.now();
      const trained = await trainOneEpoch({ epoch, seed, step, train: data.train, options, pacer });
      if (!trained) {
        break;
      }
      const validation = data.validation
        ? await lossAndAccuracy(model, data.validation, VALIDATION_BATCH_SIZE)
        : undefined;
      const metrics: EpochMetrics = {
        epoch,
        loss: trained.loss,
        accuracy: trained.accuracy,
        valLoss: validation?.loss ?? null,
        valAccuracy: validation?.accuracy ?? null,
        seconds: (performance.now() - epochStart) / 1000,
      };
      history.push(metrics);
      await options.onEpochEnd?.(metrics);
      if (watch && validation && watch.observe(model, epoch, validation.loss) && epoch < options.epochs) {
        earlyStop = { bestEpoch: watch.bestEpoch, stoppedAfterEpoch: epoch };
        break;
      }
    }
    if (earlyStop) {
      watch!.restore(model);
    }
  } finally {
    watch?.dispose();
    // The model may train again (another call, the same compiled optimizer): from its own rate.
    if (rate && initialRate !== undefined) {
      rate.learningRate = initialRate;
    }
  }
  const stoppedEarly = history.length < options.epochs && !earlyStop;
  return { history, stoppedEarly, earlyStop, seconds: (performance.now() - start) / 1000, seed };
}

/** The weights of the epoch with the lowest validation loss so far, and how long since it. */
class BestWeights {
  private weights: tf.Tensor[] | undefined;
  private bestLoss = Infinity;
  bestEpoch = 0;

  constructor(private readonly patience: number) {}

  /** Records an epoch's validation loss; true when `patience` epochs have passed without a better one. */
  observe(model: tf.LayersModel, epoch: number, validationLoss: number): boolean {
    if (validationLoss < this.bestLoss) {
      this.bestLoss = validationLoss;
      this.bestEpoch = epoch;
      this.dispose();
      this.weights = model.getWeights().map((w) => tf.keep(w.clone()));
      return false;
    }
    return epoch - this.bestEpoch >= this.patience;
  }

  restore(model: tf.LayersModel): void {
    if (this.weights) {
      model.setWeights(this.weights);
    }
  }

  dispose(): void {
    tf.dispose(this.weights);
    this.weights = undefined;
  }
}
