// The messages of data-parallel training: the coordinator (the panel's page) and its workers, and
// the workers among themselves. Every replica holds the same model; each batch is cut into one
// slice per worker; each worker computes its slice's gradient and sends it straight to the others
// (the page is not on that path, so a redraw there does not stall training); each sums them in
// worker order and applies the same Adam update, so the replicas stay bit-identical.
//
// Typed arrays travel as they are: structured clone keeps them, and the sender lists their buffers
// for transfer where it does not need them again. Nothing here comes from outside the extension's
// own code (the page made the workers from its own bundle), so messages are typed, not checked.
import type { ModelSettings } from '../model';

/** The part of a MessagePort (browser or Node) used here; shared code sees neither's types. */
export interface PortLike {
  postMessage(message: unknown, transfer?: unknown[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
  close?(): void;
}

/** Examples as bytes, one per pixel and one per label, as ExampleBytes. */
export interface SliceBytes {
  pixels: Uint8Array;
  labels: Uint8Array;
}

// ---- coordinator to worker ----

/** Starts TF.js' WASM backend with the binary's bytes (a worker cannot fetch the panel's resources). */
export interface BootMessage {
  type: 'boot';
  /** The WASM backend's .wasm file for this browser (SIMD or not), as the page fetched it. */
  wasmBinary: ArrayBuffer;
  /** The name TF.js asks for, e.g. tfjs-backend-wasm-simd.wasm. */
  wasmFileName: string;
}

/** Builds this worker's replica for a run: the model, its starting weights, its peers. */
export interface SetupMessage {
  type: 'setup';
  id: number;
  /** 0-based; worker 0 reports each batch's figures to the coordinator. */
  index: number;
  workers: number;
  model: ModelSettings;
  /** The run's seed: with each example's epoch and row, it decides the example's dropout masks. */
  seed: number;
  /** Every weight of the model, flat in the model's order (see flatWeights.ts). */
  weights: Float32Array;
  /** A port to each other worker by index; null at this worker's own index. */
  peers: (PortLike | null)[];
  /** This worker's share of the validation set, kept for the whole run. */
  validation?: SliceBytes;
}

/**
 * Consecutive batches for this worker: its slice of each. Sent ahead of time, so the worker never
 * waits for the page between batches.
 */
export interface BatchesMessage {
  type: 'batches';
  /** 1-based epoch of these batches (with the rows, what per-example dropout masks are drawn from). */
  epoch: number;
  /** The learning rate of these batches (it decays per epoch). */
  learningRate: number;
  /** Sequence number of the first batch, counted over the whole run from 0. */
  firstBatch: number;
  /** Each batch's whole size (every worker's slice together): the divisor of the slice's loss. */
  batchSizes: Int32Array;
  /** This worker's rows of each batch. */
  sliceSizes: Int32Array;
  /** The global row indices (into the training set) of those rows, batch after batch. */
  rows: Int32Array;
  /** Their bytes, in the same order. */
  examples: SliceBytes;
}

/** Sum the loss and count the right answers over this worker's validation share (after the batches sent before). */
export interface ValidateMessage {
  type: 'validate';
  id: number;
}

/** Predict the examples given and return the summed loss and each predicted class. */
export interface EvaluateMessage {
  type: 'evaluate';
  id: number;
  examples: SliceBytes;
  /** Examples predicted at once. */
  chunkSize: number;
}

/**
 * Send the weights' checksum as they are now (answered at once, between two batches), and the
 * weights themselves when asked.
 */
export interface WeightsRequest {
  type: 'weights';
  id: number;
  withWeights: boolean;
}

/** Say how much memory this worker's TF.js holds (answered at once). */
export interface MemoryRequest {
  type: 'memory';
  id: number;
}

/** Take these weights (after the batches sent before): the model the page evaluates next. */
export interface LoadMessage {
  type: 'load';
  id: number;
  weights: Float32Array;
}

export type CoordinatorToWorker =
  | BootMessage
  | SetupMessage
  | BatchesMessage
  | ValidateMessage
  | EvaluateMessage
  | WeightsRequest
  | MemoryRequest
  | LoadMessage;

// ---- worker to coordinator ----

export interface BootedMessage {
  type: 'booted';
  /** Faster WASM kernels that did not install (see installWasmTrainingKernels). */
  slowKernels: string[];
}

export interface SetUpMessage {
  type: 'setUp';
  id: number;
  index: number;
}

/** Where a batch's time went in worker 0, for the benchmark's profile. Milliseconds. */
export interface StepTiming {
  /** Forward and backward pass of the slice, and reading its gradient out. */
  compute: number;
  /** Waiting for the other workers' gradients. */
  wait: number;
  /** Summing the gradients. */
  sum: number;
  /** Adam's update. */
  apply: number;
}

/** Worker 0's word that a batch is applied, with the whole batch's figures (it has every slice's). */
export interface TrainedMessage {
  type: 'trained';
  /** The id of the setup of the run it belongs to: reports of a run replaced meanwhile are not this run's. */
  run: number;
  batch: number;
  /** Sum of the per-example losses over the whole batch. */
  lossSum: number;
  /** Right answers in the whole batch. */
  correct: number;
  timing: StepTiming;
}

export interface ValidatedMessage {
  type: 'validated';
  id: number;
  index: number;
  lossSum: number;
  correct: number;
  count: number;
}

export interface EvaluatedMessage {
  type: 'evaluated';
  id: number;
  index: number;
  lossSum: number;
  /** The predicted class of each example sent. */
  predicted: Uint8Array;
}

export interface WeightsMessage {
  type: 'weights';
  id: number;
  index: number;
  /** Batches applied so far (the sequence number of the next one). */
  batchesApplied: number;
  /** Present when asked for. */
  weights?: Float32Array;
  checksum: string;
}

export interface MemoryMessage {
  type: 'memory';
  id: number;
  index: number;
  /** The WASM backend's heap (tensors, packed weights, scratch), as allocated. */
  wasmHeapBytes: number;
  /** tf.memory().numBytes: the tensors alone. */
  tensorBytes: number;
}

export interface LoadedMessage {
  type: 'loaded';
  id: number;
  index: number;
}

/** Anything that went wrong in a worker; the run stops with it. */
export interface FailedMessage {
  type: 'failed';
  index: number;
  message: string;
}

export type WorkerToCoordinator =
  | BootedMessage
  | SetUpMessage
  | TrainedMessage
  | ValidatedMessage
  | EvaluatedMessage
  | WeightsMessage
  | LoadedMessage
  | MemoryMessage
  | FailedMessage;

// ---- worker to worker ----

/**
 * A worker's gradient of its slice, divided by the whole batch's size, with the slice's loss sum
 * and right answers as the last two floats.
 */
export interface GradientMessage {
  type: 'gradient';
  batch: number;
  from: number;
  gradient: Float32Array;
}
