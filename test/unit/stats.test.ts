// The statistics behind "larger than run-to-run noise", against published results and closed
// forms. Where a figure comes from SciPy 1.17 (scipy.stats.ttest_ind(..., equal_var=False),
// scipy.special.betainc, scipy.stats.t.sf), it says so.
import * as assert from 'node:assert/strict';
import { mean, sampleStandardDeviation, summarize } from '../../src/shared/stats/describe';
import { logGamma, regularizedIncompleteBeta } from '../../src/shared/stats/incompleteBeta';
import { compareAccuracies, formatP } from '../../src/shared/stats/noiseVerdict';
import { criticalT, studentTTwoSidedP, welchTTest } from '../../src/shared/stats/welch';

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);
}

/** R's `sleep` data (Cushny and Peebles, 1905): extra hours of sleep with two drugs, ten patients each. */
const SLEEP_DRUG_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_DRUG_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('statistics', () => {
  describe('mean and sample standard deviation', () => {
    it('are those of textbook data', () => {
      // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population sd 2, sample sd √(32/7).
      const values = [2, 4, 4, 4, 5, 5, 7, 9];
      assert.equal(mean(values), 5);
      assertClose(sampleStandardDeviation(values), Math.sqrt(32 / 7), 1e-15, 'sample sd');
    });

    it('keep the digits of accuracies that differ in the fourth decimal', () => {
      // A one-pass Σx² − n·mean² loses these to cancellation.
      assertClose(sampleStandardDeviation([0.8712, 0.8689, 0.8745]), 0.0028148, 1e-7, 'sd');
      assertClose(sampleStandardDeviation([1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3]), 0.1, 1e-6, 'sd far from 0');
    });

    it('give no spread for one value and nothing for none', () => {
      assert.deepEqual(summarize([0.87]), { count: 1, mean: 0.87, standardDeviation: null });
      assert.ok(Number.isNaN(summarize([]).mean));
      assert.ok(Number.isNaN(sampleStandardDeviation([0.87])));
    });
  });

  describe('log Γ and the regularized incomplete beta function', () => {
    it('give Γ at whole and half numbers', () => {
      assertClose(logGamma(1), 0, 1e-14, 'ln Γ(1)');
      assertClose(logGamma(5), Math.log(24), 1e-13, 'ln Γ(5)');
      assertClose(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14, 'ln Γ(1/2)');
      assertClose(logGamma(101), 363.73937555556347, 1e-10, 'ln 100!');
    });

    it('have the closed forms I_x(1, 1) = x, I_x(a, 1) = x^a and I_½(a, a) = ½', () => {
      for (const x of [0.01, 0.3, 0.77, 0.999]) {
        assertClose(regularizedIncompleteBeta(x, 1, 1), x, 1e-14, `I_${x}(1, 1)`);
        assertClose(regularizedIncompleteBeta(x, 3.5, 1), x ** 3.5, 1e-14, `I_${x}(3.5, 1)`);
      }
      for (const a of [0.5, 2, 17.3, 200]) {
        assertClose(regularizedIncompleteBeta(0.5, a, a), 0.5, 1e-12, `I_½(${a}, ${a})`);
      }
    });

    it("give SciPy's betainc values", () => {
      const cases: [x: number, a: number, b: number, expected: number][] = [
        [0.3, 2, 3, 0.3483],
        [0.9, 10, 0.5, 0.15164090963470994],
        [0.01, 0.5, 20, 0.4713699354850154],
        [0.2, 100, 200, 3.546007366567273e-8],
        [0.7, 1.001, 3, 0.9729574400638809],
      ];
      for (const [x, a, b, expected] of cases) {
        assertClose(
          regularizedIncompleteBeta(x, a, b),
          expected,
          Math.max(1e-12, expected * 1e-9),
          `I_${x}(${a}, ${b})`,
        );
      }
    });

    it('refuse arguments outside their domain', () => {
      assert.throws(() => regularizedIncompleteBeta(1.2, 1, 1), RangeError);
      assert.throws(() => regularizedIncompleteBeta(0.5, 0, 1), RangeError);
      assert.throws(() => logGamma(0), RangeError);
    });
  });

  describe("Student's t distribution", () => {
    it('has the closed forms of 1 and 2 degrees of freedom', () => {
      for (const t of [0.1, 1, 2, 7.5, 60]) {
        // 1 degree of freedom is the Cauchy distribution; 2 has P(|T| ≥ t) = 1 − t / √(2 + t²).
        assertClose(studentTTwoSidedP(t, 1), 1 - (2 / Math.PI) * Math.atan(t), 1e-13, `t = ${t}, df = 1`);
        assertClose(studentTTwoSidedP(-t, 2), 1 - t / Math.sqrt(2 + t * t), 1e-13, `t = −${t}, df = 2`);
      }
      assert.equal(studentTTwoSidedP(0, 5), 1);
      assert.equal(studentTTwoSidedP(Infinity, 5), 0);
    });

    it("gives SciPy's two-sided p-values at fractional degrees of freedom", () => {
      const cases: [t: number, df: number, p: number][] = [
        [1.5, 3.7, 0.2135981692020135],
        [0.3, 25, 0.7666574936530574],
        [10, 4, 0.000562003622715991],
        [3, 200, 0.003043047113905905],
        [40, 2.5, 0.0001419563429049338],
      ];
      for (const [t, df, p] of cases) {
        assertClose(studentTTwoSidedP(t, df), p, p * 1e-9, `t = ${t}, df = ${df}`);
      }
    });

    it('has the critical values of the printed tables (two-sided 0.05)', () => {
      const table: [df: number, t: number][] = [
        [1, 12.706],
        [2, 4.303],
        [4, 2.776],
        [10, 2.228],
        [30, 2.042],
      ];
      for (const [df, t] of table) {
        assertClose(criticalT(df), t, 5e-4, `df = ${df}`);
      }
    });
  });

  describe("Welch's t-test", () => {
    it("gives R's t.test(extra ~ group, data = sleep): t = −1.8608, df = 17.776, p = 0.07939", () => {
      const result = welchTTest(SLEEP_DRUG_1, SLEEP_DRUG_2);
      assertClose(result.t, -1.8608, 5e-5, 't');
      assertClose(result.df, 17.776, 5e-4, 'df');
      assertClose(result.p, 0.07939, 5e-6, 'p');
      assertClose(result.difference, -1.58, 1e-12, 'difference of the means');
    });

    it("gives SciPy's ttest_ind(equal_var=False) for test accuracies", () => {
      const result = welchTTest([0.8712, 0.8689, 0.8745], [0.8601, 0.863, 0.8655]);
      assertClose(result.t, 3.8468947151191597, 1e-9, 't');
      assertClose(result.df, 3.9933791424615412, 1e-9, 'df');
      assertClose(result.p, 0.018407965314725584, 1e-11, 'p');
      // One side without spread: the other's alone sets the degrees of freedom.
      const steady = welchTTest([0.87, 0.87, 0.87], [0.86, 0.865, 0.862]);
      assertClose(steady.df, 2, 1e-12, 'df');
      assertClose(steady.p, 0.03409079119864217, 1e-11, 'p');
    });

    it('needs two values a side and some spread', () => {
      assert.throws(() => welchTTest([0.87], [0.86, 0.85]), /at least two values a side/);
      assert.throws(() => welchTTest([0.87, 0.87], [0.86, 0.86]), /needs some spread/);
    });
  });

  describe('comparing test accuracies with run-to-run noise', () => {
    const side = (label: string, ...accuracies: number[]) => ({ label, accuracies });

    it('calls a difference larger than noise only with the test behind it, and says which side is higher', () => {
      const verdict = compareAccuracies(
        side('256 units', 0.8601, 0.863, 0.8655),
        side('8 units', 0.8712, 0.8689, 0.8745),
      );
      assert.equal(verdict.kind, 'beyond-noise');
      assert.equal(verdict.headline, 'Larger than run-to-run noise');
      assertClose(verdict.difference, 0.862867 - 0.871533, 1e-6, 'difference');
      assertClose(verdict.test!.p, 0.018407965314725584, 1e-11, 'p');
      assertClose(verdict.test!.df, 3.9933791424615412, 1e-9, 'df');
      assert.match(verdict.explanation, /The mean of 8 units is higher by 0\.0087 than that of 256 units/);
      assert.match(verdict.explanation, /p = 0\.018 \(t = -3\.85, 4\.0 degrees of freedom\)/);
      assert.match(verdict.explanation, /in 1\.8% of such comparisons, below the 5%/);
      assert.match(verdict.method, /Welch's t-test .* Welch–Satterthwaite.* p < 0\.05/);
    });

    it('names no winner for a difference within the noise, and says what these runs could tell', () => {
      const verdict = compareAccuracies(side('A', 0.8712, 0.8689), side('B', 0.8705, 0.865));
      assert.equal(verdict.kind, 'within-noise');
      assert.equal(verdict.headline, 'Within run-to-run noise');
      assertClose(verdict.test!.p, 0.5531315787952232, 1e-9, 'p');
      assert.doesNotMatch(verdict.explanation, /higher|better than|wins/);
      assert.match(verdict.explanation, /do not show that either is better/);
      // Critical t at 1.34 degrees of freedom times the standard error.
      const { standardError, df } = welchTTest([0.8712, 0.8689], [0.8705, 0.865]);
      assertClose(verdict.test!.detectableDifference, criticalT(df) * standardError, 1e-15, 'detectable');
      assert.ok(verdict.test!.detectableDifference > Math.abs(verdict.difference));
    });

    it('cannot tell with one run on a side, and says how many more runs it needs', () => {
      const oneEach = compareAccuracies(side('A', 0.8712), side('B', 0.8601));
      assert.equal(oneEach.kind, 'cannot-tell');
      assert.equal(oneEach.headline, 'One run each cannot tell');
      assert.equal(oneEach.test, undefined);
      assert.deepEqual(oneEach.moreRunsNeeded, { first: 1, second: 1 });
      assert.match(oneEach.explanation, /Repeat the runs/);
      const oneOfThem = compareAccuracies(side('A', 0.8712, 0.87, 0.869), side('the run of 14:02', 0.8601));
      assert.equal(oneOfThem.headline, 'One run of the run of 14:02 cannot tell');
      assert.deepEqual(oneOfThem.moreRunsNeeded, { first: 0, second: 1 });
    });

    it('cannot tell from repeats that show no noise, as repeats with one seed do', () => {
      const verdict = compareAccuracies(side('A', 0.87, 0.87), side('B', 0.86, 0.86));
      assert.equal(verdict.kind, 'cannot-tell');
      assert.match(verdict.explanation, /different seeds/);
    });

    it('refuses a side without accuracies', () => {
      assert.throws(() => compareAccuracies(side('A'), side('B', 0.8)), /A has no test accuracies/);
      assert.throws(() => compareAccuracies(side('A', Number.NaN), side('B', 0.8)), /A has no test accuracies/);
    });

    it('prints p as usually printed', () => {
      assert.equal(formatP(0.07939), 'p = 0.079');
      assert.equal(formatP(0.5), 'p = 0.5');
      assert.equal(formatP(0.0004), 'p < 0.001');
    });
  });
});
