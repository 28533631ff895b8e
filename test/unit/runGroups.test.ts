// The history seen as groups, comparisons between them, sweeps as series, and what the
// run-history limit removes (in the store too) while a repeat or sweep saves its runs.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ModelStore, type ModelToSave } from '../../src/model/modelStore';
import { summarizeGroup } from '../../src/shared/experiments/groupSummary';
import {
  describeForecast,
  forecastDrops,
  runsToDrop,
  type LimitedRun,
} from '../../src/shared/experiments/historyLimit';
import type { RunGroup } from '../../src/shared/experiments/runGroup';
import {
  comparisonSides,
  groupCells,
  runsToRepeat,
  sideLabels,
  sideVerdicts,
  sweepSeries,
  type HistoryRun,
} from '../../src/shared/experiments/runGroups';
import type { SavedRun } from '../../src/shared/savedRun';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../../src/shared/settings';

function entry(
  id: string,
  accuracy: number,
  settings: Partial<TrainingSettings> = {},
  group?: RunGroup,
  finishedAt = '2026-12-01T10:00:00.000Z',
): HistoryRun {
  return {
    id,
    run: {
      finishedAt,
      settings: { ...DEFAULT_SETTINGS, seed: 1, ...settings },
      backend: 'wasm',
      trainCount: 1600,
      validationCount: 400,
      testCount: 500,
      history: [{ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 0.6, valAccuracy: 0.7, seconds: 3 }],
      evaluation: { loss: 0.5, accuracy, confusionMatrix: [] },
      ...(group ? { group } : {}),
    },
  };
}

const repeat = (id: string, index: number, size = 3): RunGroup => ({
  id,
  kind: 'repeat',
  label: `Repeat ×${size}`,
  index,
  size,
});
const sweepAt = (id: string, index: number, value: number, size = 4): RunGroup => ({
  id,
  kind: 'sweep',
  label: 'Sweep of learning rate',
  index,
  size,
  parameter: 'learningRate',
  value,
});

describe('Groups of runs in the history', () => {
  // Newest first, as the history lists them: two repeats (hidden units 8 and 256) and a lone run.
  const narrow = [0.52, 0.47, 0.5].map((a, i) => entry(`n${i}`, a, { hiddenUnits: 8 }, repeat('gn', i)));
  const wide = [0.76, 0.75, 0.77].map((a, i) => entry(`w${i}`, a, {}, repeat('gw', i)));
  const history = [...wide.slice().reverse(), entry('alone', 0.74), ...narrow.slice().reverse()];

  it('gathers a repeat’s runs, in the order they trained, with their mean ± sd', () => {
    const cells = groupCells(history);
    assert.deepEqual(
      cells.map((c) => [c.key, c.runs.map((r) => r.id)]),
      [
        ['gw', ['w0', 'w1', 'w2']],
        ['gn', ['n0', 'n1', 'n2']],
      ],
    );
    assert.deepEqual(cells[1].summary, summarizeGroup(narrow.map((r) => r.run)));
    assert.equal('index' in cells[0].group, false);
  });

  it('compares a group’s runs as one side and names the sides by the settings that differ', () => {
    const sides = comparisonSides([...wide, ...narrow]);
    assert.deepEqual(
      sides.map((s) => s.runs.length),
      [3, 3],
    );
    // Ticked newest first, as the history lists them; a side lists its runs in training order.
    assert.deepEqual(
      comparisonSides([...wide].reverse())[0].runs.map((r) => r.run.group!.index),
      [0, 1, 2],
    );
    const labels = sideLabels(sides, () => 'unused');
    assert.deepEqual(labels, ['hidden units 256', 'hidden units 8']);
    const [verdict] = sideVerdicts(sides, labels);
    assert.equal(verdict.verdict.kind, 'beyond-noise');
    assert.match(verdict.verdict.explanation, /The mean of hidden units 256 is higher by 0\.2633/);
    assert.deepEqual(runsToRepeat(sides, verdict), []);
  });

  it('cannot tell two single runs apart, and offers to repeat both', () => {
    const single = [entry('a', 0.8), entry('b', 0.78, { hiddenUnits: 8 })];
    const sides = comparisonSides(single);
    const labels = sideLabels(sides, () => 'unused');
    const [verdict] = sideVerdicts(sides, labels);
    assert.equal(verdict.verdict.kind, 'cannot-tell');
    assert.equal(verdict.verdict.headline, 'One run each cannot tell');
    assert.deepEqual(
      runsToRepeat(sides, verdict).map((r) => r.id),
      ['a', 'b'],
    );
  });

  it('names sides whose settings are alike by the fallback, and calls identical settings within noise', () => {
    const again = [0.75, 0.77, 0.76].map((a, i) => entry(`x${i}`, a, {}, repeat('gx', i)));
    const sides = comparisonSides([...wide, ...again]);
    const labels = sideLabels(sides, (side, i) => `group ${i + 1} (${side.key})`);
    assert.deepEqual(labels, ['group 1 (gw)', 'group 2 (gx)']);
    assert.equal(sideVerdicts(sides, labels)[0].verdict.kind, 'within-noise');
  });

  it('compares every pair of at most six sides', () => {
    const many = Array.from({ length: 8 }, (_, i) => entry(`r${i}`, 0.7 + i / 100, { hiddenUnits: i + 1 }));
    const sides = comparisonSides(many);
    assert.equal(
      sideVerdicts(
        sides,
        sideLabels(sides, () => ''),
      ).length,
      15,
    );
  });

  it('shows a sweep as test accuracy per value, increasing, newest sweep first', () => {
    const older = [0.8, 0.7].map((a, i) =>
      entry(
        `o${i}`,
        a,
        { learningRate: [0.001, 0.01][i] },
        sweepAt('go', i, [0.001, 0.01][i], 2),
        '2026-11-30T10:00:00.000Z',
      ),
    );
    const values = [0.01, 0.001, 0.01, 0.001];
    const runs = values.map((v, i) => entry(`s${i}`, 0.8 - i / 100, { learningRate: v }, sweepAt('gs', i, v)));
    const series = sweepSeries([...runs.slice().reverse(), ...older]);
    assert.deepEqual(
      series.map((s) => s.groupId),
      ['gs', 'go'],
    );
    assert.deepEqual(
      series[0].points.map((p) => [p.value, p.runIds]),
      [
        [0.001, ['s1', 's3']],
        [0.01, ['s0', 's2']],
      ],
    );
    assert.deepEqual(series[0].points[0].summary, summarizeGroup([runs[1].run, runs[3].run]));
    assert.equal(series[0].parameter, 'learningRate');
    assert.equal(series[0].planned, 4);
  });
});

describe('The run-history limit and experiments', () => {
  const runs = (n: number, selected = 0): LimitedRun[] =>
    Array.from({ length: n }, (_, i) => ({ id: `r${i}`, selected: i === selected }));

  it('removes what the store removed before when no group is saved: the oldest, never the selected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 25 }), fc.nat(), (count, limit, pick) => {
        const kept = runs(count, count ? pick % count : -1);
        const before = kept.filter((r) => !r.selected).slice(limit - 1);
        assert.deepEqual(new Set(runsToDrop(kept, limit)), new Set(before.map((r) => r.id)));
      }),
    );
  });

  it('spares every run of the group being saved, even beyond the limit', () => {
    const kept: LimitedRun[] = [
      { id: 'g2', selected: true, groupId: 'g' },
      { id: 'g1', selected: false, groupId: 'g' },
      { id: 'g0', selected: false, groupId: 'g' },
      { id: 'old1', selected: false },
      { id: 'old0', selected: false },
    ];
    assert.deepEqual(runsToDrop(kept, 2, 'g'), ['old0', 'old1']);
    assert.deepEqual(runsToDrop(kept, 2), ['old0', 'old1', 'g0']);
  });

  it('says before an experiment how many older runs will go: 12 runs, limit 20, 15 kept → 7', () => {
    const forecast = forecastDrops(runs(15), 12, 20);
    assert.deepEqual(forecast, { dropped: 7, ownBeyondLimit: 0 });
    assert.match(
      describeForecast(forecast, 12, 20, 15),
      /^12 runs to train; 15 runs kept now, the last 20 are kept .*: the 7 oldest runs will be deleted/,
    );
    assert.match(describeForecast(forecastDrops(runs(3), 2, 20), 2, 20, 3), /no kept run will be deleted/);
    const beyond = forecastDrops(runs(3), 6, 4);
    assert.deepEqual(beyond, { dropped: 3, ownBeyondLimit: 2 });
    assert.match(
      describeForecast(beyond, 6, 4, 3),
      /All 6 runs are kept while they train; the next run saved after them deletes the oldest 2 runs of them/,
    );
  });

  describe('in the store', () => {
    const dir = join(__dirname, '..', '..', '..', 'test-output', 'unit', 'runGroups');
    beforeEach(() => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    function model(group?: RunGroup): ModelToSave {
      const run: SavedRun = {
        ...entry('x', 0.5, {}, group).run,
        evaluation: { loss: 0.5, accuracy: 0.5, confusionMatrix: Array.from({ length: 10 }, () => Array(10).fill(0)) },
        predictions: [],
      };
      return {
        modelTopology: { class_name: 'Sequential' },
        weightSpecs: [{ name: 'dense/kernel', shape: [2, 3], dtype: 'float32' }],
        weightData: new Uint8Array(24),
        run,
      };
    }

    it('keeps a repeat’s runs whole while it saves them, and trims them with the next run saved alone', async () => {
      const store = await ModelStore.open(dir, { limit: 2 });
      await store.save(model());
      await store.save(model());
      for (let i = 0; i < 3; i++) {
        await store.save(model(repeat('gr', i)));
      }
      const afterRepeat = await store.list();
      assert.deepEqual(
        afterRepeat.map((r) => r.run.group?.index),
        [2, 1, 0],
        'the two older runs went, all three of the repeat stay',
      );
      await store.save(model());
      const afterNext = await store.list();
      assert.deepEqual(
        afterNext.map((r) => r.run.group?.index ?? 'alone'),
        ['alone', 2],
      );
    });
  });
});
