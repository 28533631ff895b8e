// Welch's t-test: do two groups of values (test accuracies of repeated runs) have different
// means, without assuming their spreads are equal? Pure: no TF.js, no DOM, no `vscode`.
import { mean, sampleVariance } from './describe';
import { regularizedIncompleteBeta } from './incompleteBeta';

export interface WelchResult {
  /** mean(a) − mean(b). */
  difference: number;
  /** √(s_a²/n_a + s_b²/n_b). */
  standardError: number;
  /** difference / standardError. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom (need not be whole). */
  df: number;
  /** Two-sided: the chance of a |t| at least this large if the means were equal. */
  p: number;
}

/**
 * The two-sided tail of Student's t distribution with `df` degrees of freedom:
 * P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2).
 */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) {
    throw new RangeError(`Student's t needs df > 0 and a t; got t = ${t}, df = ${df}.`);
  }
  if (!Number.isFinite(t)) {
    return 0;
  }
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The |t| whose two-sided p is `alpha` (2.776 for 4 degrees of freedom and 0.05), found by bisection. */
export function criticalT(df: number, alpha = 0.05): number {
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`A significance level is between 0 and 1, got ${alpha}.`);
  }
  let low = 0;
  let high = 1;
  while (studentTTwoSidedP(high, df) > alpha) {
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const middle = (low + high) / 2;
    if (studentTTwoSidedP(middle, df) > alpha) {
      low = middle;
    } else {
      high = middle;
    }
  }
  return (low + high) / 2;
}

/**
 * Welch's unequal-variances t-test of mean(a) = mean(b). Each side needs two values or more,
 * and the two together some spread (identical values on both sides give no noise to measure).
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  if (a.length < 2 || b.length < 2) {
    throw new RangeError(`Welch's t-test needs at least two values a side; got ${a.length} and ${b.length}.`);
  }
  const [shareA, shareB] = [sampleVariance(a) / a.length, sampleVariance(b) / b.length];
  const standardError = Math.sqrt(shareA + shareB);
  if (standardError === 0) {
    throw new RangeError(
      "Welch's t-test needs some spread: every value on both sides is the same as its side's others.",
    );
  }
  const difference = mean(a) - mean(b);
  const t = difference / standardError;
  const df = (shareA + shareB) ** 2 / (shareA ** 2 / (a.length - 1) + shareB ** 2 / (b.length - 1));
  return { difference, standardError, t, df, p: studentTTwoSidedP(t, df) };
}
