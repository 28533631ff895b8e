// What section 8 says before an experiment starts: the images a sweep uses and how long it takes.
import * as assert from 'node:assert/strict';
import { planSweep, QUICK_SUBSET, sweepSubsetSizes } from '../../src/shared/experiments/experimentPlan';
import { aboutDuration } from '../../src/shared/experiments/timeEstimate';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

describe("Section 8's subset and time estimate", () => {
  const settings = { ...DEFAULT_SETTINGS, trainSubsetSize: 2000, testSubsetSize: 500 };

  it('gives a sweep the quick subset, the settings own, or all images', () => {
    assert.deepEqual(sweepSubsetSizes('quick', settings), { train: 10_000, test: 2_000 });
    assert.deepEqual(sweepSubsetSizes('settings', settings), { train: 2000, test: 500 });
    assert.deepEqual(sweepSubsetSizes('full', settings), { train: 0, test: 0 });
    // A copy: a caller cannot change the quick subset for everyone.
    const quick = sweepSubsetSizes('quick', settings);
    quick.train = 1;
    assert.equal(QUICK_SUBSET.train, 10_000);
  });

  it("trains every run of a sweep on the subset chosen, whatever the settings' own", () => {
    const { train, test } = sweepSubsetSizes('quick', settings);
    const plan = planSweep({
      settings,
      parameter: 'learningRate',
      values: [0.0003, 0.001, 0.003],
      repeats: 1,
      trainSubsetSize: train,
      testSubsetSize: test,
    });
    assert.deepEqual(
      plan.runs.map((run) => [run.settings.trainSubsetSize, run.settings.testSubsetSize, run.settings.learningRate]),
      [
        [10_000, 2_000, 0.0003],
        [10_000, 2_000, 0.001],
        [10_000, 2_000, 0.003],
      ],
    );
  });

  it('says seconds under a minute and a half, minutes above, never "about 0 s"', () => {
    assert.equal(aboutDuration(0.2), 'about 1 s');
    assert.equal(aboutDuration(41.4), 'about 41 s');
    assert.equal(aboutDuration(89), 'about 89 s');
    assert.equal(aboutDuration(90), 'about 2 min');
    assert.equal(aboutDuration(185), 'about 3 min');
  });
});
