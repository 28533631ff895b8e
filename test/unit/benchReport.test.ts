import * as assert from 'node:assert/strict';
import { medianRuns, summarizeRatios, type Ratio } from '../bench/report';
import type { BenchBackend } from '../bench/types';

const ratio = (backend: BenchBackend, value: number): Ratio => ({
  backend,
  batchSize: 32,
  workers: 1,
  editorSecondsPerEpoch: value * 10,
  pytorchSecondsPerEpoch: { tensor: 10 },
  fastestPytorch: 'tensor',
  ratio: value,
  meetsTarget: value <= 1,
});

describe('benchmark report', () => {
  it("keeps each configuration's median round, with every round's figure", () => {
    const runs = [
      { name: 'wasm/32', secondsPerEpoch: 9, round: 1 },
      { name: 'wasm/32', secondsPerEpoch: 12, round: 2 },
      { name: 'wasm/128', secondsPerEpoch: 5, round: 1 },
      { name: 'wasm/32', secondsPerEpoch: 7, round: 3 },
    ];
    const medians = medianRuns(runs, (r) => r.name);
    assert.deepEqual(
      medians.map((r) => [r.name, r.round, r.roundSecondsPerEpoch]),
      [
        ['wasm/32', 1, [9, 12, 7]],
        ['wasm/128', 1, [5]],
      ],
    );
  });

  it('judges the target on the median of the per-round ratios, so one spoilt round does not decide', () => {
    const [summary] = summarizeRatios([[ratio('wasm', 0.8)], [ratio('wasm', 1.7)], [ratio('wasm', 0.9)]]);
    assert.deepEqual(summary.roundRatios, [0.8, 1.7, 0.9]);
    assert.equal(summary.medianRatio, 0.9);
    assert.equal(summary.meetsTarget, true);
    const [slow] = summarizeRatios([[ratio('webgl', 8)], [ratio('webgl', 0.5)], [ratio('webgl', 9)]]);
    assert.equal(slow.meetsTarget, false);
  });
});
