// From IDX bytes to the tensors the model trains on. The data set stays as bytes (one per pixel);
// tensors are made a batch at a time, when a step or a validation chunk needs them, so nothing
// the size of the data set is ever converted or uploaded up front (that took about a second
// before the first batch, and four times the memory).
import * as tf from '@tensorflow/tfjs';
import { scaleToUnit } from '../preprocess';
import { IMAGE_SIDE, PIXELS_PER_IMAGE } from './model';

/** Examples as they come out of the IDX files: one byte per pixel, one byte per label. */
export interface ExampleBytes {
  /** count * 784 bytes, row-major, 0 = background, 255 = ink. */
  pixels: Uint8Array;
  /** count labels, 0-9. */
  labels: Uint8Array;
}

/** Examples ready for the model: pixels in [0, 1], labels as float class indices. */
export interface LabeledTensors {
  /** float32 [n, 28, 28] */
  xs: tf.Tensor3D;
  /** float32 [n]; the sparse loss takes class indices, not one-hot rows. */
  ys: tf.Tensor1D;
}

export function exampleCount(examples: ExampleBytes): number {
  if (examples.pixels.length !== examples.labels.length * PIXELS_PER_IMAGE) {
    throw new Error(
      `${examples.pixels.length} pixel bytes do not make ${examples.labels.length} images of ${IMAGE_SIDE}x${IMAGE_SIDE}.`,
    );
  }
  return examples.labels.length;
}

/** Examples `start` (inclusive) to `end` (exclusive), as views: nothing is copied. */
export function sliceExamples(examples: ExampleBytes, start: number, end: number): ExampleBytes {
  return {
    pixels: examples.pixels.subarray(start * PIXELS_PER_IMAGE, end * PIXELS_PER_IMAGE),
    labels: examples.labels.subarray(start, end),
  };
}

/**
 * The first `count` examples, for quick runs; 0 (the settings' "all") or a count past the end
 * keeps them all. Taking the first ones, not a random sample, keeps runs comparable.
 */
export function firstExamples(examples: ExampleBytes, count: number): ExampleBytes {
  const total = exampleCount(examples);
  return count > 0 && count < total ? sliceExamples(examples, 0, count) : examples;
}

/**
 * Scales pixels to [0, 1] (as the tutorial does) and makes the tensors. The scaling runs in
 * plain JS into one Float32Array: building an int tensor and dividing on the device would hold
 * two full-size copies at once, which for 60,000 images is hundreds of megabytes.
 * The caller owns the tensors and disposes them.
 */
export function toTensors(examples: ExampleBytes): LabeledTensors {
  const count = exampleCount(examples);
  return {
    // The same scaling as a classified picture gets, so both reach the model bit-identical.
    xs: tf.tensor3d(scaleToUnit(examples.pixels), [count, IMAGE_SIDE, IMAGE_SIDE], 'float32'),
    ys: tf.tensor1d(Float32Array.from(examples.labels), 'float32'),
  };
}

/**
 * The examples at `rows` (indices into `examples`) as tensors, scaled exactly as toTensors does:
 * one training batch, gathered in plain JS from the bytes.
 */
export function gatherExamples(examples: ExampleBytes, rows: ArrayLike<number>): LabeledTensors {
  const count = rows.length;
  const pixels = new Uint8Array(count * PIXELS_PER_IMAGE);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const row = rows[i];
    pixels.set(examples.pixels.subarray(row * PIXELS_PER_IMAGE, (row + 1) * PIXELS_PER_IMAGE), i * PIXELS_PER_IMAGE);
    labels[i] = examples.labels[row];
  }
  return toTensors({ pixels, labels });
}

/** Calls `visit` with consecutive chunks of at most `size` examples, as tensors it must not keep. */
export function forEachChunk(
  examples: ExampleBytes,
  size: number,
  visit: (chunk: LabeledTensors, start: number) => void,
): void {
  const count = exampleCount(examples);
  for (let start = 0; start < count; start += size) {
    const chunk = toTensors(sliceExamples(examples, start, Math.min(count, start + size)));
    try {
      visit(chunk, start);
    } finally {
      disposeTensors(chunk);
    }
  }
}

export function disposeTensors(examples: LabeledTensors | undefined): void {
  if (examples) {
    tf.dispose([examples.xs, examples.ys]);
  }
}
