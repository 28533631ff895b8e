// Whether two sets of runs differ in test accuracy by more than run-to-run noise, said in words
// a learner can act on. Two runs with identical settings differ by about ±0.008 in test accuracy
// (different initial weights, orders and dropout masks), as much as many single changes do: a
// difference counts only when Welch's t-test says chance alone would rarely give it, and a side
// with a single run has no noise to measure at all. No winner is named from chance: a
// difference within the noise is reported as such, whatever its sign.
// Pure: no TF.js, no DOM, no `vscode`.
import { summarize, type ValueSummary } from './describe';
import { criticalT, welchTTest } from './welch';

/** One side of a comparison: a run or a group of runs, and their test accuracies. */
export interface ComparedSide {
  /** How the learner knows the side, e.g. "hidden units 8" or "the run of 14:02". */
  label: string;
  accuracies: readonly number[];
}

export type NoiseVerdictKind = 'beyond-noise' | 'within-noise' | 'cannot-tell';

export interface NoiseVerdict {
  kind: NoiseVerdictKind;
  /** The verdict in a few words: "Larger than run-to-run noise", "Within run-to-run noise", "One run each cannot tell". */
  headline: string;
  /** The figures and what they mean, in whole sentences. */
  explanation: string;
  /** How it was computed, in words. */
  method: string;
  first: ValueSummary;
  second: ValueSummary;
  /** first.mean − second.mean. */
  difference: number;
  /** The test's figures, when there was a test. */
  test?: {
    t: number;
    df: number;
    p: number;
    alpha: number;
    /** The smallest difference these runs could have told from noise: critical t × standard error. */
    detectableDifference: number;
  };
  /** For "cannot tell": how many more runs each side needs before a test can be made. */
  moreRunsNeeded?: { first: number; second: number };
}

/** Test accuracies as the panel shows them: four decimals. */
const accuracy = (value: number) => value.toFixed(4);

/** A p-value as usually printed: two significant digits, or "p < 0.001". */
export function formatP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${Number(p.toPrecision(2))}`;
}

function describeSide(label: string, summary: ValueSummary): string {
  return summary.standardDeviation === null
    ? `${label}: ${accuracy(summary.mean)} (1 run)`
    : `${label}: ${accuracy(summary.mean)} ± ${accuracy(summary.standardDeviation)} (mean ± standard deviation of ${summary.count} runs)`;
}

const WELCH_METHOD = (alpha: number) =>
  "Welch's t-test on the runs' test accuracies: t is the difference of the means divided by " +
  '√(s₁²/n₁ + s₂²/n₂) (s the standard deviation of a side, n its runs), its degrees of freedom ' +
  "come from Welch–Satterthwaite's formula, and p is the two-sided tail of Student's t " +
  `distribution. A difference counts as larger than run-to-run noise when p < ${alpha}.`;

/**
 * Compares two sides' test accuracies. With fewer than two runs on a side there is no noise to
 * measure, so it cannot tell; with identical values on both sides (runs repeated with the same
 * seed) neither; otherwise Welch's t-test at `alpha` decides.
 */
export function compareAccuracies(first: ComparedSide, second: ComparedSide, alpha = 0.05): NoiseVerdict {
  for (const side of [first, second]) {
    if (side.accuracies.length === 0 || !side.accuracies.every((a) => Number.isFinite(a))) {
      throw new RangeError(`${side.label} has no test accuracies to compare.`);
    }
  }
  const [a, b] = [summarize(first.accuracies), summarize(second.accuracies)];
  const difference = a.mean - b.mean;
  const sides = `${describeSide(first.label, a)}; ${describeSide(second.label, b)}.`;
  const base = { first: a, second: b, difference };
  if (a.count < 2 || b.count < 2) {
    const moreRunsNeeded = { first: Math.max(0, 2 - a.count), second: Math.max(0, 2 - b.count) };
    const single =
      a.count < 2 && b.count < 2 ? 'One run each' : `One run of ${a.count < 2 ? first.label : second.label}`;
    return {
      ...base,
      kind: 'cannot-tell',
      headline: `${single} cannot tell`,
      explanation:
        `${sides} The difference is ${accuracy(Math.abs(difference))}, but runs with identical settings ` +
        'differ from one another too, and a single run shows nothing of by how much. Repeat the runs ' +
        '(at least 2 a side, 3 or more is better) to tell a real difference from chance.',
      method: 'No test: a side needs at least two runs before its run-to-run noise can be measured.',
      moreRunsNeeded,
    };
  }
  if (a.standardDeviation === 0 && b.standardDeviation === 0) {
    return {
      ...base,
      kind: 'cannot-tell',
      headline: 'These repeats show no noise',
      explanation:
        `${sides} Each side's runs have exactly the same test accuracy, as runs repeated with the same seed ` +
        'do: they measure no run-to-run noise. Repeat with different seeds (leave the seed empty) to tell a ' +
        'real difference from chance.',
      method: "No test: Welch's t-test needs some spread among a side's runs.",
    };
  }
  const test = welchTTest(first.accuracies, second.accuracies);
  const detectableDifference = criticalT(test.df, alpha) * test.standardError;
  const figures = `Welch's t-test gives ${formatP(test.p)} (t = ${test.t.toFixed(2)}, ${test.df.toFixed(1)} degrees of freedom)`;
  const testFigures = { t: test.t, df: test.df, p: test.p, alpha, detectableDifference };
  if (test.p < alpha) {
    const [higher, lower] = difference > 0 ? [first, second] : [second, first];
    return {
      ...base,
      kind: 'beyond-noise',
      headline: 'Larger than run-to-run noise',
      explanation:
        `${sides} The mean of ${higher.label} is higher by ${accuracy(Math.abs(difference))} than that of ` +
        `${lower.label}. ${figures}: ` +
        `if the two made no difference, chance alone would give a difference this large in ${percent(test.p)} ` +
        `of such comparisons, below the ${percent(alpha)} counted as noise.`,
      method: WELCH_METHOD(alpha),
      test: testFigures,
    };
  }
  return {
    ...base,
    kind: 'within-noise',
    headline: 'Within run-to-run noise',
    explanation:
      `${sides} The difference of ${accuracy(Math.abs(difference))} is within run-to-run noise: ${figures}, ` +
      `so chance alone gives a difference this large in ${percent(test.p)} of comparisons of identical settings. ` +
      `These runs do not show that either is better; they could tell differences of about ` +
      `${accuracy(detectableDifference)} or more, and more repeats would narrow that.`,
    method: WELCH_METHOD(alpha),
    test: testFigures,
  };
}

/** A probability as a percentage a person reads easily: "1.8%", "55%", "under 0.1%". */
function percent(p: number): string {
  if (p < 0.001) {
    return 'under 0.1%';
  }
  return `${Number((p * 100).toPrecision(2))}%`;
}
