// The coordinator of data-parallel training (synchronous, as PyTorch's DataParallel): the page
// shuffles each epoch, sends every worker its slice of each batch ahead of time, and hears back
// from worker 0 once per batch; the workers exchange gradients among themselves (see messages.ts).
// Same contract as trainModel, so a run trains on one thread or on several alike. Pure: the
// workers are endpoints (the page's Web Workers, or in-process replicas in unit tests).
import * as tf from '@tensorflow/tfjs';
import type { EvaluationResult } from '../evaluate';
import type { EpochMetrics, TrainingHistory } from '../history';
import { confusionMatrix, overallAccuracy, perClassAccuracy } from '../metrics';
import { CLASS_COUNT, PIXELS_PER_IMAGE, type ModelSettings } from '../model';
import { sliceExamples, type ExampleBytes } from '../tensors';
import { drawSeed, epochOrder } from '../random';
import { adjustableLearningRate } from '../tfInternals';
import type { EarlyStop, TrainingData, TrainOptions, TrainResult } from '../train';
import { weightChecksum } from './checksum';
import type {
  CoordinatorToWorker,
  PortLike,
  SliceBytes,
  StepTiming,
  TrainedMessage,
  WorkerToCoordinator,
} from './messages';
import { readFlatWeights, writeFlatWeights } from './replica';
import { batchRanges, evenRanges } from './slices';
import type { Trainer } from './trainer';

/** A worker as the coordinator sees it. */
export interface WorkerEndpoint {
  postMessage(message: CoordinatorToWorker, transfer?: unknown[]): void;
  /** Hands over each message from the worker, and says when it died (its script failed, out of memory). */
  listen(onMessage: (message: WorkerToCoordinator) => void, onFailure: (reason: string) => void): void;
  terminate(): void;
}

/** Examples per message of batches to a worker (all workers' slices together): a few hundred milliseconds of work. */
const EXAMPLES_PER_MESSAGE = 2048;
/** Messages of batches a worker may have ahead of the one it trains: the page may pause that long (a redraw). */
const MESSAGES_AHEAD = 2;
/** How often a run waiting for a worker checks the stop signal (a report usually comes first). */
const STOP_POLL_MS = 200;

/** Mean milliseconds per batch of worker 0's steps, by part. */
export interface StepProfile extends StepTiming {
  batches: number;
}

/** The order in which an epoch visits `count` examples: a permutation of 0 to count − 1. */
export type EpochOrder = (count: number, epoch: number) => Int32Array;

type Reply = Extract<WorkerToCoordinator, { id: number }>;

interface PendingRequest {
  replies: Reply[];
  expected: number;
  resolve: (replies: Reply[]) => void;
  reject: (error: Error) => void;
}

function copyOf(examples: ExampleBytes, start: number, end: number): SliceBytes {
  const view = sliceExamples(examples, start, end);
  return { pixels: view.pixels.slice(), labels: view.labels.slice() };
}

/** Request ids, unique across trainers: workers set up again by another trainer answer by id. */
let nextRequestId = 1;

export class ParallelTrainer implements Trainer {
  /** The id of this trainer's current setup; reports of any other run are ignored. */
  private runId = 0;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly reports: TrainedMessage[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  /** The checksum of the weights every replica holds, when known. */
  private replicaChecksum: string | undefined;
  private readonly timing = { compute: 0, wait: 0, sum: 0, apply: 0, batches: 0 };

  constructor(
    private readonly endpoints: readonly WorkerEndpoint[],
    private readonly modelSettings: ModelSettings,
    private readonly log: (message: string) => void = () => undefined,
    /** Each epoch's order of the training examples: trainModel's (drawn from the run's seed) unless given. */
    private readonly epochOrder?: EpochOrder,
  ) {
    endpoints.forEach((endpoint, index) =>
      endpoint.listen(
        (message) => this.receive(message, index),
        (reason) => this.fail(new Error(`Training worker ${index + 1} of ${endpoints.length} stopped: ${reason}`)),
      ),
    );
  }

  get workers(): number {
    return this.endpoints.length;
  }

  /** Batches the workers have trained so far (all runs). */
  get batchesTrained(): number {
    return this.timing.batches;
  }

  /** Where worker 0's batches spent their time so far. */
  profile(): StepProfile {
    const n = Math.max(1, this.timing.batches);
    const { compute, wait, sum, apply, batches } = this.timing;
    return { compute: compute / n, wait: wait / n, sum: sum / n, apply: apply / n, batches };
  }

  async train(model: tf.LayersModel, data: TrainingData, options: TrainOptions): Promise<TrainResult> {
    const started = performance.now();
    const stopWatch = setInterval(() => options.stopSignal?.stopRequested && this.wake?.(), STOP_POLL_MS);
    try {
      // As trainModel: the seed decides each epoch's order and every dropout mask.
      const seed = options.seed ?? drawSeed();
      await this.setUp(model, data.validation, seed);
      const history: TrainingHistory = [];
      const initialRate = adjustableLearningRate(model.optimizer)?.learningRate ?? this.modelSettings.learningRate;
      const watch =
        data.validation && options.earlyStoppingPatience ? new BestEpoch(options.earlyStoppingPatience) : undefined;
      let earlyStop: EarlyStop | undefined;
      let bestWeights: Float32Array | undefined;
      let firstBatch = 0;
      for (let epoch = 1; epoch <= options.epochs && !options.stopSignal?.stopRequested; epoch++) {
        const epochStart = performance.now();
        const learningRate = initialRate * (options.learningRateDecay ?? 1) ** (epoch - 1);
        const trained = await this.trainEpoch(epoch, learningRate, firstBatch, data.train, { ...options, seed });
        if (!trained) {
          break;
        }
        firstBatch += Math.ceil(data.train.labels.length / options.batchSize);
        const validation = data.validation ? await this.validate() : undefined;
        await this.checkReplicasAgree(epoch);
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
        if (watch && validation) {
          if (watch.improves(epoch, validation.loss)) {
            bestWeights = await this.weightsOfReplica();
          } else if (watch.exhausted(epoch) && epoch < options.epochs) {
            earlyStop = { bestEpoch: watch.bestEpoch, stoppedAfterEpoch: epoch };
            break;
          }
        }
      }
      const stoppedEarly = history.length < options.epochs && !earlyStop;
      if (stoppedEarly) {
        // The run is over and its model is not kept: end the work queued in the workers now.
        this.dispose();
      } else {
        writeFlatWeights(model, earlyStop ? bestWeights! : await this.weightsOfReplica());
      }
      return { history, stoppedEarly, earlyStop, seconds: (performance.now() - started) / 1000, seed };
    } finally {
      clearInterval(stopWatch);
    }
  }

  async evaluate(model: tf.LayersModel, examples: ExampleBytes, batchSize: number): Promise<EvaluationResult> {
    await this.load(model);
    const count = examples.labels.length;
    const shares = evenRanges(count, this.workers);
    const replies = await this.requestAll('evaluated', (id, index) => {
      const share = copyOf(examples, shares[index].start, shares[index].end);
      return [
        { type: 'evaluate', id, examples: share, chunkSize: batchSize },
        [share.pixels.buffer, share.labels.buffer],
      ];
    });
    const predicted = new Uint8Array(count);
    let lossSum = 0;
    for (const reply of replies) {
      predicted.set(reply.predicted, shares[reply.index].start);
      lossSum += reply.lossSum;
    }
    const matrix = confusionMatrix(examples.labels, predicted, CLASS_COUNT);
    return {
      examples: count,
      loss: lossSum / count,
      accuracy: overallAccuracy(matrix),
      confusionMatrix: matrix,
      perClassAccuracy: perClassAccuracy(matrix),
    };
  }

  async syncWeights(model: tf.LayersModel): Promise<void> {
    // Before the replicas are set up, `model` holds the weights training starts from.
    if (this.failure === undefined && this.replicaChecksum !== undefined) {
      writeFlatWeights(model, await this.weightsOfReplica());
    }
  }

  /** What each worker's TF.js holds, in worker order. */
  async memory(): Promise<{ wasmHeapBytes: number; tensorBytes: number }[]> {
    const replies = await this.requestAll('memory', (id) => [{ type: 'memory', id }]);
    return replies
      .sort((a, b) => a.index - b.index)
      .map(({ wasmHeapBytes, tensorBytes }) => ({ wasmHeapBytes, tensorBytes }));
  }

  /** Each replica's weight checksum, in worker order. */
  async checksums(): Promise<string[]> {
    const replies = await this.requestAll('weights', (id) => [{ type: 'weights', id, withWeights: false }]);
    return replies.sort((a, b) => a.index - b.index).map((reply) => reply.checksum);
  }

  dispose(): void {
    if (this.failure === undefined) {
      this.fail(new Error('The training workers were ended.'));
    }
    for (const endpoint of this.endpoints) {
      endpoint.terminate();
    }
  }

  // ---- a run ----

  private async setUp(model: tf.LayersModel, validation: ExampleBytes | undefined, seed: number): Promise<void> {
    const weights = readFlatWeights(model);
    const peers = this.connectWorkers();
    const shares = evenRanges(validation?.labels.length ?? 0, this.workers);
    await this.requestAll('setUp', (id, index) => {
      this.runId = id;
      const share = validation && copyOf(validation, shares[index].start, shares[index].end);
      const copy = weights.slice();
      const ports = peers[index].filter((port): port is PortLike => port !== null);
      return [
        {
          type: 'setup',
          id,
          index,
          workers: this.workers,
          model: this.modelSettings,
          seed,
          weights: copy,
          peers: peers[index],
          validation: share,
        },
        [copy.buffer, ...ports, ...(share ? [share.pixels.buffer, share.labels.buffer] : [])],
      ];
    });
    this.replicaChecksum = weightChecksum(weights);
  }

  /** A channel between every two workers: peers[i][j] is worker i's port to worker j. */
  private connectWorkers(): (PortLike | null)[][] {
    const peers = this.endpoints.map(() => this.endpoints.map((): PortLike | null => null));
    for (let i = 0; i < this.workers; i++) {
      for (let j = i + 1; j < this.workers; j++) {
        const channel = new MessageChannel();
        peers[i][j] = channel.port1 as unknown as PortLike;
        peers[j][i] = channel.port2 as unknown as PortLike;
      }
    }
    return peers;
  }

  /**
   * One epoch in the order the seed draws for it, as trainModel's (`options.seed` is set). Returns the epoch's mean loss and accuracy,
   * or undefined when the stop signal ended it.
   */
  private async trainEpoch(
    epoch: number,
    learningRate: number,
    firstBatch: number,
    train: ExampleBytes,
    options: TrainOptions,
  ): Promise<{ loss: number; accuracy: number } | undefined> {
    const examples = train.labels.length;
    const order = this.epochOrder ? this.epochOrder(examples, epoch) : epochOrder(examples, options.seed!, epoch);
    const batches = batchRanges(examples, options.batchSize);
    const perMessage = Math.max(1, Math.floor(EXAMPLES_PER_MESSAGE / options.batchSize));
    const reportEvery = Math.max(1, Math.floor(options.reportEveryBatches ?? 1));
    let sent = 0;
    let done = 0;
    const sendAhead = () => {
      while (sent < batches.length && sent - done < perMessage * MESSAGES_AHEAD) {
        const until = Math.min(batches.length, sent + perMessage);
        this.sendBatches(epoch, learningRate, firstBatch + sent, batches.slice(sent, until), order, train);
        sent = until;
      }
    };
    sendAhead();
    let lossSum = 0;
    let correct = 0;
    while (done < batches.length) {
      const report = await this.nextReport(options);
      if (!report) {
        return undefined;
      }
      if (report.batch !== firstBatch + done) {
        throw new Error(`Worker 1 reported batch ${report.batch} where ${firstBatch + done} was next.`);
      }
      const size = batches[done].end - batches[done].start;
      done++;
      lossSum += report.lossSum;
      correct += report.correct;
      this.addTiming(report.timing);
      sendAhead();
      if (options.onBatchEnd && done % reportEvery === 0) {
        const progress = { epoch, batch: done, batchesPerEpoch: batches.length };
        await options.onBatchEnd({ ...progress, loss: report.lossSum / size, accuracy: report.correct / size });
      }
    }
    return { loss: lossSum / examples, accuracy: correct / examples };
  }

  /** Each worker's slice of each batch, gathered from the shuffled order into bytes of its own. */
  private sendBatches(
    epoch: number,
    learningRate: number,
    firstBatch: number,
    batches: readonly { start: number; end: number }[],
    order: Int32Array,
    train: ExampleBytes,
  ): void {
    const slices = batches.map((batch) => evenRanges(batch.end - batch.start, this.workers));
    this.endpoints.forEach((endpoint, worker) => {
      const sliceSizes = Int32Array.from(slices, (parts) => parts[worker].end - parts[worker].start);
      const total = sliceSizes.reduce((a, b) => a + b, 0);
      const rows = new Int32Array(total);
      const pixels = new Uint8Array(total * PIXELS_PER_IMAGE);
      const labels = new Uint8Array(total);
      let at = 0;
      batches.forEach((batch, b) => {
        const part = slices[b][worker];
        for (let i = batch.start + part.start; i < batch.start + part.end; i++, at++) {
          const row = order[i];
          rows[at] = row;
          pixels.set(
            train.pixels.subarray(row * PIXELS_PER_IMAGE, (row + 1) * PIXELS_PER_IMAGE),
            at * PIXELS_PER_IMAGE,
          );
          labels[at] = train.labels[row];
        }
      });
      const batchSizes = Int32Array.from(batches, (batch) => batch.end - batch.start);
      endpoint.postMessage(
        {
          type: 'batches',
          epoch,
          learningRate,
          firstBatch,
          batchSizes,
          sliceSizes,
          rows,
          examples: { pixels, labels },
        },
        [batchSizes.buffer, sliceSizes.buffer, rows.buffer, pixels.buffer, labels.buffer],
      );
    });
  }

  private async validate(): Promise<{ loss: number; accuracy: number }> {
    const replies = await this.requestAll('validated', (id) => [{ type: 'validate', id }]);
    const count = replies.reduce((sum, r) => sum + r.count, 0);
    const lossSum = replies.reduce((sum, r) => sum + r.lossSum, 0);
    const correct = replies.reduce((sum, r) => sum + r.correct, 0);
    return { loss: lossSum / count, accuracy: correct / count };
  }

  /**
   * The replicas must hold the same bits after every epoch (same gradients summed in the same
   * order, the same update): a difference is a fault in this code, and a model made of drifted
   * replicas would not be the model that was validated.
   */
  private async checkReplicasAgree(epoch: number): Promise<void> {
    const checksums = await this.checksums();
    if (checksums.some((checksum) => checksum !== checksums[0])) {
      throw new Error(`The training workers' weights differ after epoch ${epoch}: checksums ${checksums.join(', ')}.`);
    }
    this.replicaChecksum = checksums[0];
    this.log(`Epoch ${epoch}: the ${this.workers} workers' weights agree (checksums ${checksums.join(', ')}).`);
  }

  /** Worker 0's weights as they are now. */
  private async weightsOfReplica(): Promise<Float32Array> {
    const [reply] = await this.request('weights', 0, (id) => [{ type: 'weights', id, withWeights: true }]);
    return reply.weights!;
  }

  /** Makes every replica hold `model`'s weights, unless they already do. */
  private async load(model: tf.LayersModel): Promise<void> {
    const weights = readFlatWeights(model);
    const checksum = weightChecksum(weights);
    if (checksum !== this.replicaChecksum) {
      await this.requestAll('loaded', (id) => {
        const copy = weights.slice();
        return [{ type: 'load', id, weights: copy }, [copy.buffer]];
      });
      this.replicaChecksum = checksum;
    }
  }

  // ---- messages ----

  private receive(message: WorkerToCoordinator, from: number): void {
    switch (message.type) {
      case 'trained':
        if (message.run === this.runId) {
          this.reports.push(message);
          this.wake?.();
        }
        break;
      case 'failed':
        this.fail(new Error(`Training worker ${from + 1} failed: ${message.message}`));
        break;
      case 'booted':
        break;
      default: {
        const pending = this.pending.get(message.id);
        if (pending) {
          pending.replies.push(message);
          if (pending.replies.length === pending.expected) {
            this.pending.delete(message.id);
            pending.resolve(pending.replies);
          }
        }
      }
    }
  }

  /** The next batch report, or undefined once the stop signal is set. Throws when a worker failed. */
  private async nextReport(options: TrainOptions): Promise<TrainedMessage | undefined> {
    for (;;) {
      if (this.failure) {
        throw this.failure;
      }
      if (options.stopSignal?.stopRequested) {
        return undefined;
      }
      const report = this.reports.shift();
      if (report) {
        return report;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  private requestAll<T extends Reply['type']>(
    replyType: T,
    make: (id: number, index: number) => [CoordinatorToWorker, unknown[]?],
  ): Promise<Extract<Reply, { type: T }>[]> {
    return this.request(replyType, undefined, make);
  }

  /** Sends a request to one worker (`only`) or all, and resolves with every answer. */
  private request<T extends Reply['type']>(
    replyType: T,
    only: number | undefined,
    make: (id: number, index: number) => [CoordinatorToWorker, unknown[]?],
  ): Promise<Extract<Reply, { type: T }>[]> {
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    const id = nextRequestId++;
    const targets = only === undefined ? this.endpoints.map((_, i) => i) : [only];
    const answered = new Promise<Reply[]>((resolve, reject) => {
      this.pending.set(id, { replies: [], expected: targets.length, resolve, reject });
    });
    for (const index of targets) {
      const [message, transfer] = make(id, index);
      this.endpoints[index].postMessage(message, transfer);
    }
    return answered.then((replies) => {
      const wrong = replies.find((reply) => reply.type !== replyType);
      if (wrong) {
        throw new Error(`A training worker answered ${wrong.type} where ${replyType} was asked for.`);
      }
      return replies as Extract<Reply, { type: T }>[];
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) {
      pending.reject(this.failure);
    }
    this.pending.clear();
    this.wake?.();
  }

  private addTiming(timing: StepTiming): void {
    this.timing.compute += timing.compute;
    this.timing.wait += timing.wait;
    this.timing.sum += timing.sum;
    this.timing.apply += timing.apply;
    this.timing.batches++;
  }
}

/** Early stopping's bookkeeping, as trainModel's: the best validation loss and how long since. */
class BestEpoch {
  private bestLoss = Infinity;
  bestEpoch = 0;

  constructor(private readonly patience: number) {}

  improves(epoch: number, validationLoss: number): boolean {
    if (validationLoss < this.bestLoss) {
      this.bestLoss = validationLoss;
      this.bestEpoch = epoch;
      return true;
    }
    return false;
  }

  exhausted(epoch: number): boolean {
    return epoch - this.bestEpoch >= this.patience;
  }
}
