// Repeats and sweeps before and while they run: the planned runs (seeds, groups, order), the
// queue that trains them one after another (stop, failure, progress, time left, the gap between
// two runs), and the group a run keeps in run.json.
import * as assert from 'node:assert/strict';
import {
  parseSweepValues,
  planRepeat,
  planRepeatEach,
  planSweep,
  repeatSeeds,
  sweepProblem,
  type PlanSource,
  type PlannedRun,
} from '../../src/shared/experiments/experimentPlan';
import {
  estimatePlanSeconds,
  ExperimentQueue,
  runExperiment,
  type RunEnd,
} from '../../src/shared/experiments/experimentQueue';
import { parseRunGroup } from '../../src/shared/experiments/runGroup';
import { historySecondsPerCost, trainingCost } from '../../src/shared/experiments/timeEstimate';
import { parseSavedRun, type SavedRun } from '../../src/shared/savedRun';
import { DEFAULT_SETTINGS, defaultsFor } from '../../src/shared/settings';
import { savedRunFixture } from './runFixtures';

/** Fixed time and a fixed sequence of "random" numbers. */
function source(values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]): PlanSource {
  let i = 0;
  return { now: () => 1_700_000_000_000, random: () => values[i++ % values.length] };
}

const savedRun = (overrides: Partial<SavedRun> = {}): SavedRun =>
  savedRunFixture({ settings: { ...DEFAULT_SETTINGS, seed: 5 }, ...overrides });

describe('Repeats and sweeps', () => {
  describe('a repeat', () => {
    it('trains the settings with consecutive seeds from the one set, all in one group', () => {
      const plan = planRepeat({ ...DEFAULT_SETTINGS, seed: 1000, hiddenUnits: 8 }, 3, source());
      assert.equal(plan.label, 'Repeat ×3');
      assert.deepEqual(
        plan.runs.map((r) => r.settings.seed),
        [1000, 1001, 1002],
      );
      assert.ok(plan.runs.every((r) => r.settings.hiddenUnits === 8));
      const ids = new Set(plan.runs.map((r) => r.group.id));
      assert.equal(ids.size, 1);
      assert.deepEqual(
        plan.runs.map((r) => [r.group.kind, r.group.index, r.group.size]),
        [
          ['repeat', 0, 3],
          ['repeat', 1, 3],
          ['repeat', 2, 3],
        ],
      );
    });

    it('draws distinct seeds when none is set, and wraps at the top of the seed range', () => {
      // The same draw twice must not give two runs one seed.
      const seeds = repeatSeeds(null, 4, source([0.5, 0.5, 0.25, 0.75, 0.1]).random);
      assert.equal(new Set(seeds).size, 4);
      assert.deepEqual(repeatSeeds(4294967294, 3, Math.random), [4294967294, 4294967295, 0]);
    });

    it('is 2 to 10 runs', () => {
      assert.throws(() => planRepeat(DEFAULT_SETTINGS, 1), /whole number from 2 to 10/);
      assert.throws(() => planRepeat(DEFAULT_SETTINGS, 11), /whole number from 2 to 10/);
      assert.throws(() => planRepeat(DEFAULT_SETTINGS, 2.5), /whole number from 2 to 10/);
    });

    it('offered after a comparison, repeats each run’s settings in a group of its own, seeds after its own', () => {
      const plan = planRepeatEach(
        [
          { settings: { ...DEFAULT_SETTINGS, hiddenUnits: 8, seed: 41 } },
          { settings: { ...DEFAULT_SETTINGS, seed: null } },
        ],
        3,
        source(),
      );
      assert.equal(plan.runs.length, 6);
      assert.deepEqual(
        plan.runs.slice(0, 3).map((r) => [r.settings.hiddenUnits, r.settings.seed]),
        [
          [8, 42],
          [8, 43],
          [8, 44],
        ],
      );
      assert.ok(plan.runs.slice(3).every((r) => r.settings.hiddenUnits === 256 && Number.isInteger(r.settings.seed)));
      assert.notEqual(plan.runs[0].group.id, plan.runs[3].group.id);
      assert.equal(plan.label, 'Repeat each of 2 runs ×3');
      assert.equal(planRepeatEach([{ settings: DEFAULT_SETTINGS }], 3, source()).label, 'Repeat ×3');
    });
  });

  describe('a sweep', () => {
    const request = {
      settings: { ...DEFAULT_SETTINGS, seed: 7 },
      parameter: 'learningRate' as const,
      values: [0.01, 0.0001, 0.001],
      repeats: 2,
      trainSubsetSize: 10_000,
      testSubsetSize: 2_000,
    };

    it('tries every value once per round, with the same seeds at every value, on the subset', () => {
      const plan = planSweep(request, source());
      assert.equal(plan.label, 'Sweep of learning rate');
      assert.deepEqual(
        plan.runs.map((r) => [r.settings.learningRate, r.settings.seed]),
        [
          [0.0001, 7],
          [0.001, 7],
          [0.01, 7],
          [0.0001, 8],
          [0.001, 8],
          [0.01, 8],
        ],
      );
      assert.ok(plan.runs.every((r) => r.settings.trainSubsetSize === 10_000 && r.settings.testSubsetSize === 2_000));
      assert.ok(plan.runs.every((r, i) => r.group.index === i && r.group.size === 6 && r.group.kind === 'sweep'));
      assert.ok(
        plan.runs.every((r) => r.group.parameter === 'learningRate' && r.group.value === r.settings.learningRate),
      );
    });

    it('refuses what cannot train, saying why', () => {
      assert.match(
        sweepProblem({ ...request, settings: defaultsFor('cnn'), parameter: 'hiddenUnits', values: [8, 16] })!,
        /The CNN has no hidden units/,
      );
      assert.match(sweepProblem({ ...request, repeats: 0 })!, /Repeats per value are a whole number from 1 to 10/);
      assert.match(
        sweepProblem({
          ...request,
          values: Array.from({ length: 8 }, (_, i) => i + 1),
          parameter: 'epochs',
          repeats: 11,
        })!,
        /from 1 to 10/,
      );
      assert.match(sweepProblem({ ...request, trainSubsetSize: 70_000 })!, /training images used/);
      assert.equal(sweepProblem(request), undefined);
      assert.throws(() => planSweep({ ...request, values: [0.001] }), /2 to 8 different values/);
    });

    it('reads typed values: separated by commas or spaces, each one the setting takes, 2 to 8 of them', () => {
      assert.deepEqual(parseSweepValues('learningRate', '0.003, 0.0003 0.001;'), { values: [0.0003, 0.001, 0.003] });
      assert.deepEqual(parseSweepValues('hiddenUnits', '8,256,8'), { values: [8, 256] });
      assert.match(
        (parseSweepValues('hiddenUnits', '8, 12.5') as { reason: string }).reason,
        /12.5 is not a value hidden units can take/,
      );
      assert.match((parseSweepValues('dropout', '0.1, 2') as { reason: string }).reason, /2 is not a value dropout/);
      assert.match((parseSweepValues('epochs', '3') as { reason: string }).reason, /2 to 8 different values.*1 given/);
      assert.match((parseSweepValues('epochs', 'a, b') as { reason: string }).reason, /a is not a value/);
    });
  });

  describe('the group in run.json', () => {
    const group = {
      id: 'gabc-123',
      kind: 'sweep',
      label: 'Sweep of dropout',
      index: 1,
      size: 4,
      parameter: 'dropout',
      value: 0.2,
    };

    it('is kept and read back, and a run without one (trained alone, or saved before groups) still loads', () => {
      const parsed = parseSavedRun(JSON.parse(JSON.stringify(savedRun({ group } as never))));
      assert.deepEqual(parsed?.group, group);
      const older = parseSavedRun(JSON.parse(JSON.stringify(savedRun())));
      assert.ok(older);
      assert.equal(older.group, undefined);
      assert.equal('group' in older, false);
    });

    it('makes the run unreadable when damaged, as any other damaged field does', () => {
      const damaged: Record<string, unknown>[] = [
        { ...group, id: '../x' },
        { ...group, kind: 'grid' },
        { ...group, index: 4 },
        { ...group, size: 0 },
        { ...group, size: 81, index: 0 },
        { ...group, value: 0.3 },
        { ...group, parameter: 'validationSplit' },
        { ...group, label: 'x'.repeat(201) },
        { id: 'g1', kind: 'repeat', label: 'Repeat ×2', index: 0, size: 2, parameter: 'dropout', value: 0.2 },
      ];
      for (const bad of damaged) {
        assert.equal(
          parseSavedRun(JSON.parse(JSON.stringify(savedRun({ group: bad } as never)))),
          undefined,
          JSON.stringify(bad),
        );
        assert.equal(parseRunGroup(bad, { ...DEFAULT_SETTINGS }), false);
      }
      assert.equal(parseSavedRun({ ...savedRun(), group: null }), undefined);
    });
  });

  describe('the queue that trains an experiment', () => {
    const plan = planRepeat({ ...DEFAULT_SETTINGS, seed: 1 }, 3, source());
    const cost = (run: PlannedRun) => run.settings.epochs * 1000;
    const completed: RunEnd = { outcome: 'completed', saved: true, testAccuracy: 0.8 };

    function clock() {
      let now = 0;
      return { now: () => now, advance: (ms: number) => void (now += ms) };
    }

    it('trains the runs in order and says which one is under way', async () => {
      const time = clock();
      const queue = new ExperimentQueue(plan, cost, time.now);
      const seen: string[] = [];
      const end = await runExperiment(queue, async (run) => {
        const progress = queue.progress();
        seen.push(`run ${progress.run} of ${progress.runs}, seed ${run.settings.seed}`);
        time.advance(10_000);
        return completed;
      });
      assert.deepEqual(seen, ['run 1 of 3, seed 1', 'run 2 of 3, seed 2', 'run 3 of 3, seed 3']);
      assert.equal(end.state, 'completed');
      assert.equal(end.finished, 3);
      assert.equal(end.secondsLeft, 0);
    });

    it('stops after the run under way; the runs finished before stay counted', async () => {
      const queue = new ExperimentQueue(plan, cost, clock().now);
      let trained = 0;
      const end = await runExperiment(queue, async () => {
        trained++;
        if (trained === 2) {
          // Stop pressed during the second run: its batches stop, so it ends stopped.
          queue.stop();
          return { outcome: 'stopped', saved: false };
        }
        return completed;
      });
      assert.equal(trained, 2);
      assert.equal(end.state, 'stopped');
      assert.equal(end.finished, 1);
      assert.equal(queue.next(), undefined);
    });

    it('keeps a run that completed as Stop was pressed, and starts no other', async () => {
      const queue = new ExperimentQueue(plan, cost, clock().now);
      let trained = 0;
      const end = await runExperiment(queue, async () => {
        trained++;
        queue.stop();
        return completed;
      });
      assert.deepEqual([trained, end.state, end.finished], [1, 'stopped', 1]);
    });

    it('ends at a failed run, and at a run whose model could not be stored', async () => {
      for (const bad of [
        { outcome: 'failed', saved: false },
        { outcome: 'completed', saved: false, testAccuracy: 0.8 },
      ] as RunEnd[]) {
        const queue = new ExperimentQueue(plan, cost, clock().now);
        let trained = 0;
        const end = await runExperiment(queue, async () => (++trained === 2 ? bad : completed));
        assert.deepEqual([trained, end.state, end.finished], [2, 'failed', 1], JSON.stringify(bad));
      }
    });

    it('measures the time from one run’s end to the next run’s first batch', () => {
      const time = clock();
      const queue = new ExperimentQueue(plan, cost, time.now);
      queue.next();
      assert.equal(queue.firstBatch(), undefined, 'the first run has no run before it');
      time.advance(5000);
      queue.ended(completed);
      time.advance(120);
      queue.next();
      time.advance(180);
      assert.equal(queue.firstBatch(), 300);
      assert.equal(queue.firstBatch(), undefined, 'once per run');
      assert.deepEqual(queue.progress().gapsMs, [300]);
    });

    it('estimates the time left from the runs so far, weighed by their cost, or from the history before', () => {
      const time = clock();
      const sweep = planSweep(
        {
          settings: { ...DEFAULT_SETTINGS, seed: 1 },
          parameter: 'epochs',
          values: [1, 3],
          repeats: 1,
          trainSubsetSize: 0,
          testSubsetSize: 0,
        },
        source(),
      );
      const unknown = new ExperimentQueue(sweep, cost, time.now);
      unknown.next();
      assert.equal(unknown.progress().secondsLeft, null, 'nothing timed, no history');
      const queue = new ExperimentQueue(sweep, cost, time.now, 0.002);
      queue.next();
      // 1 epoch (1000) then 3 (3000) at 0.002 s each: 8 s in all before anything ran.
      assert.equal(queue.progress().secondsLeft, 8);
      assert.equal(queue.progress(1.5).secondsLeft, 1.5 + 6, "the run's own estimate for itself");
      time.advance(4000);
      queue.ended(completed);
      queue.next();
      // The first run took 4 s for 1000: the second's 3000 take 12 s.
      assert.equal(queue.progress().secondsLeft, 12);
      assert.equal(estimatePlanSeconds(sweep, cost, 0.002), 8);
      assert.equal(estimatePlanSeconds(sweep, cost, undefined), undefined);
    });

    it('weighs runs by epochs × training images, and takes the pace from the newest runs of the model', () => {
      assert.equal(
        trainingCost({ ...DEFAULT_SETTINGS, epochs: 2, trainSubsetSize: 1000 }, { train: 60_000, test: 10_000 }),
        1600,
      );
      assert.equal(
        trainingCost(
          { ...DEFAULT_SETTINGS, trainSubsetSize: 1, validationSplit: 0.9 },
          { train: 60_000, test: 10_000 },
        ),
        0,
      );
      const runs = [
        {
          run: savedRun({
            trainCount: 1000,
            history: [{ epoch: 1, loss: 1, accuracy: 0.5, valLoss: null, valAccuracy: null, seconds: 2 }],
          }),
        },
        { run: savedRun({ settings: defaultsFor('cnn'), trainCount: 1000 }) },
      ];
      assert.equal(historySecondsPerCost(runs, 'mlp'), 0.002);
      assert.equal(historySecondsPerCost(runs, 'cnn'), 0.001);
      assert.equal(historySecondsPerCost([], 'mlp'), undefined);
    });
  });
});
