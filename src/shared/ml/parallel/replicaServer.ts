// A worker's side of data-parallel training: it keeps a replica, trains the batches the coordinator
// sends in order, exchanges slice gradients with the other workers directly, and answers requests.
// Pure (no worker API): the worker's script hands it messages, and unit tests run several in one
// Node process over MessageChannels.
import { createModel, disposeModel, PIXELS_PER_IMAGE } from '../model';
import * as tf from '@tensorflow/tfjs';
import { assertNever } from '../../protocol';
import type { ExampleBytes } from '../tensors';
import { VALIDATION_BATCH_SIZE } from '../train';
import { weightChecksum } from './checksum';
import { sumInOrder } from './flatWeights';
import type {
  BatchesMessage,
  CoordinatorToWorker,
  EvaluateMessage,
  GradientMessage,
  LoadMessage,
  PortLike,
  SetupMessage,
  StepTiming,
  ValidateMessage,
  WorkerToCoordinator,
} from './messages';
import { wasmBackendMemory } from '../tfInternals';
import { readFlatWeights, Replica, SLICE_FIGURES, writeFlatWeights, type SliceBatch } from './replica';

type Post = (message: WorkerToCoordinator, transfer?: unknown[]) => void;

/** A new setup replaced the run that this work belonged to: it ends quietly. */
class RunReplaced extends Error {}
type QueuedWork = BatchesMessage | ValidateMessage | EvaluateMessage | LoadMessage;

interface Run {
  /** Its setup message's id. */
  id: number;
  index: number;
  workers: number;
  replica: Replica;
  peers: (PortLike | null)[];
  validation?: ExampleBytes;
  /** The summed gradient, reused batch after batch. */
  sum: Float32Array;
  /** The gradient of a slice without rows (a batch smaller than the number of workers). */
  nothing: Float32Array;
  /** Gradients from the other workers by batch, then by sender; a peer may be one batch ahead. */
  received: Map<number, Map<number, Float32Array>>;
  /**
   * Buffers to send gradients in. Each is transferred (not copied) to a peer, which keeps it for
   * its own sends once summed: every worker sends and receives as many per batch, so after the
   * first batches nothing is allocated.
   */
  spare: Float32Array[];
  batchesApplied: number;
}

export class ReplicaServer {
  private run: Run | undefined;
  private readonly queue: QueuedWork[] = [];
  private draining = false;
  /** Set while a batch waits for the other workers' gradients. */
  private waiting: { batch: number; resume: () => void } | undefined;

  constructor(private readonly post: Post) {}

  /** Handles a message from the coordinator; `boot` is the worker script's own business. */
  handle(message: CoordinatorToWorker): void {
    switch (message.type) {
      case 'setup':
        this.setUp(message);
        break;
      case 'batches':
      case 'validate':
      case 'evaluate':
      case 'load':
        this.queue.push(message);
        void this.drain();
        break;
      case 'weights':
        this.sendWeights(message.id, message.withWeights);
        break;
      case 'memory':
        this.post({
          type: 'memory',
          id: message.id,
          index: this.run?.index ?? -1,
          wasmHeapBytes: wasmBackendMemory()?.buffer.byteLength ?? 0,
          tensorBytes: tf.memory().numBytes,
        });
        break;
      case 'boot':
        throw new Error('The worker script boots the backend before replicas are set up.');
      default:
        assertNever(message);
    }
  }

  private setUp(message: SetupMessage): void {
    // A coordinator that stopped a run mid-epoch may set up another on the same workers: the old
    // run's queued work goes, and a batch waiting for its peers' gradients gives up.
    this.queue.length = 0;
    this.waiting?.resume();
    this.dispose();
    const model = createModel(message.model);
    writeFlatWeights(model, message.weights);
    const replica = new Replica(model, message.seed);
    const run: Run = {
      id: message.id,
      index: message.index,
      workers: message.workers,
      replica,
      peers: message.peers,
      validation: message.validation,
      sum: new Float32Array(replica.gradientLayout.length + SLICE_FIGURES),
      nothing: new Float32Array(replica.gradientLayout.length + SLICE_FIGURES),
      received: new Map(),
      spare: [],
      batchesApplied: 0,
    };
    for (const peer of message.peers) {
      peer?.addEventListener('message', (event) => this.receive(run, event.data as GradientMessage));
      peer?.start?.();
    }
    this.run = run;
    this.post({ type: 'setUp', id: message.id, index: message.index });
  }

  private receive(run: Run, message: GradientMessage): void {
    if (run !== this.run) {
      return;
    }
    const forBatch = run.received.get(message.batch) ?? new Map<number, Float32Array>();
    forBatch.set(message.from, message.gradient);
    run.received.set(message.batch, forBatch);
    if (this.waiting?.batch === message.batch && forBatch.size === run.workers - 1) {
      this.waiting.resume();
    }
  }

  /** Works through the queue in order; a failure ends the run (the coordinator stops it). */
  private async drain(): Promise<void> {
    if (this.draining) {
      return;
    }
    this.draining = true;
    try {
      for (let work = this.queue.shift(); work; work = this.queue.shift()) {
        await this.perform(work);
      }
    } catch (error) {
      if (error instanceof RunReplaced) {
        return;
      }
      this.queue.length = 0;
      this.post({
        type: 'failed',
        index: this.run?.index ?? -1,
        message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
      });
    } finally {
      this.draining = false;
      // Work of a new setup that came while the replaced run's step gave up.
      if (this.queue.length > 0) {
        void this.drain();
      }
    }
  }

  private async perform(work: QueuedWork): Promise<void> {
    const run = this.setUpRun();
    switch (work.type) {
      case 'batches':
        await this.train(run, work);
        break;
      case 'validate': {
        const scores = run.validation
          ? run.replica.score(run.validation, VALIDATION_BATCH_SIZE)
          : { lossSum: 0, correct: 0, count: 0 };
        const { lossSum, correct, count } = scores;
        this.post({ type: 'validated', id: work.id, index: run.index, lossSum, correct, count });
        break;
      }
      case 'evaluate': {
        const { lossSum, predicted } = run.replica.score(work.examples, work.chunkSize);
        this.post({ type: 'evaluated', id: work.id, index: run.index, lossSum, predicted }, [predicted.buffer]);
        break;
      }
      case 'load':
        writeFlatWeights(run.replica.model, work.weights);
        this.post({ type: 'loaded', id: work.id, index: run.index });
        break;
      default:
        assertNever(work);
    }
  }

  private async train(run: Run, message: BatchesMessage): Promise<void> {
    let offset = 0;
    for (let i = 0; i < message.batchSizes.length; i++) {
      const size = message.sliceSizes[i];
      const slice: SliceBatch = {
        examples: {
          pixels: message.examples.pixels.subarray(offset * PIXELS_PER_IMAGE, (offset + size) * PIXELS_PER_IMAGE),
          labels: message.examples.labels.subarray(offset, offset + size),
        },
        batchSize: message.batchSizes[i],
        rows: message.rows.subarray(offset, offset + size),
        epoch: message.epoch,
      };
      await this.step(run, message.firstBatch + i, slice, message.learningRate);
      offset += size;
    }
  }

  /** One batch: this slice's gradient, the exchange, the sum in worker order, the same update everywhere. */
  private async step(run: Run, batch: number, slice: SliceBatch, learningRate: number): Promise<void> {
    const started = performance.now();
    // A batch smaller than the number of workers leaves some without rows: they add nothing.
    const own = slice.examples.labels.length > 0 ? run.replica.sliceGradient(slice) : run.nothing;
    for (const peer of run.peers) {
      if (peer) {
        const gradient = run.spare.pop() ?? new Float32Array(own.length);
        gradient.set(own);
        peer.postMessage({ type: 'gradient', batch, from: run.index, gradient } satisfies GradientMessage, [
          gradient.buffer,
        ]);
      }
    }
    const computed = performance.now();
    const parts = await this.gradientsOf(run, batch, own);
    if (run !== this.run) {
      throw new RunReplaced();
    }
    const received = performance.now();
    sumInOrder(parts, run.sum);
    run.spare.push(...parts.filter((part) => part !== own && part !== run.nothing));
    const summed = performance.now();
    run.replica.apply(run.sum, learningRate);
    run.batchesApplied = batch + 1;
    if (run.index === 0) {
      const figures = run.sum.length - SLICE_FIGURES;
      const timing: StepTiming = {
        compute: computed - started,
        wait: received - computed,
        sum: summed - received,
        apply: performance.now() - summed,
      };
      this.post({
        type: 'trained',
        run: run.id,
        batch,
        lossSum: run.sum[figures],
        correct: run.sum[figures + 1],
        timing,
      });
    }
  }

  /** Every worker's gradient of `batch`, in worker order, once the others' have come. */
  private async gradientsOf(run: Run, batch: number, own: Float32Array): Promise<Float32Array[]> {
    const complete = () => (run.received.get(batch)?.size ?? 0) === run.workers - 1;
    if (!complete()) {
      await new Promise<void>((resume) => {
        this.waiting = { batch, resume };
      });
      this.waiting = undefined;
    }
    const others = run.received.get(batch) ?? new Map<number, Float32Array>();
    run.received.delete(batch);
    return Array.from({ length: run.workers }, (_, i) => (i === run.index ? own : (others.get(i) ?? own)));
  }

  private sendWeights(id: number, withWeights: boolean): void {
    const run = this.setUpRun();
    const weights = readFlatWeights(run.replica.model);
    const message = {
      type: 'weights' as const,
      id,
      index: run.index,
      batchesApplied: run.batchesApplied,
      checksum: weightChecksum(weights),
    };
    if (withWeights) {
      this.post({ ...message, weights }, [weights.buffer]);
    } else {
      this.post(message);
    }
  }

  private setUpRun(): Run {
    if (!this.run) {
      throw new Error('This worker has no replica yet (no setup message came).');
    }
    return this.run;
  }

  /** Frees the replica's model and closes its ports. */
  dispose(): void {
    if (this.run) {
      this.run.peers.forEach((peer) => peer?.close?.());
      disposeModel(this.run.replica.model);
      this.run = undefined;
    }
  }
}
