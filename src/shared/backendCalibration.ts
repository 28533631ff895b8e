// "auto" picks the backend by timing real training steps on each one that starts, because which
// is faster depends on the model and the machine: WASM beats a GPU on the tutorial's tiny MLP on
// many machines, and loses to it on a CNN. Pure, so the choice is unit-tested with given timings.
import { BACKEND_NAMES, type BackendName } from './backendPolicy';
import type { TrainingSettings } from './settings';

/** The whole calibration, every candidate included, fits in this (part of the start-up target). */
export const CALIBRATION_BUDGET_MS = 1500;

/** Training images timed on each candidate: a few hundred, and at least three batches. */
export function calibrationImageCount(batchSize: number): number {
  return Math.max(256, 3 * batchSize);
}

/** One candidate's figure. */
export interface BackendTiming {
  backend: BackendName;
  /** Milliseconds per training batch after the warm-up. */
  msPerBatch: number;
  /** Batches timed (after the warm-up). */
  batches: number;
  /**
   * False when the candidate used up its share of the time before finishing (software WebGL
   * compiling its shaders, say): `msPerBatch` is then what the time so far gives, a lower bound.
   */
  complete: boolean;
}

/** A worker count's figure on WebAssembly: the same images, each batch split across that many workers. */
export interface WorkerTiming {
  workers: number;
  /** Milliseconds per training batch after the first. */
  msPerBatch: number;
  batches: number;
  /** False when it used up its time first: `msPerBatch` is then a lower bound, and it is not chosen. */
  complete: boolean;
}

/** A calibration's outcome, as kept in the editor's global state. */
export interface Calibration {
  timings: BackendTiming[];
  choice: BackendName;
  /** ISO date of the measurement. */
  measuredAt: string;
  /** For fashionClassifier.workers "auto": each worker count timed on WebAssembly. */
  workerTimings?: WorkerTiming[];
  /** The training threads chosen for WebAssembly (1: the page's own), when worker counts were timed. */
  workers?: number;
  /** Why no worker count was timed although "auto" would have: the workers did not start, or a batch is too short to share. */
  workersUnavailable?: string;
}

/**
 * Below this many milliseconds per batch on one thread, worker counts are not timed: each batch
 * then costs the workers about as much in exchanging gradients and updating every replica as it
 * saves them in computing (measured: see docs/workers.md), and starting workers would only delay
 * the first run.
 */
export const WORKER_TIMING_FLOOR_MS = 8;

/**
 * Workers are chosen only when at least this much faster than one thread (their time over one
 * thread's): they hold a replica each, and a few batches' figures vary by some percent.
 */
export const WORKERS_MARGIN = 0.9;

/**
 * The WebAssembly thread count to train on: the fastest worker count that finished its timing and
 * beats one thread by the margin. Without a finished figure for one thread there is nothing to
 * beat (a timing stopped at its limit holds its first batch's start-up costs), so one thread.
 */
export function fastestThreads(oneThread: BackendTiming | undefined, workerTimings: readonly WorkerTiming[]): number {
  if (!oneThread?.complete) {
    return 1;
  }
  const bar = oneThread.msPerBatch * WORKERS_MARGIN;
  const winners = workerTimings.filter((t) => t.complete && t.msPerBatch <= bar);
  return winners.length > 0 ? winners.reduce((a, b) => (b.msPerBatch < a.msPerBatch ? b : a)).workers : 1;
}

/**
 * The backend and threads to train on: WebAssembly counts with its best thread count, so a GPU
 * that beats one WebAssembly thread can still lose to several.
 */
export function chooseBackendAndThreads(
  timings: readonly BackendTiming[],
  workerTimings: readonly WorkerTiming[],
): { choice: BackendName; workers: number } {
  const wasm = timings.find((t) => t.backend === 'wasm');
  const workers = fastestThreads(wasm, workerTimings);
  const best = workerTimings.find((w) => w.workers === workers);
  const withWorkers = timings.map((t) =>
    t === wasm && best ? { ...t, msPerBatch: best.msPerBatch, complete: true } : t,
  );
  const choice = fastestBackend(withWorkers);
  return { choice, workers: choice === 'wasm' ? workers : 1 };
}

/** What sets a training step's cost: the preset, its batch size and, for the MLP, its hidden units (the CNN's layers are fixed). */
export type CalibratedShape = Pick<TrainingSettings, 'model' | 'batchSize' | 'hiddenUnits'>;

/**
 * Calibrations are kept per GL renderer and step shape (and extension version, by the host): an
 * MLP of 4,096 hidden units does sixteen times the tutorial's work per image, and may well train
 * faster on a GPU where the tutorial's does not.
 */
export function calibrationKey(glRenderer: string | null, { model, batchSize, hiddenUnits }: CalibratedShape): string {
  return JSON.stringify([glRenderer ?? 'no WebGL', model, batchSize, ...(model === 'mlp' ? [hiddenUnits] : [])]);
}

/**
 * The candidate to train on: the fastest of those that finished their timing. One stopped at the
 * time limit is known only to be slower than its share of the time allows, so it wins only when
 * none finished (then the lowest figure). Ties go to WASM, which cannot lose its context mid-run
 * as a GPU can.
 */
export function fastestBackend(timings: readonly BackendTiming[]): BackendName {
  const finished = timings.filter((t) => t.complete);
  const pool = finished.length > 0 ? finished : timings;
  if (pool.length === 0) {
    throw new Error('No backend was timed.');
  }
  const preference = (t: BackendTiming) => (t.backend === 'wasm' ? 0 : 1);
  return [...pool].sort((a, b) => a.msPerBatch - b.msPerBatch || preference(a) - preference(b))[0].backend;
}

const BACKEND_LABELS: Record<BackendName, string> = { webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };

export function backendLabel(backend: BackendName, glRenderer: string | null): string {
  return backend === 'webgl' && glRenderer ? `WebGL (${glRenderer})` : BACKEND_LABELS[backend];
}

function formatMs(ms: number): string {
  return ms >= 100 ? String(Math.round(ms)) : ms.toFixed(1);
}

function figure(timing: { msPerBatch: number; complete: boolean }): string {
  return (
    `${timing.complete ? '' : 'over '}${formatMs(timing.msPerBatch)} ms per batch` +
    (timing.complete ? '' : ' (stopped at the time limit)')
  );
}

const workersLabel = (workers: number) => `× ${workers} worker${workers === 1 ? '' : 's'}`;

/**
 * E.g. "WebGL (NVIDIA …): 9.1 ms per batch · WebAssembly: 3.2 ms per batch → WebAssembly", or with
 * worker counts "WebAssembly × 2 workers: 17.0 ms per batch · × 1: 33.0 ms per batch · WebGL (…): … →
 * WebAssembly × 2 workers".
 */
export function describeCalibration(calibration: Calibration, glRenderer: string | null): string {
  const workerTimings = [...(calibration.workerTimings ?? [])].sort((a, b) => b.workers - a.workers);
  const figures = calibration.timings.flatMap((t) =>
    t.backend === 'wasm' && workerTimings.length > 0
      ? [
          ...workerTimings.map((w, i) => `${i === 0 ? 'WebAssembly ' : ''}${workersLabel(w.workers)}: ${figure(w)}`),
          `× 1: ${figure(t)}`,
        ]
      : [`${backendLabel(t.backend, glRenderer)}: ${figure(t)}`],
  );
  if (calibration.workersUnavailable) {
    figures.push(`no workers: ${calibration.workersUnavailable}`);
  }
  const measured = figures.length > 0 ? figures.join(' · ') : 'neither WebGL nor WebAssembly started';
  const threads =
    calibration.choice === 'wasm' && (calibration.workers ?? 1) > 1 ? ` ${workersLabel(calibration.workers!)}` : '';
  return `${measured} → ${BACKEND_LABELS[calibration.choice]}${threads}`;
}

const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1e6;

/** A calibration read from a message or from storage, checked; undefined when it is not one. */
export function parseCalibration(raw: unknown): Calibration | undefined {
  const value = raw as Partial<Record<keyof Calibration, unknown>> | null;
  if (typeof value !== 'object' || value === null || !Array.isArray(value.timings) || value.timings.length > 3) {
    return undefined;
  }
  const timings: BackendTiming[] = [];
  for (const t of value.timings as Partial<Record<keyof BackendTiming, unknown>>[]) {
    if (
      typeof t !== 'object' ||
      t === null ||
      !(BACKEND_NAMES as readonly unknown[]).includes(t.backend) ||
      !isMs(t.msPerBatch) ||
      !Number.isInteger(t.batches) ||
      typeof t.complete !== 'boolean'
    ) {
      return undefined;
    }
    timings.push({
      backend: t.backend as BackendName,
      msPerBatch: t.msPerBatch,
      batches: t.batches as number,
      complete: t.complete,
    });
  }
  const workerTimings = parseWorkerTimings(value.workerTimings);
  const workers = value.workers;
  const unavailable = value.workersUnavailable;
  if (
    workerTimings === null ||
    (workers !== undefined && !isThreadCount(workers)) ||
    (unavailable !== undefined && !(typeof unavailable === 'string' && unavailable.length <= 500))
  ) {
    return undefined;
  }
  const choice = value.choice;
  if (
    !(BACKEND_NAMES as readonly unknown[]).includes(choice) ||
    typeof value.measuredAt !== 'string' ||
    Number.isNaN(Date.parse(value.measuredAt))
  ) {
    return undefined;
  }
  return {
    timings,
    choice: choice as BackendName,
    measuredAt: value.measuredAt,
    ...(workerTimings ? { workerTimings } : {}),
    ...(workers !== undefined ? { workers: workers as number } : {}),
    ...(typeof unavailable === 'string' ? { workersUnavailable: unavailable } : {}),
  };
}

const isThreadCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 16;

/** Absent: undefined; not worker timings: null. */
function parseWorkerTimings(raw: unknown): WorkerTiming[] | undefined | null {
  if (raw === undefined) {
    return undefined;
  }
  if (!Array.isArray(raw) || raw.length > 8) {
    return null;
  }
  const timings: WorkerTiming[] = [];
  for (const t of raw as Partial<Record<keyof WorkerTiming, unknown>>[]) {
    if (
      typeof t !== 'object' ||
      t === null ||
      !isThreadCount(t.workers) ||
      !isMs(t.msPerBatch) ||
      !Number.isInteger(t.batches) ||
      typeof t.complete !== 'boolean'
    ) {
      return null;
    }
    timings.push({
      workers: t.workers as number,
      msPerBatch: t.msPerBatch,
      batches: t.batches as number,
      complete: t.complete,
    });
  }
  return timings;
}
