import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { evaluateModel, predictImages, predictSamples } from '../../src/shared/ml/evaluate';
import { createModel } from '../../src/shared/ml/model';
import { disposeTensors, toTensors, type ExampleBytes, type LabeledTensors } from '../../src/shared/ml/tensors';
import { trainModel } from '../../src/shared/ml/train';
import { syntheticExamples, useCpuBackend } from './mlFixtures';

describe('ML evaluation', () => {
  useCpuBackend();

  let model: tf.LayersModel;
  let test: ExampleBytes;
  let testTensors: LabeledTensors;

  before(async () => {
    // A narrow model, briefly trained so its predictions are not uniform: TF.js' CPU backend is slow.
    model = createModel({ hiddenUnits: 16, dropout: 0.2, learningRate: 0.01 });
    await trainModel(model, { train: syntheticExamples(64, 3) }, { epochs: 1, batchSize: 32 });
    test = syntheticExamples(100, 4);
    testTensors = toTensors(test);
  });

  after(() => {
    model.dispose();
    disposeTensors(testTensors);
  });

  it('matches model.evaluate and adds a confusion matrix, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    // 100 examples in chunks of 32: the last chunk is short.
    const result = await evaluateModel(model, test, 32);
    assert.equal(tf.memory().numTensors, before);

    const [loss, accuracy] = tf.tidy(() =>
      (model.evaluate(testTensors.xs, testTensors.ys, { batchSize: 32 }) as tf.Scalar[]).map((s) => s.dataSync()[0]),
    );
    assert.ok(Math.abs(result.loss - loss) < 1e-4, `${result.loss} vs ${loss}`);
    assert.ok(Math.abs(result.accuracy - accuracy) < 1e-6, `${result.accuracy} vs ${accuracy}`);
    assert.equal(result.examples, 100);

    assert.equal(result.confusionMatrix.length, 10);
    // Ten examples of each class: every row sums to 10.
    assert.deepEqual(
      result.confusionMatrix.map((row) => row.reduce((a, b) => a + b, 0)),
      new Array(10).fill(10),
    );
    assert.deepEqual(
      result.perClassAccuracy,
      result.confusionMatrix.map((row, t) => row[t] / 10),
    );
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });

  it('predicts chosen samples in one tidy pass, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const samples = await predictSamples(model, test, [5, 0, 99]);
    assert.equal(tf.memory().numTensors, before);

    assert.deepEqual(
      samples.map((s) => [s.index, s.trueLabel]),
      [
        [5, 5],
        [0, 0],
        [99, 9],
      ],
    );
    const expected = tf.tidy(() => (model.predict(tf.gather(testTensors.xs, [5, 0, 99])) as tf.Tensor2D).arraySync());
    samples.forEach((s, i) => {
      assert.equal(s.probabilities.length, 10);
      s.probabilities.forEach((p, c) => assert.ok(Math.abs(p - expected[i][c]) < 1e-6));
      assert.equal(s.confidence, Math.max(...s.probabilities));
      assert.equal(s.probabilities[s.predictedClass], s.confidence);
    });
    assert.deepEqual(await predictSamples(model, test, []), []);
    await assert.rejects(predictSamples(model, test, [100]), /Example 100 does not exist/);
    assert.equal(tf.memory().numTensors, before);
  });

  it('predicts unlabelled images, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const images = tf.zeros([2, 28, 28]) as tf.Tensor3D;
    const predictions = await predictImages(model, images);
    images.dispose();
    assert.equal(tf.memory().numTensors, before);
    assert.equal(predictions.length, 2);
    assert.ok(Math.abs(predictions[0].probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  });
});
