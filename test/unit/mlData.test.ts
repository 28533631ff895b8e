import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { splitExamples, validationSplit } from '../../src/shared/ml/split';
import {
  disposeTensors,
  exampleCount,
  firstExamples,
  forEachChunk,
  gatherExamples,
  sliceExamples,
  toTensors,
  type ExampleBytes,
} from '../../src/shared/ml/tensors';
import { useCpuBackend } from './mlFixtures';

/** `count` examples where every pixel of example i is i and its label is i % 10. */
function numberedExamples(count: number): ExampleBytes {
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) {
    pixels.fill(i, i * 784, (i + 1) * 784);
  }
  return { pixels, labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
}

describe('ML data', () => {
  useCpuBackend();

  it('scales pixels to [0, 1] float32 images of 28x28 and keeps the labels', () => {
    const pixels = new Uint8Array(2 * 784);
    pixels[0] = 255;
    pixels[784 + 783] = 51;
    const data = toTensors({ pixels, labels: Uint8Array.of(9, 0) });
    try {
      assert.deepEqual(data.xs.shape, [2, 28, 28]);
      assert.equal(data.xs.dtype, 'float32');
      assert.equal(data.ys.dtype, 'float32');
      const xs = data.xs.dataSync();
      assert.equal(xs[0], 1);
      assert.ok(Math.abs(xs[784 + 783] - 0.2) < 1e-7);
      assert.deepEqual(
        tf.tidy(() => [tf.min(data.xs).dataSync()[0], tf.max(data.xs).dataSync()[0]]),
        [0, 1],
      );
      assert.deepEqual(Array.from(data.ys.dataSync()), [9, 0]);
    } finally {
      disposeTensors(data);
    }
  });

  it('rejects pixel bytes that do not match the label count', () => {
    assert.throws(
      () => exampleCount({ pixels: new Uint8Array(784 * 2 - 1), labels: new Uint8Array(2) }),
      /do not make 2 images/,
    );
  });

  it('takes the first N examples, or all for 0 and for N past the end', () => {
    const all = numberedExamples(20);
    const first = firstExamples(all, 5);
    assert.deepEqual(Array.from(first.labels), [0, 1, 2, 3, 4]);
    assert.equal(first.pixels.length, 5 * 784);
    assert.equal(first.pixels[5 * 784 - 1], 4);
    assert.equal(firstExamples(all, 0), all);
    assert.equal(firstExamples(all, 1000), all);
  });

  it('splits counts like Keras: the last fraction validates', () => {
    assert.deepEqual(validationSplit(60000, 0.2), {
      train: { start: 0, end: 48000 },
      validation: { start: 48000, end: 60000 },
    });
    assert.deepEqual(validationSplit(10, 0.25), { train: { start: 0, end: 7 }, validation: { start: 7, end: 10 } });
    assert.deepEqual(validationSplit(10, 0), { train: { start: 0, end: 10 }, validation: { start: 10, end: 10 } });
    assert.throws(() => validationSplit(10, 1), RangeError);
    assert.throws(() => validationSplit(10, -0.1), RangeError);
    assert.throws(() => validationSplit(10, Number.NaN), RangeError);
  });

  it('splits bytes the same way, as views', () => {
    const all = numberedExamples(10);
    const { train, validation } = splitExamples(all, 0.2);
    assert.deepEqual(Array.from(train.labels), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(validation);
    assert.deepEqual(Array.from(validation.labels), [8, 9]);
    assert.equal(validation.pixels.length, 2 * 784);
    assert.equal(validation.pixels[0], 8);
    assert.equal(validation.pixels.buffer, all.pixels.buffer);
    assert.equal(splitExamples(all, 0).validation, undefined);
  });

  it('gathers a batch by row indices, scaled as toTensors scales, leaking nothing', () => {
    const before = tf.memory().numTensors;
    const all = numberedExamples(50);
    const batch = gatherExamples(all, [42, 3, 3, 0]);
    try {
      assert.deepEqual(batch.xs.shape, [4, 28, 28]);
      // Each image is constant, so its first pixel says which example it was.
      const firstPixels = tf.tidy(() =>
        Array.from(batch.xs.slice([0, 0, 0], [-1, 1, 1]).dataSync(), (v) => Math.round(v * 255)),
      );
      assert.deepEqual(firstPixels, [42, 3, 3, 0]);
      assert.deepEqual(Array.from(batch.ys.dataSync()), [2, 3, 3, 0]);
      const whole = toTensors(sliceExamples(all, 42, 43));
      assert.deepEqual(Array.from(batch.xs.dataSync().subarray(0, 784)), Array.from(whole.xs.dataSync()));
      disposeTensors(whole);
    } finally {
      disposeTensors(batch);
    }
    assert.equal(tf.memory().numTensors, before);
  });

  it('visits a set in chunks, the last one short, disposing each', () => {
    const before = tf.memory().numTensors;
    const visited: [number, number][] = [];
    forEachChunk(numberedExamples(50), 16, (chunk, start) => {
      visited.push([start, chunk.xs.shape[0]]);
      assert.equal(Math.round(chunk.xs.dataSync()[0] * 255), start);
    });
    assert.deepEqual(visited, [
      [0, 16],
      [16, 16],
      [32, 16],
      [48, 2],
    ]);
    assert.equal(tf.memory().numTensors, before);
  });
});
