// Data-parallel training's figures: how much faster N workers train an epoch than the page's own
// thread, measured in the same round (minutes apart at most), and how much of the ideal N times
// that is (parallel efficiency).
import type { StepProfile } from '../../src/shared/ml/parallel/parallelTrainer';
import { median } from './report';
import type { BenchBackend, BenchResult } from './types';

export interface Speedup {
  backend: BenchBackend;
  batchSize: number;
  workers: number;
  /** Seconds per epoch on one thread and on `workers`, the same round. */
  secondsOne: number;
  secondsMany: number;
  /** secondsOne / secondsMany. */
  speedup: number;
  /** speedup / workers: 1 is perfect. */
  efficiency: number;
  /** Where worker 1's batches spent their time. */
  profile?: StepProfile;
  workerStartMs?: number;
  /** Peak resident memory of the renderer, MB, on one thread and on `workers`. */
  rendererPeakMBOne?: number;
  rendererPeakMBMany?: number;
  /** Each worker's WASM heap after training, MB. */
  workerWasmHeapMB?: number[];
}

/** Every multi-worker run of a round against the one-thread run of the same backend and batch size. */
export function parallelSpeedups(runs: readonly BenchResult[]): Speedup[] {
  return runs
    .filter((r) => r.workers > 1)
    .flatMap((many) => {
      const one = runs.find((r) => r.workers === 1 && r.backend === many.backend && r.batchSize === many.batchSize);
      if (!one) {
        return [];
      }
      const speedup = one.secondsPerEpoch / many.secondsPerEpoch;
      return [
        {
          backend: many.backend,
          batchSize: many.batchSize,
          workers: many.workers,
          secondsOne: one.secondsPerEpoch,
          secondsMany: many.secondsPerEpoch,
          speedup,
          efficiency: speedup / many.workers,
          profile: many.stepProfile,
          workerStartMs: many.workerStartMs,
          rendererPeakMBOne: one.rendererPeakMB,
          rendererPeakMBMany: many.rendererPeakMB,
          workerWasmHeapMB: many.workerMemoryMB?.map((m) => m.wasmHeap),
        },
      ];
    });
}

export interface SpeedupSummary {
  backend: BenchBackend;
  batchSize: number;
  workers: number;
  roundSpeedups: number[];
  medianSpeedup: number;
  medianEfficiency: number;
  /** many / one, the round of the median speed-up: the target is a ratio (e.g. at most 0.6). */
  timeRatio: number;
  /** The median round's figures. */
  median: Speedup;
}

/** Per backend, batch size and worker count, the median of the rounds' speed-ups. */
export function summarizeSpeedups(perRound: readonly Speedup[][]): SpeedupSummary[] {
  const groups = new Map<string, Speedup[]>();
  for (const s of perRound.flat()) {
    const key = `${s.backend}/${s.batchSize}/${s.workers}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((group) => {
    const medianSpeedup = median(group.map((s) => s.speedup));
    const middle = group.find((s) => s.speedup === medianSpeedup)!;
    return {
      backend: middle.backend,
      batchSize: middle.batchSize,
      workers: middle.workers,
      roundSpeedups: group.map((s) => s.speedup),
      medianSpeedup,
      medianEfficiency: middle.efficiency,
      timeRatio: 1 / medianSpeedup,
      median: middle,
    };
  });
}

const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(2));
const mb = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(0));

export function speedupTable(summaries: readonly SpeedupSummary[]): string {
  const lines = [
    'workers  batch  s/epoch 1 → N   speed-up (rounds)          efficiency  time ratio  per batch in worker 1: compute / wait / sum / apply ms   renderer peak MB 1 → N  worker WASM heaps MB',
  ];
  for (const s of summaries) {
    const p = s.median.profile;
    lines.push(
      [
        `${s.backend}×${s.workers}`.padEnd(8),
        String(s.batchSize).padEnd(6),
        `${s.median.secondsOne.toFixed(1)} → ${s.median.secondsMany.toFixed(1)}`.padEnd(15),
        `${s.medianSpeedup.toFixed(2)} (${s.roundSpeedups.map((x) => x.toFixed(2)).join(', ')})`.padEnd(26),
        `${(s.medianEfficiency * 100).toFixed(0)}%`.padEnd(11),
        s.timeRatio.toFixed(2).padEnd(11),
        (p ? `${ms(p.compute)} / ${ms(p.wait)} / ${ms(p.sum)} / ${ms(p.apply)}` : '-').padEnd(42),
        `${mb(s.median.rendererPeakMBOne)} → ${mb(s.median.rendererPeakMBMany)}`.padEnd(23),
        (s.median.workerWasmHeapMB ?? []).map((x) => x.toFixed(0)).join(', '),
      ].join(' '),
    );
  }
  return lines.join('\n');
}
