// How quickly the drawing pad's answer follows the pen: the times of one stroke, summed up.
// Pure, so the summary is unit-tested.

export interface StrokeTiming {
  /** The middle time (the mean of the two middle ones for an even count), in milliseconds. */
  medianMs: number;
  maxMs: number;
  /** How many times the bars changed during the stroke. */
  updates: number;
}

export function summariseTimes(times: readonly number[]): StrokeTiming {
  if (times.length === 0) {
    throw new RangeError('A stroke with no update has no timing.');
  }
  const sorted = [...times].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { medianMs, maxMs: sorted[sorted.length - 1], updates: sorted.length };
}
