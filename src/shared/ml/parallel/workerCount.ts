// How many threads a run trains on: pure, so the rules are unit-tested without a browser.
import type { BackendName } from '../../backendPolicy';

/** The most workers a run starts (the setting's maximum). */
export const MAX_WORKERS = 16;

export interface WorkerPlan {
  /** 1: the page's own thread; more: that many data-parallel workers. */
  count: number;
  /** Why, in words for the panel and the log. */
  reason: string;
}

/**
 * The threads for a run: workers only on WebAssembly (WebGL has one GPU; the CPU backend is far
 * slower than either), never more than the cores the browser reports, as many as the
 * fashionClassifier.workers setting says, or for "auto" (0) as many as timing found fastest.
 */
export function planWorkers(setting: number, backend: BackendName, cores: number, timed?: number): WorkerPlan {
  if (backend !== 'wasm') {
    return { count: 1, reason: `workers train on WebAssembly only, and this run trains on ${backend}` };
  }
  if (cores < 2) {
    return { count: 1, reason: 'this machine reports one core' };
  }
  const most = Math.min(cores, MAX_WORKERS);
  if (setting === 1) {
    return { count: 1, reason: 'fashionClassifier.workers is 1' };
  }
  if (setting > 1) {
    return setting > most
      ? { count: most, reason: `fashionClassifier.workers asks for ${setting}; this machine has ${cores} cores` }
      : { count: setting, reason: `fashionClassifier.workers is ${setting}` };
  }
  if (timed === undefined) {
    return { count: 1, reason: 'auto, not timed' };
  }
  return { count: Math.max(1, Math.min(timed, most)), reason: 'auto, by timing' };
}

/** Worker counts "auto" times: doubling from 2 up to the cores, and the cores themselves. */
export function workerCandidates(cores: number): number[] {
  const most = Math.min(cores, MAX_WORKERS);
  const counts: number[] = [];
  for (let n = 2; n < most; n *= 2) {
    counts.push(n);
  }
  return most >= 2 ? [...counts, most] : counts;
}
