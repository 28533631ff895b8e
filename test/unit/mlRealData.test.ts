import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkSameCount, parseIdxImages, parseIdxLabels } from '../../src/shared/idx';
import { evaluateModel } from '../../src/shared/ml/evaluate';
import { createModel } from '../../src/shared/ml/model';
import { firstExamples, type ExampleBytes } from '../../src/shared/ml/tensors';
import { trainModel } from '../../src/shared/ml/train';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { useCpuBackend } from './mlFixtures';

// Debian's dataset-fashion-mnist package puts the real files here.
const DATASET = '/usr/share/datasets/fashion-mnist';

function load(prefix: string): ExampleBytes {
  const images = parseIdxImages(gunzipSync(readFileSync(join(DATASET, `${prefix}-images-idx3-ubyte.gz`))), prefix);
  const labels = parseIdxLabels(gunzipSync(readFileSync(join(DATASET, `${prefix}-labels-idx1-ubyte.gz`))), prefix);
  checkSameCount(images, labels, prefix);
  return { pixels: images.pixels, labels: labels.labels };
}

describe('ML on the real Fashion-MNIST', () => {
  useCpuBackend();

  it('learns from 2,000 images in one epoch (> 0.6 on 500 test images)', async () => {
    // The test command installs Debian's dataset-fashion-mnist; its absence is a failure.
    assert.ok(
      existsSync(join(DATASET, 't10k-labels-idx1-ubyte.gz')),
      `${DATASET} is missing: sudo apt-get install dataset-fashion-mnist`,
    );
    const train = firstExamples(load('train'), 2000);
    const test = firstExamples(load('t10k'), 500);
    const model = createModel(DEFAULT_SETTINGS);
    try {
      const before = tf.memory().numTensors;
      // Batches of 64 halve the steps of Keras' 32: TF.js' CPU backend is slow.
      const result = await trainModel(model, { train }, { epochs: 1, batchSize: 64 });
      const evaluation = await evaluateModel(model, test, 64);
      assert.equal(result.history.length, 1);
      assert.ok(evaluation.accuracy > 0.6, `test accuracy ${evaluation.accuracy}`);
      assert.equal(evaluation.examples, 500);
      assert.equal(tf.memory().numTensors, before + 2 * model.trainableWeights.length);
    } finally {
      model.dispose();
    }
  });
});
