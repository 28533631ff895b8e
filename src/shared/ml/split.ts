// The validation split, done the way Keras' `validation_split` does it: the LAST fraction of the
// training arrays, taken before any shuffling, so results compare with the Keras tutorial's.
import { exampleCount, sliceExamples, type ExampleBytes } from './tensors';

/** A half-open range of example indices, [start, end). */
export interface IndexRange {
  start: number;
  end: number;
}

export interface SplitRanges {
  train: IndexRange;
  /** Empty (start === end) when the fraction is 0. */
  validation: IndexRange;
}

/**
 * Which examples train and which validate. Same arithmetic as Keras and TF.js
 * (`floor(count * (1 - fraction))`): 60,000 with 0.2 gives 48,000 / 12,000.
 */
export function validationSplit(count: number, fraction: number): SplitRanges {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new RangeError(`Validation fraction ${fraction} is not in [0, 1).`);
  }
  const splitAt = Math.floor(count * (1 - fraction));
  return { train: { start: 0, end: splitAt }, validation: { start: splitAt, end: count } };
}

/**
 * Splits the bytes before any tensor exists (no validation part for a fraction of 0): views, no copies, so only the two parts ever become
 * tensors (converting all 60,000 images first would briefly hold them twice).
 */
export function splitExamples(
  examples: ExampleBytes,
  fraction: number,
): { train: ExampleBytes; validation?: ExampleBytes } {
  const { train, validation } = validationSplit(exampleCount(examples), fraction);
  const trainPart = sliceExamples(examples, train.start, train.end);
  if (validation.end === validation.start) {
    return { train: trainPart };
  }
  return { train: trainPart, validation: sliceExamples(examples, validation.start, validation.end) };
}
