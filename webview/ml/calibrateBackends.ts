// Times real training steps of the model about to train on each backend that starts, for "auto"
// (see src/shared/backendCalibration.ts for the choice). Each candidate trains a fresh model on
// the first few hundred training images: one warm-up batch (shader compilation, XNNPACK's weight
// packing), then timed batches until its share of the time is used up.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../src/shared/backendPolicy';
import {
  CALIBRATION_BUDGET_MS,
  calibrationImageCount,
  chooseBackendAndThreads,
  WORKER_TIMING_FLOOR_MS,
  type BackendTiming,
  type Calibration,
} from '../../src/shared/backendCalibration';
import {
  createModel,
  disposeModel,
  firstExamples,
  sliceExamples,
  toTensors,
  type ExampleBytes,
} from '../../src/shared/ml';
import { createTrainingStep, rowRange } from '../../src/shared/ml/trainingStep';
import { installWasmTrainingKernels } from '../../src/shared/ml/wasm';
import type { TrainingSettings } from '../../src/shared/settings';
import { ContextLossGuard } from './contextLossGuard';
import { workerCandidates } from '../../src/shared/ml/parallel/workerCount';
import { calibrateWorkers, type WorkerCalibration } from './workers/calibrateWorkers';
import { availableCores } from './workers/workerPool';

/** At most this many timed batches per candidate: enough for a steady figure. */
const MAX_TIMED_BATCHES = 8;

/**
 * Worker counts on the images one thread was timed on, where that is worth it. Outside the
 * budget's shares: starting workers takes what it takes, and the figures are kept.
 */
async function timeWorkerCounts(
  counts: number[],
  settings: TrainingSettings,
  examples: ExampleBytes,
  oneThread: BackendTiming,
): Promise<WorkerCalibration> {
  if (!oneThread.complete) {
    return {
      timings: [],
      unavailable: "one thread's timing was stopped at its time limit, so there is nothing to compare",
    };
  }
  if (oneThread.msPerBatch < WORKER_TIMING_FLOOR_MS) {
    return {
      timings: [],
      unavailable: `a batch takes under ${WORKER_TIMING_FLOOR_MS} ms on one thread, too little to share`,
    };
  }
  return calibrateWorkers(counts, settings, examples, oneThread.msPerBatch);
}

/** Starts `backend` (its first start loads WebGL or the WASM binary); false when it cannot. */
async function start(backend: BackendName): Promise<boolean> {
  try {
    if (!(await tf.setBackend(backend))) {
      return false;
    }
    await tf.ready();
    installWasmTrainingKernels();
    return true;
  } catch {
    return false;
  }
}

/** Trains on `examples` on the active backend for at most `budgetMs`, and times it. */
async function timeTraining(
  backend: BackendName,
  settings: TrainingSettings,
  examples: ExampleBytes,
  budgetMs: number,
): Promise<BackendTiming> {
  const started = performance.now();
  const batchSize = settings.batchSize;
  const batchCount = Math.floor(examples.labels.length / batchSize);
  const model = createModel(settings);
  // Timing only: any seed draws dropout masks at the same cost.
  const step = createTrainingStep(model, 0);
  // A readback after the GPU is lost never returns; the calibration (and the backend changes
  // queued behind it) would wait for good. It fails instead, and "auto" trains on what is left.
  const lossGuard =
    backend === 'webgl'
      ? new ContextLossGuard(
          () => undefined,
          () => new Error('The GPU stopped answering while it was being timed (WebGL lost its context).'),
        )
      : undefined;
  // Reads the loss back, which waits for the GPU to finish everything queued (a no-op on WASM).
  const trainOn = async (index: number, waitForResult: boolean) => {
    const [start, end] = [index * batchSize, (index + 1) * batchSize];
    const batch = toTensors(sliceExamples(examples, start, end));
    const { loss, accuracy } = step(batch.xs, batch.ys, { epoch: 1, rows: rowRange(start, end) });
    tf.dispose([batch.xs, batch.ys, accuracy]);
    try {
      if (waitForResult) {
        await (lossGuard ? lossGuard.race(loss.data()) : loss.data());
      }
    } finally {
      loss.dispose();
    }
  };
  try {
    await trainOn(0, true);
    const warmUpMs = performance.now() - started;
    const left = budgetMs - warmUpMs;
    // The warm-up batch (compilation included) bounds a batch's time from above, so this many fit.
    // At least one while time is left: on a GPU the warm-up is mostly compiling shaders, and a
    // compiled batch takes a fraction of it, so judging WebGL by its warm-up would be unfair.
    const timed = left > 0 ? Math.min(MAX_TIMED_BATCHES, batchCount - 1, Math.max(1, Math.floor(left / warmUpMs))) : 0;
    if (timed < 1) {
      return { backend, msPerBatch: warmUpMs, batches: 0, complete: false };
    }
    const timedFrom = performance.now();
    for (let i = 1; i <= timed; i++) {
      await trainOn(i, i === timed);
    }
    return { backend, msPerBatch: (performance.now() - timedFrom) / timed, batches: timed, complete: true };
  } finally {
    lossGuard?.dispose();
    disposeModel(model);
  }
}

export interface CalibrationOutcome {
  calibration: Calibration;
  /** Milliseconds the whole calibration took, start-ups included. */
  elapsedMs: number;
}

/**
 * Times each candidate in turn (each gets an equal share of what is left of the budget) and
 * leaves TF.js on the fastest. Candidates that do not start are left out; throws when none does.
 */
export async function calibrateBackends(
  candidates: readonly BackendName[],
  settings: TrainingSettings,
  training: ExampleBytes,
): Promise<CalibrationOutcome> {
  const started = performance.now();
  const examples = firstExamples(training, calibrationImageCount(settings.batchSize));
  const timings: BackendTiming[] = [];
  // With fashionClassifier.workers on auto, WebAssembly is timed on each worker count too.
  const counts = settings.workers === 0 ? workerCandidates(availableCores()) : [];
  let workers: WorkerCalibration | undefined;
  for (const [i, backend] of candidates.entries()) {
    if (!(await start(backend))) {
      continue;
    }
    const left = CALIBRATION_BUDGET_MS - (performance.now() - started);
    const timing = await timeTraining(backend, settings, examples, left / (candidates.length - i));
    timings.push(timing);
    if (backend === 'wasm' && counts.length > 0) {
      workers = await timeWorkerCounts(counts, settings, examples, timing);
    }
  }
  const { choice, workers: threads } = chooseBackendAndThreads(timings, workers?.timings ?? []);
  if (!(await start(choice))) {
    throw new Error(`${choice} stopped working after its calibration.`);
  }
  const calibration: Calibration = { timings, choice, measuredAt: new Date().toISOString() };
  if (workers) {
    calibration.workerTimings = workers.timings;
    calibration.workers = threads;
    if (workers.unavailable) {
      calibration.workersUnavailable = workers.unavailable;
    }
  }
  return { calibration, elapsedMs: performance.now() - started };
}
