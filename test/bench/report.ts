// Turns the measurements into the ratios against PyTorch and a short table for people.
import type { TorchReport } from './torch';
import type { BenchBackend, BenchResult, ColdLatency } from './types';

/**
 * The speed goal: an epoch in the editor takes no longer than PyTorch's for the same model, at
 * the preset's default batch size (32 for the MLP, Keras' default).
 */
export const TARGET_BATCH_SIZE = 32;

export interface Ratio {
  backend: BenchBackend;
  batchSize: number;
  /** Training threads (1: the page; more: data-parallel workers). */
  workers: number;
  editorSecondsPerEpoch: number;
  /** PyTorch's seconds per epoch at the same batch size, per way of feeding batches. */
  pytorchSecondsPerEpoch: Record<string, number>;
  /** The faster PyTorch variant of this run: the target is not to be slower than either. */
  fastestPytorch: string;
  /** editor / fastest PyTorch; the target is <= 1. */
  ratio: number;
  meetsTarget: boolean;
}

/** One round: every browser configuration, then PyTorch, back to back. */
export interface Round {
  runs: BenchResult[];
  torch?: TorchReport;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Per configuration, the run of the median round (by seconds per epoch), with every round's figure. */
export function medianRuns<T extends { secondsPerEpoch: number }>(
  runs: T[],
  key: (run: T) => string,
): (T & { roundSecondsPerEpoch: number[] })[] {
  const groups = new Map<string, T[]>();
  runs.forEach((run) => groups.set(key(run), [...(groups.get(key(run)) ?? []), run]));
  return [...groups.values()].map((group) => {
    const middle = median(group.map((r) => r.secondsPerEpoch));
    const chosen = group.find((r) => r.secondsPerEpoch === middle)!;
    return { ...chosen, roundSecondsPerEpoch: group.map((r) => r.secondsPerEpoch) };
  });
}

export interface RatioSummary {
  backend: BenchBackend;
  batchSize: number;
  workers: number;
  /** editor / fastest PyTorch, one per round; each compares figures measured minutes apart at most. */
  roundRatios: number[];
  medianRatio: number;
  meetsTarget: boolean;
}

/**
 * The ratio of each round, and their median. The machine's speed drifts with other work on the
 * host, so each ratio compares figures taken back to back, and the median ignores a round spoilt
 * by a burst on either side.
 */
export function summarizeRatios(perRound: Ratio[][], targetBatchSize = TARGET_BATCH_SIZE): RatioSummary[] {
  const all = perRound.flat();
  const rows = [...new Map(all.map((r) => [threadLabel(r), r])).values()];
  return rows.map(({ backend, workers }) => {
    const roundRatios = all.filter((r) => r.backend === backend && r.workers === workers).map((r) => r.ratio);
    const medianRatio = median(roundRatios);
    return { backend, batchSize: targetBatchSize, workers, roundRatios, medianRatio, meetsTarget: medianRatio <= 1 };
  });
}

export function ratios(
  runs: BenchResult[],
  torch: TorchReport | undefined,
  targetBatchSize = TARGET_BATCH_SIZE,
): Ratio[] {
  const reference = torch?.runs.filter((r) => r.batchSize === targetBatchSize) ?? [];
  if (reference.length === 0) {
    return [];
  }
  const fastest = reference.reduce((a, b) => (b.secondsPerEpoch < a.secondsPerEpoch ? b : a));
  return runs
    .filter((r) => r.batchSize === targetBatchSize)
    .map((r) => ({
      backend: r.backend,
      batchSize: r.batchSize,
      workers: r.workers,
      editorSecondsPerEpoch: r.secondsPerEpoch,
      pytorchSecondsPerEpoch: Object.fromEntries(reference.map((t) => [t.loader, t.secondsPerEpoch])),
      fastestPytorch: fastest.loader,
      ratio: r.secondsPerEpoch / fastest.secondsPerEpoch,
      meetsTarget: r.secondsPerEpoch <= fastest.secondsPerEpoch,
    }));
}

/** A backend with its training threads, e.g. "wasm" or "wasm×2". */
export function threadLabel(r: { backend: BenchBackend; workers?: number }): string {
  return (r.workers ?? 1) > 1 ? `${r.backend}×${r.workers}` : r.backend;
}

const fixed = (value: number | null | undefined, digits: number) =>
  value === null || value === undefined ? '-' : value.toFixed(digits);

function row(cells: string[]): string {
  const widths = [9, 6, 10, 10, 9, 13, 12, 10];
  return cells.map((cell, i) => cell.padEnd(widths[i] ?? 10)).join(' ');
}

export function table(
  runs: BenchResult[],
  cold: Record<string, ColdLatency>,
  torch: TorchReport | undefined,
  summaries: RatioSummary[],
): string {
  const lines = [
    row(['backend', 'batch', 'samples/s', 's/epoch', 'test acc', 'tensors b/a/d', 'peak heap MB', 'classify ms']),
  ];
  for (const r of runs) {
    const counts = `${r.numTensors.beforeTraining}/${r.numTensors.afterTraining}/${r.numTensors.afterDispose}`;
    const latency = r.latency ? `${fixed(r.latency.medianMs, 1)} (cold ${fixed(cold[r.backend]?.totalMs, 0)})` : '';
    lines.push(
      row([
        threadLabel(r),
        String(r.batchSize),
        fixed(r.samplesPerSecond, 0),
        fixed(r.secondsPerEpoch, 1),
        fixed(r.testAccuracy, 4),
        counts,
        fixed(r.peakJsHeapMB, 0),
        latency,
      ]),
    );
  }
  for (const r of torch?.runs ?? []) {
    lines.push(
      row([
        `torch/${r.loader === 'tensor' ? 'tensor' : 'loader'}`,
        String(r.batchSize),
        fixed(r.samplesPerSecond, 0),
        fixed(r.secondsPerEpoch, 1),
        fixed(r.testAccuracy, 4),
      ]),
    );
  }
  lines.push('', ...runs.map((r) => `${threadLabel(r)} at batch ${r.batchSize}: ${r.note}`));
  for (const r of summaries) {
    const rounds = r.roundRatios.map((x) => x.toFixed(2)).join(', ');
    lines.push(
      `${threadLabel(r)} epoch at batch ${r.batchSize}: ${r.medianRatio.toFixed(2)}x PyTorch's faster loop (median of ${r.roundRatios.length} rounds: ${rounds}): ${r.meetsTarget ? 'meets' : 'misses'} the target`,
    );
  }
  return lines.join('\n');
}
