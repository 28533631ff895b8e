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

/** A calibration's outcome, as kept in the editor's global state. */
export interface Calibration {
  timings: BackendTiming[];
  choice: BackendName;
  /** ISO date of the measurement. */
  measuredAt: string;
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

/** E.g. "WebGL (NVIDIA …): 9.1 ms per batch · WebAssembly: 3.2 ms per batch → WebAssembly". */
export function describeCalibration(calibration: Calibration, glRenderer: string | null): string {
  const figures = calibration.timings.map(
    (t) =>
      `${backendLabel(t.backend, glRenderer)}: ${t.complete ? '' : 'over '}${formatMs(t.msPerBatch)} ms per batch` +
      (t.complete ? '' : ' (stopped at the time limit)'),
  );
  const measured = figures.length > 0 ? figures.join(' · ') : 'neither WebGL nor WebAssembly started';
  return `${measured} → ${BACKEND_LABELS[calibration.choice]}`;
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
  const choice = value.choice;
  if (
    !(BACKEND_NAMES as readonly unknown[]).includes(choice) ||
    typeof value.measuredAt !== 'string' ||
    Number.isNaN(Date.parse(value.measuredAt))
  ) {
    return undefined;
  }
  return { timings, choice: choice as BackendName, measuredAt: value.measuredAt };
}
