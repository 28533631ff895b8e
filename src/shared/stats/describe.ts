// Mean and spread of a few numbers (the test accuracies of repeated runs, say).
// Pure: no TF.js, no DOM, no `vscode`.

/** What a few values are like: how many, their mean, and their sample standard deviation. */
export interface ValueSummary {
  count: number;
  /** NaN for no values. */
  mean: number;
  /** With n − 1 in the denominator (Bessel's correction); null for fewer than two values, which show no spread. */
  standardDeviation: number | null;
}

/** The arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN;
}

/**
 * The sample variance, Σ(x − mean)² / (n − 1), summed around the mean (two passes) so that
 * accuracies that differ in the fourth decimal keep their digits; NaN for fewer than two values.
 */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) {
    return Number.NaN;
  }
  const center = mean(values);
  return values.reduce((sum, value) => sum + (value - center) ** 2, 0) / (values.length - 1);
}

/** The sample standard deviation (n − 1); NaN for fewer than two values. */
export function sampleStandardDeviation(values: readonly number[]): number {
  return Math.sqrt(sampleVariance(values));
}

export function summarize(values: readonly number[]): ValueSummary {
  return {
    count: values.length,
    mean: mean(values),
    standardDeviation: values.length >= 2 ? sampleStandardDeviation(values) : null,
  };
}
