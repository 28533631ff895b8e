// Times data-parallel training on WebAssembly for each worker count "auto" considers, on the same
// images as the page's own WebAssembly timing (calibrateBackends.ts), so the figures compare. One
// pool of workers serves every count; it is ended afterwards (a run starts its own).
import type { WorkerTiming } from '../../../src/shared/backendCalibration';
import { errorMessage } from '../../../src/shared/errorMessage';
import { createModel, disposeModel, StopSignal, type ExampleBytes } from '../../../src/shared/ml';
import { ParallelTrainer, type WorkerEndpoint } from '../../../src/shared/ml/parallel/parallelTrainer';
import type { TrainingSettings } from '../../../src/shared/settings';
import { startTrainingWorkers } from './workerPool';

export interface WorkerCalibration {
  timings: WorkerTiming[];
  /** Why nothing was timed: the workers did not start. */
  unavailable?: string;
}

/**
 * A count's batches may take this many times one thread's before it is stopped: it cannot win
 * then, and its first batch (each worker packs its weights for XNNPACK) must not cut it short.
 */
const SLOWER_THAN_ONE_THREAD = 3;
/** …and at least this long, for the first batch's start-up in each worker. */
const LEAST_TIME_MS = 1000;

/** One count: a fresh model trained on `examples` by the first `endpoints`, timed per batch after the first. */
async function timeCount(
  endpoints: WorkerEndpoint[],
  settings: TrainingSettings,
  examples: ExampleBytes,
  limitMs: number,
): Promise<WorkerTiming> {
  // The pool outlives this count: its workers are set up again for the next one.
  const kept = endpoints.map((endpoint) => ({ ...endpoint, terminate: () => undefined }));
  const trainer = new ParallelTrainer(kept, settings);
  const model = createModel(settings);
  const stopSignal = new StopSignal();
  const reports: number[] = [];
  const timer = setTimeout(() => stopSignal.stop(), limitMs);
  const started = performance.now();
  try {
    await trainer.train(
      model,
      { train: examples },
      { epochs: 1, batchSize: settings.batchSize, stopSignal, onBatchEnd: () => void reports.push(performance.now()) },
    );
  } finally {
    clearTimeout(timer);
    trainer.dispose();
    disposeModel(model);
  }
  const timed = reports.length - 1;
  const complete = !stopSignal.stopRequested && timed >= 1;
  return {
    workers: endpoints.length,
    msPerBatch: complete
      ? (reports[timed] - reports[0]) / timed
      : (performance.now() - started) / Math.max(1, reports.length),
    batches: Math.max(0, timed),
    complete,
  };
}

export async function calibrateWorkers(
  counts: readonly number[],
  settings: TrainingSettings,
  examples: ExampleBytes,
  oneThreadMsPerBatch: number,
): Promise<WorkerCalibration> {
  let endpoints: WorkerEndpoint[];
  try {
    endpoints = (await startTrainingWorkers(Math.max(...counts))).endpoints;
  } catch (error) {
    return { timings: [], unavailable: errorMessage(error) };
  }
  try {
    const batches = Math.ceil(examples.labels.length / settings.batchSize);
    const limitMs = Math.max(LEAST_TIME_MS, SLOWER_THAN_ONE_THREAD * batches * oneThreadMsPerBatch);
    const timings: WorkerTiming[] = [];
    for (const count of counts) {
      timings.push(await timeCount(endpoints.slice(0, count), settings, examples, limitMs));
    }
    return { timings };
  } catch (error) {
    return { timings: [], unavailable: errorMessage(error) };
  } finally {
    endpoints.forEach((endpoint) => endpoint.terminate());
  }
}
