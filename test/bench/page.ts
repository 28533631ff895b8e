// The benchmark's page, run in headless Chromium by run.ts: trains the seed model with the
// extension's own data, model and training code (so the figures are the shipping code's) and
// measures speed, tensors, memory and classification latency.
// Typed without the DOM library on purpose: the repository's host type check covers test/.
import { wasmBackendMemory, webglContext } from '../../src/shared/ml/tfInternals';
import { installWasmTrainingKernels } from '../../src/shared/ml/wasm';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { FASHION_MNIST } from '../../src/shared/datasetFiles';
import {
  disposeModel,
  createModel,
  disposeTensors,
  predictImages,
  sliceExamples,
  splitExamples,
  toTensors,
  trainModel,
  type ExampleBytes,
} from '../../src/shared/ml';
import { batchesPerReport } from '../../src/shared/backendPolicy';
import { firstExamples } from '../../src/shared/ml';
import { applyWebglFlags, WEBGL_FLAG_NAMES } from '../../src/shared/ml/webglFlags';
import { countGlWork, countsBetween } from './glCounters';
import { ParallelTrainer } from '../../src/shared/ml/parallel/parallelTrainer';
import { singleThreadTrainer, type Trainer } from '../../src/shared/ml/parallel/trainer';
import {
  configureTrainingWorkers,
  startTrainingWorkers,
  type StartedWorkers,
} from '../../webview/ml/workers/workerPool';
import { defaultsFor } from '../../src/shared/settings';
import { DatasetUrls, loadDataset } from '../../webview/ml/loadDataset';
import { median } from './report';
import type {
  BenchBackend,
  BenchOptions,
  BenchResult,
  ColdLatency,
  ColdOptions,
  GlCounterOptions,
  GlCounterResult,
  GlEpochCounts,
  LoadedLatency,
  SerializedModel,
} from './types';

/** When this script finished loading, counted from navigation start. */
const scriptReadyMs = performance.now();
const LATENCY_RUNS = 20;
const MB = 1024 * 1024;

async function useBackend(backend: BenchBackend, wasmUrl: string): Promise<void> {
  setWasmPaths(wasmUrl);
  // As the panel does before any backend starts (webview/ml/backend.ts).
  applyWebglFlags();
  // setBackend resolves false (rather than throwing) when a backend cannot start.
  if (!(await tf.setBackend(backend)) || tf.getBackend() !== backend) {
    throw new Error(`The ${backend} backend did not start (TF.js is on ${tf.getBackend()}).`);
  }
  await tf.ready();
  // As the panel does after choosing its backend (webview/ml/backend.ts).
  const slowKernels = installWasmTrainingKernels();
  if (slowKernels.length) {
    throw new Error(`These faster WASM kernels did not install: ${slowKernels.join(', ')}.`);
  }
}

function glRenderer(): string | null {
  const gl = webglContext();
  if (!gl) {
    return null;
  }
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** Peak JS heap and tensor bytes, sampled whenever `sample` is called. */
class MemoryPeaks {
  jsHeap: number | null = null;
  tensorBytes = 0;

  sample(): void {
    // Chromium only; precise with --enable-precise-memory-info, otherwise bucketed.
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    if (memory) {
      this.jsHeap = Math.max(this.jsHeap ?? 0, memory.usedJSHeapSize);
    }
    this.tensorBytes = Math.max(this.tensorBytes, tf.memory().numBytes);
  }
}

async function classifyOne(model: tf.LayersModel, image: ExampleBytes): Promise<number> {
  const start = performance.now();
  const tensors = toTensors(image);
  try {
    await predictImages(model, tensors.xs);
  } finally {
    disposeTensors(tensors);
  }
  return performance.now() - start;
}

async function loadedLatency(model: tf.LayersModel, test: ExampleBytes): Promise<LoadedLatency> {
  const times: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    times.push(await classifyOne(model, sliceExamples(test, i, i + 1)));
  }
  return { firstMs: times[0], medianMs: median(times.slice(1)), runs: times.length };
}

async function serialize(model: tf.LayersModel): Promise<SerializedModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const data = saved!.weightData!;
  const bytes = new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return { modelTopology: saved!.modelTopology, weightSpecs: saved!.weightSpecs ?? [], weightsBase64: btoa(binary) };
}

type Timing = Pick<
  BenchResult,
  | 'extrapolated'
  | 'note'
  | 'batchesTimed'
  | 'samplesPerSecond'
  | 'meanSamplesPerSecond'
  | 'secondsPerEpoch'
  | 'trainSecondsPerEpoch'
  | 'validationSeconds'
  | 'epochs'
  | 'testAccuracy'
  | 'testExamples'
>;

/** Timing windows per sampled run: a burst of other work on the machine spoils one window, not the figure. */
const WINDOWS = 5;

/**
 * Trains one epoch over just enough training images for a warm-up and `batches` timed batches, in
 * windows, with the whole validation set after it as training validates, and extrapolates the
 * median window to a full epoch plus that validation pass.
 */
async function timeSomeBatches(
  trainer: Trainer,
  model: tf.LayersModel,
  train: ExampleBytes,
  validation: ExampleBytes,
  options: BenchOptions,
  peaks: MemoryPeaks,
): Promise<Timing> {
  const { batchSize } = options;
  const batchesPerEpoch = Math.ceil(train.labels.length / batchSize);
  // Batches are reported as the panel reports them; windows start and end on reported batches.
  const every = batchesPerReport(options.backend);
  const roundUp = (n: number) => Math.ceil(n / every) * every;
  const warmupBatches = roundUp(options.warmupBatches);
  const windowSize = roundUp(
    Math.max(1, Math.floor(Math.min(options.batches!, batchesPerEpoch - warmupBatches - 1) / WINDOWS)),
  );
  const batches = windowSize * WINDOWS;
  const windowEnds: number[] = [];
  let lastBatchEnd = 0;
  let validationTime = 0;
  await trainer.train(
    model,
    { train: firstExamples(train, (warmupBatches + batches) * batchSize), validation },
    {
      epochs: 1,
      batchSize,
      reportEveryBatches: every,
      onBatchEnd: ({ batch }) => {
        peaks.sample();
        lastBatchEnd = performance.now();
        if (batch >= warmupBatches && (batch - warmupBatches) % windowSize === 0) {
          windowEnds.push(lastBatchEnd);
        }
      },
      onEpochEnd: () => {
        validationTime = (performance.now() - lastBatchEnd) / 1000;
      },
    },
  );
  const windowSeconds = windowEnds.slice(1).map((end, i) => (end - windowEnds[i]) / 1000);
  const secondsPerBatch = median(windowSeconds) / windowSize;
  const trainSecondsPerEpoch = secondsPerBatch * batchesPerEpoch;
  return {
    extrapolated: true,
    note: `extrapolated from ${batches} batches (after ${warmupBatches} warm-up; median of ${WINDOWS} windows) to ${batchesPerEpoch} batches per epoch, plus one timed validation pass`,
    batchesTimed: batches,
    samplesPerSecond: batchSize / secondsPerBatch,
    meanSamplesPerSecond: (batches * batchSize) / windowSeconds.reduce((a, b) => a + b, 0),
    trainSecondsPerEpoch,
    validationSeconds: validationTime,
    secondsPerEpoch: trainSecondsPerEpoch + validationTime,
  };
}

/** Trains full epochs, validation included, then evaluates on the test set. */
async function trainFullEpochs(
  trainer: Trainer,
  model: tf.LayersModel,
  train: ExampleBytes,
  validation: ExampleBytes,
  test: ExampleBytes,
  options: BenchOptions,
  peaks: MemoryPeaks,
): Promise<Timing> {
  const result = await trainer.train(
    model,
    { train, validation },
    {
      epochs: options.epochs,
      batchSize: options.batchSize,
      learningRateDecay: defaultsFor(options.model).learningRateDecay,
      reportEveryBatches: batchesPerReport(options.backend),
      onBatchEnd: () => peaks.sample(),
    },
  );
  const epochs = result.history.map((h) => ({ epoch: h.epoch, seconds: h.seconds, valAccuracy: h.valAccuracy }));
  const secondsPerEpoch = epochs.reduce((sum, e) => sum + e.seconds, 0) / epochs.length;
  const evaluation = await trainer.evaluate(model, test, 512);
  return {
    extrapolated: false,
    note: `${epochs.length} full epochs over ${train.labels.length} images, validation included; test accuracy on ${evaluation.examples} images`,
    batchesTimed: epochs.length * Math.ceil(train.labels.length / options.batchSize),
    samplesPerSecond: train.labels.length / secondsPerEpoch,
    secondsPerEpoch,
    epochs,
    testAccuracy: evaluation.accuracy,
    testExamples: evaluation.examples,
  };
}

async function runBench(options: BenchOptions): Promise<BenchResult> {
  await useBackend(options.backend, options.wasmUrl);
  const peaks = new MemoryPeaks();
  const atStart = tf.memory().numTensors;
  const loadStart = performance.now();
  const urls = Object.fromEntries(FASHION_MNIST.map((f) => [f.role, `${options.dataUrl}${f.name}`]));
  const dataset = await loadDataset({ urls: urls as DatasetUrls['urls'] });
  const settings = defaultsFor(options.model);
  const split = splitExamples(dataset.train, settings.validationSplit);
  const train = split.train;
  const validation = split.validation!;
  const test = options.batches === undefined ? dataset.test : undefined;
  const dataLoadSeconds = (performance.now() - loadStart) / 1000;
  const model = createModel(settings);
  const workers = options.workers > 1 ? await startWorkers(options) : undefined;
  const trainer = workers ? new ParallelTrainer(workers.endpoints, settings) : singleThreadTrainer;
  try {
    const beforeTraining = tf.memory().numTensors;
    peaks.sample();
    const timing = test
      ? await trainFullEpochs(trainer, model, train, validation, test, options, peaks)
      : await timeSomeBatches(trainer, model, train, validation, options, peaks);
    const afterTraining = tf.memory().numTensors;
    const workerMemory = trainer instanceof ParallelTrainer ? await trainer.memory() : undefined;
    const latency = options.measureLatency ? await loadedLatency(model, dataset.test) : undefined;
    const serialized = options.measureLatency ? await serialize(model) : undefined;
    peaks.sample();
    disposeModel(model);
    trainer.dispose();
    return {
      preset: options.model,
      backend: options.backend,
      batchSize: options.batchSize,
      workers: trainer.workers,
      workerStartMs: workers?.startMs,
      stepProfile: trainer instanceof ParallelTrainer ? trainer.profile() : undefined,
      workerMemoryMB: workerMemory?.map((m) => ({ wasmHeap: m.wasmHeapBytes / MB, tensors: m.tensorBytes / MB })),
      pageWasmHeapMB: (wasmBackendMemory()?.buffer.byteLength ?? 0) / MB,
      tfjsVersion: tf.version.tfjs,
      glRenderer: glRenderer(),
      crossOriginIsolated: Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
      trainExamples: train.labels.length,
      validationExamples: validation.labels.length,
      batchesPerEpoch: Math.ceil(train.labels.length / options.batchSize),
      ...timing,
      numTensors: { atStart, beforeTraining, afterTraining, afterDispose: tf.memory().numTensors },
      peakJsHeapMB: peaks.jsHeap === null ? null : peaks.jsHeap / MB,
      peakTensorMB: peaks.tensorBytes / MB,
      dataLoadSeconds,
      latency,
      model: serialized,
    };
  } catch (error) {
    trainer.dispose();
    disposeModel(model);
    throw error;
  }
}

/** Starts the data-parallel workers as the panel does (webview/ml/workers/workerPool.ts). */
async function startWorkers(options: BenchOptions): Promise<StartedWorkers> {
  if (options.backend !== 'wasm') {
    throw new Error(`Workers train on WebAssembly only, not ${options.backend}.`);
  }
  configureTrainingWorkers({ scriptUrl: options.workerUrl, wasmFolderUrl: options.wasmUrl });
  return startTrainingWorkers(options.workers);
}

/** Classifies one image in a page that has just loaded: backend start, model load, first prediction. */
async function classifyCold(options: ColdOptions): Promise<ColdLatency> {
  // Decoding the transport format is not part of what the extension does.
  const weightData = Uint8Array.from(atob(options.model.weightsBase64), (c) => c.charCodeAt(0)).buffer;
  const artifacts = {
    modelTopology: options.model.modelTopology as object,
    weightSpecs: options.model.weightSpecs as tf.io.WeightsManifestEntry[],
    weightData,
  };
  const start = performance.now();
  await useBackend(options.backend, options.wasmUrl);
  const backendDone = performance.now();
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const modelDone = performance.now();
  const firstPredictionMs = await classifyOne(model, {
    pixels: Uint8Array.from(options.pixels),
    labels: Uint8Array.of(0),
  });
  model.dispose();
  const backendMs = backendDone - start;
  const loadModelMs = modelDone - backendDone;
  return {
    scriptMs: scriptReadyMs,
    backendMs,
    loadModelMs,
    firstPredictionMs,
    totalMs: scriptReadyMs + backendMs + loadModelMs + firstPredictionMs,
  };
}

/** Trains a few epochs on WebGL and counts its GPU work per epoch (see glCounters.ts). */
async function countWebglWork(options: GlCounterOptions): Promise<GlCounterResult> {
  await useBackend('webgl', options.wasmUrl);
  const urls = Object.fromEntries(FASHION_MNIST.map((f) => [f.role, `${options.dataUrl}${f.name}`]));
  const dataset = await loadDataset({ urls: urls as DatasetUrls['urls'] });
  const settings = { ...defaultsFor(options.model), batchSize: options.batchSize };
  const split = splitExamples(dataset.train, settings.validationSplit);
  const train = firstExamples(split.train, options.trainImages);
  const validation = firstExamples(split.validation!, options.validationImages);
  const counter = countGlWork(webglContext()!);
  const model = createModel(settings);
  const reportEvery = batchesPerReport('webgl');
  const batches = Math.ceil(train.labels.length / options.batchSize);
  const epochs: GlEpochCounts[] = [];
  let last = counter.snapshot();
  try {
    await trainModel(
      model,
      { train, validation },
      {
        epochs: options.epochs,
        batchSize: options.batchSize,
        reportEveryBatches: reportEvery,
        // As the panel: a report reads the batch's loss and accuracy back.
        onBatchEnd: () => undefined,
        onEpochEnd: ({ epoch }) => {
          const now = counter.snapshot();
          const counts = countsBetween(last, now);
          last = now;
          const memory = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
          epochs.push({
            epoch,
            batches,
            ...counts,
            readbacksByPolicy: Math.floor(batches / reportEvery) + 2,
            uploadsPerBatch: counts.textureUploads / batches,
            numTensors: memory.numTensors,
            numBytesInGPU: memory.numBytesInGPU ?? 0,
          });
        },
      },
    );
  } finally {
    disposeModel(model);
  }
  const env = tf.env();
  return {
    model: options.model,
    batchSize: options.batchSize,
    glRenderer: glRenderer(),
    flags: Object.fromEntries(WEBGL_FLAG_NAMES.map((name) => [name, env.get(name)])),
    trainImages: train.labels.length,
    validationImages: validation.labels.length,
    epochs,
  };
}

Object.assign(globalThis, { runBench, classifyCold, countWebglWork });
