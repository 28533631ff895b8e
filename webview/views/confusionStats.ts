// Numbers read off a confusion matrix (rows: true class, columns: predicted class) for the
// evaluation view's remarks; accuracy per class comes from the shared metrics.

/** Images of each true class. */
export function rowTotals(confusion: readonly (readonly number[])[]): number[] {
  return confusion.map((row) => row.reduce((sum, count) => sum + count, 0));
}

export interface Confusion {
  trueLabel: number;
  predicted: number;
  count: number;
  /** count / images of the true class. */
  share: number;
}

/** The most frequent mistake, by share of the true class; undefined when there is none. */
export function worstConfusion(confusion: readonly (readonly number[])[]): Confusion | undefined {
  const totals = rowTotals(confusion);
  let worst: Confusion | undefined;
  confusion.forEach((row, trueLabel) =>
    row.forEach((count, predicted) => {
      const share = totals[trueLabel] > 0 ? count / totals[trueLabel] : 0;
      if (predicted !== trueLabel && count > 0 && (!worst || share > worst.share)) {
        worst = { trueLabel, predicted, count, share };
      }
    }),
  );
  return worst;
}
