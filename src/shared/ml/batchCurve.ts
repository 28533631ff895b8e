// The loss and accuracy of every batch, smoothed and thinned to a few points per epoch, so the
// curves move from the first seconds of a run. Pure: no DOM, unit-tested.

/** One point of the batch curve: `x` in epochs (epoch 1's batch 300 of 1,500 is at 0.2). */
export interface BatchPoint {
  x: number;
  loss: number;
  accuracy: number;
}

/** As TensorBoard smooths: an exponential moving average whose weight on the past is this. */
export const SMOOTHING = 0.9;
/** Points kept per epoch: more would not show on a chart 400 pixels wide. */
export const POINTS_PER_EPOCH = 25;

export class BatchCurve {
  private readonly kept: BatchPoint[] = [];
  private loss: number | undefined;
  private accuracy: number | undefined;
  private lastKeptX = -Infinity;
  private steps = 0;

  /** Adds batch `batch` (1-based) of `batchesPerEpoch` in epoch `epoch` (1-based). */
  add(epoch: number, batch: number, batchesPerEpoch: number, loss: number, accuracy: number): void {
    this.steps++;
    // Debiased as TensorBoard does, so the first points are not pulled towards 0.
    this.loss = (this.loss ?? 0) * SMOOTHING + loss * (1 - SMOOTHING);
    this.accuracy = (this.accuracy ?? 0) * SMOOTHING + accuracy * (1 - SMOOTHING);
    const debias = 1 - SMOOTHING ** this.steps;
    const x = epoch - 1 + batch / batchesPerEpoch;
    if (x - this.lastKeptX >= 1 / POINTS_PER_EPOCH || batch === batchesPerEpoch) {
      this.kept.push({ x, loss: this.loss / debias, accuracy: this.accuracy / debias });
      this.lastKeptX = x;
    }
  }

  get points(): readonly BatchPoint[] {
    return this.kept;
  }
}
