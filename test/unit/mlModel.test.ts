import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createModel, describeModel, disposeModel } from '../../src/shared/ml/model';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { useCpuBackend } from './mlFixtures';

describe('ML model', () => {
  useCpuBackend();

  it('leaves no tensor behind once a trained model is disposed, optimizer state included', async () => {
    const before = tf.memory().numTensors;
    const model = createModel({ ...DEFAULT_SETTINGS, hiddenUnits: 8 });
    const xs = tf.zeros([4, 28, 28]);
    const ys = tf.tensor1d([0, 1, 2, 3]);
    await model.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
    disposeModel(model);
    assert.equal(tf.memory().numTensors, before);
  });

  it('has the tutorial layers and 203,530 parameters with the default settings', () => {
    const model = createModel(DEFAULT_SETTINGS);
    try {
      assert.equal(model.countParams(), 203530);
      const summary = describeModel(model);
      assert.equal(summary.totalParams, 203530);
      assert.equal(summary.trainableParams, 203530);
      assert.deepEqual(
        summary.layers.map((l) => [l.name, l.className, l.outputShape, l.params]),
        [
          ['flatten', 'Flatten', [null, 784], 0],
          ['hidden', 'Dense', [null, 256], 200960],
          ['dropout', 'Dropout', [null, 256], 0],
          ['output', 'Dense', [null, 10], 2570],
        ],
      );
      // Plain data: survives the JSON trip to the panel unchanged.
      assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
    } finally {
      model.dispose();
    }
  });

  it('follows the settings and compiles with Adam and the sparse loss', () => {
    const model = createModel({ hiddenUnits: 128, dropout: 0.5, learningRate: 0.01 });
    try {
      assert.equal(model.countParams(), 784 * 128 + 128 + 128 * 10 + 10);
      assert.equal(model.loss, 'sparseCategoricalCrossentropy');
      assert.equal(model.optimizer.getClassName(), 'Adam');
      assert.equal(model.optimizer.getConfig().learningRate, 0.01);
      assert.equal(model.getLayer('dropout').getConfig().rate, 0.5);
    } finally {
      model.dispose();
    }
  });

  it('maps a batch of images to probability rows, and two models can coexist', () => {
    const first = createModel(DEFAULT_SETTINGS);
    const second = createModel(DEFAULT_SETTINGS);
    try {
      const sums = tf.tidy(
        () => (second.predict(tf.zeros([3, 28, 28])) as tf.Tensor2D).sum(-1).arraySync() as number[],
      );
      assert.equal(sums.length, 3);
      sums.forEach((sum) => assert.ok(Math.abs(sum - 1) < 1e-5));
    } finally {
      first.dispose();
      second.dispose();
    }
  });
});
