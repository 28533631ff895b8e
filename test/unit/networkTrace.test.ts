import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createModel, disposeModel, IMAGE_SIDE } from '../../src/shared/ml/model';
import { traceNetwork, type LayerTrace } from '../../src/shared/ml/networkTrace';
import { sliceExamples } from '../../src/shared/ml/tensors';
import { trainModel } from '../../src/shared/ml/train';
import { syntheticExamples, useCpuBackend } from './mlFixtures';

/** x · kernel + bias for one row, in plain JavaScript over the layer's weights. */
function denseByHand(layer: tf.layers.Layer, x: Float32Array): Float64Array {
  const [kernel, bias] = layer.getWeights().map((w) => w.dataSync());
  const units = bias.length;
  const out = new Float64Array(units);
  for (let j = 0; j < units; j++) {
    let sum = bias[j];
    for (let i = 0; i < x.length; i++) {
      sum += x[i] * kernel[i * units + j];
    }
    out[j] = sum;
  }
  return out;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])),
      `${what}[${i}]: ${actual[i]} is not ${expected[i]}`,
    );
  }
}

const layerOf = (layers: LayerTrace[], name: string) => layers.find((layer) => layer.name === name)!;

/** The model saved and loaded back, as the panel loads a saved run's model. */
async function reloaded(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

describe('Tracing a picture through the network', () => {
  useCpuBackend();

  const images = syntheticExamples(10, 3);
  const picture = sliceExamples(images, 4, 5).pixels;

  describe('of the MLP', () => {
    let model: tf.LayersModel;

    before(async () => {
      model = createModel({ hiddenUnits: 24, dropout: 0.5, learningRate: 0.01 });
      await trainModel(model, { train: syntheticExamples(60, 2) }, { epochs: 1, batchSize: 10 });
    });

    after(() => disposeModel(model));

    it('gives every layer its output with the shape the model declares, leaving no tensor behind', async () => {
      const before = tf.memory().numTensors;
      const trace = await traceNetwork(model, picture);
      assert.equal(tf.memory().numTensors, before);
      assert.deepEqual(trace.input.shape, [IMAGE_SIDE, IMAGE_SIDE]);
      assert.deepEqual(
        trace.layers.map((layer) => [layer.name, layer.className, layer.activation, layer.output.shape]),
        [
          ['flatten', 'Flatten', undefined, [784]],
          ['hidden', 'Dense', 'relu', [24]],
          ['dropout', 'Dropout', undefined, [24]],
          ['output', 'Dense', 'softmax', [10]],
        ],
      );
      assert.deepEqual(
        layerOf(trace.layers, 'flatten').output.values,
        Float32Array.from(picture, (p) => p / 255),
      );
    });

    it('ends with the probabilities predict gives', async () => {
      const trace = await traceNetwork(model, picture);
      const predicted = tf.tidy(() =>
        (model.predict(tf.tensor3d(picture, [1, IMAGE_SIDE, IMAGE_SIDE]).div(255)) as tf.Tensor).dataSync(),
      );
      assertClose(trace.layers.at(-1)!.output.values, predicted, 1e-6, 'probabilities');
    });

    it('shows the hidden scores before ReLU as the layer computes them, and ReLU cutting the negatives to 0', async () => {
      const trace = await traceNetwork(model, picture);
      const hidden = layerOf(trace.layers, 'hidden');
      const byHand = denseByHand(model.getLayer('hidden'), layerOf(trace.layers, 'flatten').output.values);
      assertClose(hidden.preActivation!.values, byHand, 1e-5, 'before ReLU');
      assert.ok(
        hidden.preActivation!.values.some((v) => v < 0),
        'some scores are negative',
      );
      assert.deepEqual(
        Array.from(hidden.output.values),
        Array.from(hidden.preActivation!.values, (v) => Math.max(0, v)),
      );
    });

    it('shows the logits whose softmax is the output', async () => {
      const trace = await traceNetwork(model, picture);
      const output = layerOf(trace.layers, 'output');
      const logits = Array.from(output.preActivation!.values);
      const exps = logits.map((z) => Math.exp(z - Math.max(...logits)));
      const sum = exps.reduce((a, b) => a + b, 0);
      assertClose(
        output.output.values,
        exps.map((e) => e / sum),
        1e-6,
        'softmax of the logits',
      );
      assertClose(
        output.preActivation!.values,
        denseByHand(model.getLayer('output'), layerOf(trace.layers, 'dropout').output.values),
        1e-5,
        'logits',
      );
    });

    it("gives Dropout's mask of a training step: 0 or 1 / (1 − rate), a new draw each time, and passes values through when predicting", async () => {
      const first = layerOf((await traceNetwork(model, picture)).layers, 'dropout');
      const second = layerOf((await traceNetwork(model, picture)).layers, 'dropout');
      assert.equal(first.dropout!.rate, 0.5);
      for (const { dropout } of [first, second]) {
        assert.ok(dropout!.mask.every((m) => m === 0 || Math.abs(m - 2) < 1e-6));
      }
      const masks = [first, second].map(({ dropout }) => Array.from(dropout!.mask).join());
      // 24 units at rate 0.5: the same draw twice has a chance of 2^-24.
      assert.notEqual(masks[0], masks[1]);
      assert.deepEqual(
        first.output.values,
        layerOf((await traceNetwork(model, picture)).layers, 'hidden').output.values,
      );
    });

    it('traces a model loaded from its saved files the same way', async () => {
      const loaded = await reloaded(model);
      try {
        const [mine, theirs] = [await traceNetwork(model, picture), await traceNetwork(loaded, picture)];
        assert.deepEqual(
          theirs.layers.map((layer) => layer.output.values),
          mine.layers.map((layer) => layer.output.values),
        );
        assert.deepEqual(layerOf(theirs.layers, 'hidden').preActivation, layerOf(mine.layers, 'hidden').preActivation);
      } finally {
        loaded.dispose();
      }
    });

    it('leaves the weights as they were', async () => {
      const before = model.getWeights().map((w) => Array.from(w.dataSync()));
      const variables = Object.keys(tf.engine().registeredVariables).length;
      await traceNetwork(model, picture);
      assert.deepEqual(
        model.getWeights().map((w) => Array.from(w.dataSync())),
        before,
      );
      assert.equal(Object.keys(tf.engine().registeredVariables).length, variables);
    });

    it('refuses a picture that is not 28 × 28', async () => {
      await assert.rejects(traceNetwork(model, new Uint8Array(100)), /needs 784 pixels, got 100/);
    });
  });

  describe('of the CNN', () => {
    let model: tf.LayersModel;

    before(() => {
      model = createModel({ model: 'cnn', hiddenUnits: 8, dropout: 0.2, learningRate: 0.01 });
    });

    after(() => disposeModel(model));

    it("gives each layer's output in the shape the model declares, down to the probabilities", async () => {
      const trace = await traceNetwork(model, picture);
      assert.deepEqual(
        trace.layers.map((layer) => layer.output.shape),
        model.layers.map((layer) => (layer.outputShape as number[]).slice(1)),
      );
      assert.ok(trace.layers.some((layer) => layer.className === 'Conv2D' && layer.output.shape.length === 3));
      const predicted = tf.tidy(() =>
        (model.predict(tf.tensor3d(picture, [1, IMAGE_SIDE, IMAGE_SIDE]).div(255)) as tf.Tensor).dataSync(),
      );
      assertClose(trace.layers.at(-1)!.output.values, predicted, 1e-6, 'probabilities');
      const dense = trace.layers.filter((layer) => layer.className === 'Dense');
      assert.ok(
        dense.every((layer) => layer.preActivation),
        'both dense layers have an activation to show',
      );
    });
  });
});
