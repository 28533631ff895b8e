// Training: model.fit with progress reports, a stop button, and no tensors left behind.
import * as tf from '@tensorflow/tfjs';
import type { EpochMetrics, TrainingHistory } from './history';
import type { LabeledTensors } from './tensors';

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
  train: LabeledTensors;
  validation?: LabeledTensors;
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
   * How often training hands control back to the event loop so the page can repaint and
   * receive messages (the stop request among them). TF.js' own default is 125 ms.
   */
  yieldEveryMs?: number;
  /** How to hand control back; the default is a macrotask (see `nextMacrotask`). */
  yieldFunc?: () => Promise<void>;
}

export interface TrainResult {
  history: TrainingHistory;
  /** True when the stop signal ended training before the last epoch was complete. */
  stoppedEarly: boolean;
  seconds: number;
}

/**
 * Resolves on the next macrotask. TF.js yields with `requestAnimationFrame`, which stops
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

/** What fit's callbacks receive: TF.js hands over its metrics as scalars it still owns. */
type UnresolvedLogs = Record<string, number | tf.Scalar>;

/** Reads the scalars among `values` back with a single readback (one GPU sync, not one each). */
async function readScalars(values: (number | tf.Scalar)[]): Promise<number[]> {
  const scalars = values.filter((v): v is tf.Scalar => typeof v !== 'number');
  if (scalars.length === 0) {
    return values as number[];
  }
  const packed = tf.tidy(() => tf.stack(scalars));
  const read = await packed.data();
  packed.dispose();
  let next = 0;
  return values.map((v) => (typeof v === 'number' ? v : read[next++]));
}

/**
 * Replaces the scalars in `logs` by their values and disposes them, as TF.js' own callbacks do:
 * later callbacks (fit's History) then keep numbers, not tensors that would pile up per epoch.
 */
async function resolveLogs(logs: UnresolvedLogs): Promise<Record<string, number>> {
  const keys = Object.keys(logs);
  const scalars = keys.map((key) => logs[key]).filter((v): v is tf.Scalar => typeof v !== 'number');
  const values = await readScalars(keys.map((key) => logs[key]));
  tf.dispose(scalars);
  keys.forEach((key, i) => (logs[key] = values[i]));
  return logs as Record<string, number>;
}

/** TF.js logs `metrics: ['accuracy']` as `acc`; newer versions may say `accuracy`. */
function accuracyOf(logs: Record<string, number>, prefix = ''): number | undefined {
  return logs[`${prefix}acc`] ?? logs[`${prefix}accuracy`];
}

/**
 * The one callback given to fit. A `tf.Callback` subclass receives the metrics as tensors, so
 * it can skip reading them for batches nobody reports; fit's plain-object callbacks cannot, as
 * an `onBatchEnd` there makes TF.js read every metric of every batch.
 */
class ProgressCallback extends tf.Callback {
  private currentEpoch = 0;
  private epochStart = 0;
  private batchesDone = 0;
  private lastYield = 0;
  readonly history: TrainingHistory = [];

  constructor(
    private readonly options: TrainOptions,
    private readonly batchesPerEpoch: number,
  ) {
    super();
  }

  private get stopRequested(): boolean {
    return this.options.stopSignal?.stopRequested ?? false;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.currentEpoch = epoch;
    this.epochStart = performance.now();
    this.batchesDone = 0;
    // fit clears `stopTraining` after onTrainBegin, so a stop that came before the first batch
    // is honoured from here (the current batch still runs).
    if (this.stopRequested) {
      this.model.stopTraining = true;
    }
  }

  override async onBatchEnd(batch: number, logs?: UnresolvedLogs): Promise<void> {
    this.batchesDone = batch + 1;
    const every = Math.max(1, Math.floor(this.options.reportEveryBatches ?? 1));
    if (this.options.onBatchEnd && logs && this.batchesDone % every === 0) {
      // The scalars stay TF.js' to dispose once this callback returns.
      const [loss, accuracy] = await readScalars([logs.loss, logs.acc ?? logs.accuracy ?? Number.NaN]);
      await this.options.onBatchEnd({
        epoch: this.currentEpoch + 1,
        batch: this.batchesDone,
        batchesPerEpoch: this.batchesPerEpoch,
        loss,
        accuracy,
      });
    }
    if (this.stopRequested) {
      this.model.stopTraining = true;
    }
    const now = performance.now();
    if (now - this.lastYield >= (this.options.yieldEveryMs ?? 125)) {
      await (this.options.yieldFunc ?? nextMacrotask)();
      this.lastYield = performance.now();
    }
  }

  override async onEpochEnd(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const values = await resolveLogs(logs ?? {});
    // An epoch cut short by the stop signal has no validation and covers only part of the
    // data: it is not an epoch of the history.
    if (this.batchesDone < this.batchesPerEpoch) {
      return;
    }
    const metrics: EpochMetrics = {
      epoch: epoch + 1,
      loss: values.loss,
      accuracy: accuracyOf(values) ?? Number.NaN,
      valLoss: values.val_loss ?? null,
      valAccuracy: accuracyOf(values, 'val_') ?? null,
      seconds: (performance.now() - this.epochStart) / 1000,
    };
    this.history.push(metrics);
    await this.options.onEpochEnd?.(metrics);
    if (this.stopRequested) {
      this.model.stopTraining = true;
    }
  }
}

/**
 * Trains `model` on `data.train`, validating on `data.validation` after each epoch, with the
 * training examples shuffled every epoch (Keras' default). Leaves no tensors behind except the
 * optimizer's state, which lives as long as the model.
 */
export async function trainModel(model: tf.LayersModel, data: TrainingData, options: TrainOptions): Promise<TrainResult> {
  const start = performance.now();
  if (options.stopSignal?.stopRequested) {
    return { history: [], stoppedEarly: true, seconds: 0 };
  }
  const batchesPerEpoch = Math.ceil(data.train.xs.shape[0] / options.batchSize);
  const progress = new ProgressCallback(options, batchesPerEpoch);
  await model.fit(data.train.xs, data.train.ys, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    shuffle: true,
    validationData: data.validation ? [data.validation.xs, data.validation.ys] : undefined,
    callbacks: [progress],
    verbose: 0,
  });
  return {
    history: progress.history,
    stoppedEarly: progress.history.length < options.epochs,
    seconds: (performance.now() - start) / 1000,
  };
}
