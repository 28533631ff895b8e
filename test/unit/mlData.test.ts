import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { splitExamples, splitTensors, validationSplit } from '../../src/shared/ml/split';
import { disposeTensors, exampleCount, firstExamples, toTensors, type ExampleBytes } from '../../src/shared/ml/tensors';
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

  it('slices tensors so the validation rows are the last 20%, in order', () => {
    const before = tf.memory().numTensors;
    const all = toTensors(numberedExamples(50));
    const { train, validation } = splitTensors(all, 0.2);
    disposeTensors(all);
    try {
      assert.ok(validation);
      assert.deepEqual(train.xs.shape, [40, 28, 28]);
      assert.deepEqual(validation.xs.shape, [10, 28, 28]);
      // Each image is constant, so its first pixel says which example it was.
      const firstPixels = (t: tf.Tensor3D) =>
        tf.tidy(() => Array.from(t.slice([0, 0, 0], [-1, 1, 1]).dataSync(), (v) => Math.round(v * 255)));
      assert.deepEqual(firstPixels(validation.xs), [40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
      assert.deepEqual(
        firstPixels(train.xs),
        Array.from({ length: 40 }, (_, i) => i),
      );
      assert.deepEqual(Array.from(validation.ys.dataSync()), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.equal(
        validation.xs.dataSync().every((v, i) => v === Math.fround((40 + Math.floor(i / 784)) / 255)),
        true,
      );
    } finally {
      disposeTensors(train);
      disposeTensors(validation);
    }
    assert.equal(tf.memory().numTensors, before);
  });

  it('has no validation set for a fraction of 0', () => {
    const all = toTensors(numberedExamples(5));
    const split = splitTensors(all, 0);
    try {
      assert.equal(split.validation, undefined);
      assert.deepEqual(split.train.xs.shape, [5, 28, 28]);
    } finally {
      disposeTensors(split.train);
      disposeTensors(all);
    }
  });
});
