// What the benchmark script (Node) and the benchmark page (Chromium) pass each other. Plain JSON:
// it crosses the page boundary through playwright's evaluate.

import type { BackendName } from '../../src/shared/backendPolicy';
import type { StepProfile } from '../../src/shared/ml/parallel/parallelTrainer';
import type { ModelPreset } from '../../src/shared/settings';

export type BenchBackend = BackendName;

export interface BenchOptions {
  /** The model preset trained, as the panel builds it. */
  model: ModelPreset;
  backend: BenchBackend;
  batchSize: number;
  /** Batches timed after the warm-up, extrapolated to an epoch; absent: `epochs` full epochs. */
  batches?: number;
  /** Batches trained before timing starts (shader compilation, first allocations). */
  warmupBatches: number;
  epochs: number;
  /** Folder URL of the decompressed IDX files, named as in FASHION_MNIST. */
  dataUrl: string;
  /** Folder URL of the WASM backend's binaries. */
  wasmUrl: string;
  /** Measures classification latency and returns the trained model for the cold measurement. */
  measureLatency: boolean;
  /** Threads that train: 1 is the page itself; more are data-parallel workers (WASM only). */
  workers: number;
  /** URL of the training workers' bundle. */
  workerUrl: string;
}

/** tf.memory().numTensors at the points where a leak would show. */
export interface TensorCounts {
  /** Before any data or model exists. */
  atStart: number;
  /** Data tensors and the compiled model exist. */
  beforeTraining: number;
  /** Adds the optimizer's state, which lives as long as the model; anything more is a leak. */
  afterTraining: number;
  /** After disposing data and model; should equal `atStart`. */
  afterDispose: number;
}

/** Latency of classifying one image with a model that is already in memory. */
export interface LoadedLatency {
  /** The first prediction after training (a GPU backend compiles its programs for batch 1 here). */
  firstMs: number;
  medianMs: number;
  runs: number;
}

/** A trained model as plain JSON, so a fresh page can load it. */
export interface SerializedModel {
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightsBase64: string;
}

export interface EpochTiming {
  epoch: number;
  seconds: number;
  valAccuracy: number | null;
}

export interface BenchResult {
  preset: ModelPreset;
  backend: BenchBackend;
  batchSize: number;
  /** 1: the page's own thread; more: data-parallel workers. */
  workers: number;
  /** Milliseconds to start the workers (fetching their files, booting their backends). */
  workerStartMs?: number;
  /** Where worker 1's batches spent their time, mean milliseconds per batch. */
  stepProfile?: StepProfile;
  /** Each worker's TF.js after training: its WASM heap and the tensors in it, MB. */
  workerMemoryMB?: { wasmHeap: number; tensors: number }[];
  /** The page's own WASM heap after training, MB. */
  pageWasmHeapMB?: number;
  /** Peak resident memory of the page's renderer process (its workers are threads of it), MB; set by run.ts. */
  rendererPeakMB?: number;
  tfjsVersion: string;
  /** WebGL's renderer string, e.g. SwiftShader's; null on the other backends. */
  glRenderer: string | null;
  crossOriginIsolated: boolean;
  trainExamples: number;
  validationExamples: number;
  batchesPerEpoch: number;
  extrapolated: boolean;
  /** How the epoch figure was obtained, in words. */
  note: string;
  batchesTimed: number;
  /** Training images per second (sample mode: training only; full mode: epoch wall time, validation included). */
  samplesPerSecond: number;
  /** Sample mode: the mean over all timed batches (samplesPerSecond is the median window's). */
  meanSamplesPerSecond?: number;
  /** Seconds per epoch, validation included, as the panel's epoch timer counts it. */
  secondsPerEpoch: number;
  trainSecondsPerEpoch?: number;
  validationSeconds?: number;
  epochs?: EpochTiming[];
  testAccuracy?: number;
  testExamples?: number;
  numTensors: TensorCounts;
  /** performance.memory.usedJSHeapSize, sampled after every batch. */
  peakJsHeapMB: number | null;
  /** tf.memory().numBytes (tensor data on any backend), sampled after every batch. */
  peakTensorMB: number;
  dataLoadSeconds: number;
  /** The machine's 1-minute load average after the run (set by run.ts); above the core count, other work competed. */
  loadAverage?: number;
  latency?: LoadedLatency;
  model?: SerializedModel;
}

export interface ColdOptions {
  backend: BenchBackend;
  wasmUrl: string;
  model: SerializedModel;
  /** One 28x28 image, one byte per pixel. */
  pixels: number[];
}

/** Classifying one image in a page that has just loaded, split into its steps. */
export interface ColdLatency {
  /** Navigation start until the benchmark script (TF.js included) has run. */
  scriptMs: number;
  backendMs: number;
  loadModelMs: number;
  firstPredictionMs: number;
  /** The sum of the four. */
  totalMs: number;
}

/** `--webgl-counters`: a few epochs on WebGL with its work counted per epoch. */
export interface GlCounterOptions {
  model: ModelPreset;
  batchSize: number;
  epochs: number;
  trainImages: number;
  validationImages: number;
  dataUrl: string;
  wasmUrl: string;
}

export interface GlEpochCounts {
  epoch: number;
  batches: number;
  /** GPU→CPU reads during the epoch, validation included. */
  readbacks: number;
  /** What the report policy reads: one per reported batch, the epoch's means, the validation. */
  readbacksByPolicy: number;
  programsLinked: number;
  textureUploads: number;
  uploadsPerBatch: number;
  /** tf.memory() at the epoch's end. */
  numTensors: number;
  numBytesInGPU: number;
}

export interface GlCounterResult {
  model: ModelPreset;
  batchSize: number;
  glRenderer: string | null;
  /** The WebGL flags in force (set on purpose by the extension; see src/shared/ml/webglFlags.ts). */
  flags: Record<string, unknown>;
  trainImages: number;
  validationImages: number;
  epochs: GlEpochCounts[];
}

/** One seeded training in the seed check (seedRepeat.ts). */
export interface SeedRepeatOptions {
  model: ModelPreset;
  backend: BenchBackend;
  seed: number;
  /** The first this many training images, a fifth of them held out for validation as in the panel. */
  trainImages: number;
  epochs: number;
  dataUrl: string;
  wasmUrl: string;
}

export interface SeedRepeatResult {
  /** SHA-256 of the weights as weights.bin would hold them, before and after training. */
  initialHash: string;
  trainedHash: string;
  seconds: number;
}
