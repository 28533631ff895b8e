// Classification metrics on plain numbers: no TF.js, so they are tested by hand-made examples.

/**
 * counts[t][p] = how many examples of true class t were predicted as class p
 * (rows = true class, columns = predicted class).
 */
export function confusionMatrix(
  trueLabels: ArrayLike<number>,
  predictedLabels: ArrayLike<number>,
  classes: number,
): number[][] {
  if (trueLabels.length !== predictedLabels.length) {
    throw new Error(`${trueLabels.length} true labels but ${predictedLabels.length} predictions.`);
  }
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i];
    const p = predictedLabels[i];
    if (!(t >= 0 && t < classes && p >= 0 && p < classes && Number.isInteger(t) && Number.isInteger(p))) {
      throw new RangeError(`Example ${i}: label ${t} or prediction ${p} is not a class (0-${classes - 1}).`);
    }
    matrix[t][p]++;
  }
  return matrix;
}

/** Per true class, the share of its examples predicted right; `null` for a class with none. */
export function perClassAccuracy(matrix: number[][]): (number | null)[] {
  return matrix.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : row[t] / total;
  });
}

/** Share of all examples on the diagonal; 0 for an empty matrix. */
export function overallAccuracy(matrix: number[][]): number {
  let right = 0;
  let total = 0;
  matrix.forEach((row, t) => {
    right += row[t];
    total += row.reduce((a, b) => a + b, 0);
  });
  return total === 0 ? 0 : right / total;
}

/** Index of the largest value; the first one on ties, like tf.argMax. */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (values[i] > values[best]) {
      best = i;
    }
  }
  return best;
}
