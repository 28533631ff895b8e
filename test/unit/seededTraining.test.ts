// A seed fixes a run: the same seed, settings and backend train byte-identical weights (what
// weights.bin holds), on the CPU and on the WASM backend; another seed trains other weights.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { dropoutMasks } from '../../src/shared/ml/dropoutMasks';
import { createModel, disposeModel, type ModelSettings } from '../../src/shared/ml/model';
import { splitExamples } from '../../src/shared/ml/split';
import { disposeTensors, gatherExamples, type ExampleBytes } from '../../src/shared/ml/tensors';
import { trainModel } from '../../src/shared/ml/train';
import { sparseCategoricalCrossentropy } from '../../src/shared/ml/loss';
import { createTrainingForward, createTrainingStep } from '../../src/shared/ml/trainingStep';
import { installWasmTrainingKernels } from '../../src/shared/ml/wasm';
import { syntheticExamples } from './mlFixtures';

const MLP: ModelSettings = { model: 'mlp', hiddenUnits: 32, dropout: 0.3, learningRate: 0.01 };

/** The model's weights as the panel saves them (weights.bin), hashed. */
async function weightsHash(model: tf.LayersModel): Promise<string> {
  let hash = '';
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      hash = createHash('sha256').update(bytes).digest('hex');
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return hash;
}

/** Trains a new model with `seed` on `examples` (a fifth held out for validation) and hashes its weights. */
async function trainedHash(settings: ModelSettings, examples: ExampleBytes, seed: number, epochs: number) {
  const model = createModel({ ...settings, seed });
  try {
    const initial = await weightsHash(model);
    const result = await trainModel(model, splitExamples(examples, 0.2), { epochs, batchSize: 16, seed });
    assert.equal(result.seed, seed);
    return { initial, trained: await weightsHash(model) };
  } finally {
    disposeModel(model);
  }
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`A seeded run on the ${backend.toUpperCase()} backend`, () => {
    let previous: string;
    const examples = syntheticExamples(200, 4);

    before(async () => {
      previous = tf.getBackend() ?? 'cpu';
      assert.ok(await tf.setBackend(backend));
      await tf.ready();
      installWasmTrainingKernels();
    });

    after(async () => {
      await tf.setBackend(previous);
    });

    it('trains the MLP to byte-identical weights with the same seed, and to other weights with another', async () => {
      const first = await trainedHash(MLP, examples, 1234, 3);
      const again = await trainedHash(MLP, examples, 1234, 3);
      const other = await trainedHash(MLP, examples, 1235, 3);
      assert.equal(again.trained, first.trained, 'same seed, same weights');
      assert.notEqual(first.trained, first.initial, 'training changed the weights');
      assert.notEqual(other.initial, first.initial, 'another seed starts elsewhere');
      assert.notEqual(other.trained, first.trained, 'another seed ends elsewhere');
    });

    // Only where the CNN trains in the panel: TF.js' CPU backend takes some 25 s for these steps.
    if (backend === 'wasm') {
      it('trains the CNN to byte-identical weights with the same seed', async () => {
        const few = syntheticExamples(40, 9);
        const first = await trainedHash({ ...MLP, model: 'cnn' }, few, 77, 1);
        const again = await trainedHash({ ...MLP, model: 'cnn' }, few, 77, 1);
        const other = await trainedHash({ ...MLP, model: 'cnn' }, few, 78, 1);
        assert.equal(again.trained, first.trained);
        assert.notEqual(other.trained, first.trained);
      });
    }

    it('trains other weights from the same initial weights with the order and masks of another seed', async () => {
      // The same initial weights (seed 1234), trained with the order and masks of seed 999.
      const model = createModel({ ...MLP, seed: 1234 });
      try {
        await trainModel(model, splitExamples(examples, 0.2), { epochs: 1, batchSize: 16, seed: 999 });
        const mixed = await weightsHash(model);
        const own = await trainedHash(MLP, examples, 1234, 1);
        assert.notEqual(mixed, own.trained);
      } finally {
        disposeModel(model);
      }
    });
  });
}

describe('Seeded initial weights', () => {
  it('are the same on the CPU and the WASM backend (TF.js draws seeded values in JavaScript)', async () => {
    const previous = tf.getBackend() ?? 'cpu';
    const hashes: string[] = [];
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const model = createModel({ ...MLP, seed: 5 });
      hashes.push(await weightsHash(model));
      disposeModel(model);
    }
    await tf.setBackend(previous);
    assert.equal(hashes[0], hashes[1]);
  });

  it('are drawn for each layer from a seed of its own', () => {
    // Glorot uniform draws u in [0, 1) and scales it to ±limit, limit = sqrt(6 / (fan in + fan
    // out)): layers seeded alike would have the same u behind their first values.
    const model = createModel({ ...MLP, hiddenUnits: 10, seed: 3 });
    try {
      const [hidden, , output] = model.getWeights().map((w) => w.dataSync());
      const draws = (values: ArrayLike<number>, limit: number) =>
        Array.from({ length: 50 }, (_, i) => ((values[i] / limit + 1) / 2).toFixed(4));
      const [hiddenDraws, outputDraws] = [draws(hidden, Math.sqrt(6 / 794)), draws(output, Math.sqrt(6 / 20))];
      assert.ok(
        hiddenDraws.every((u) => Number(u) >= 0 && Number(u) < 1),
        'the limits are right',
      );
      assert.notDeepEqual(hiddenDraws, outputDraws);
      const sameSeed = [1, 2].map(() => {
        const layer = tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) });
        layer.build([null, 10]);
        const values = layer.getWeights()[0].dataSync();
        layer.weights.forEach((w) => w.dispose());
        return values;
      });
      assert.deepEqual(sameSeed[0], sameSeed[1], 'what a shared seed would do');
    } finally {
      disposeModel(model);
    }
  });
});

describe('The training step with dropout', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it("multiplies the hidden layer's output by each example's own mask, as the loss it reports shows", () => {
    const model = createModel({ ...MLP, hiddenUnits: 12, dropout: 0.5, seed: 21 });
    const rows = [9, 2, 30, 14];
    const batch = gatherExamples(syntheticExamples(40, 2), rows);
    try {
      const [kernel, bias, outKernel, outBias] = model.getWeights().map((w) => w.clone());
      // The loss of the forward pass, computed here from the weights and the masks alone.
      const expected = tf.tidy(() => {
        const hidden = tf.relu(tf.add(tf.matMul(batch.xs.reshape([4, 784]), kernel), bias));
        const masks = tf.tensor2d(dropoutMasks({ seed: 21, epoch: 3, layer: 2 }, rows, 12, 0.5), [4, 12]);
        const probabilities = tf.softmax(tf.add(tf.matMul(tf.mul(hidden, masks), outKernel), outBias));
        const picked = tf.sum(tf.mul(probabilities, tf.oneHot(tf.cast(batch.ys, 'int32'), 10)), 1);
        return tf.mean(tf.neg(tf.log(picked))).dataSync()[0];
      });
      tf.dispose([kernel, bias, outKernel, outBias]);
      const step = createTrainingStep(model, 21);
      const metrics = step(batch.xs, batch.ys, { epoch: 3, rows });
      const reported = metrics.loss.dataSync()[0];
      tf.dispose([metrics.loss, metrics.accuracy]);
      assert.ok(Math.abs(reported - expected) < 1e-5, `step's loss ${reported}, computed ${expected}`);
    } finally {
      disposeTensors(batch);
      disposeModel(model);
    }
  });

  // Masks drawn per batch position (as TF.js' own dropout draws them) fail this: the parts would see other masks.
  it('gives a batch split in two parts the gradients of the whole batch, as data-parallel workers would', () => {
    const model = createModel({ ...MLP, hiddenUnits: 16, dropout: 0.5, seed: 8 });
    const examples = syntheticExamples(60, 5);
    const rows = [41, 7, 19, 3, 55, 28, 12, 36];
    const forward = createTrainingForward(model, 8);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    /** The gradients of the summed loss of `part` of the batch, as flat arrays. */
    const gradientsOfSum = (part: number[]) =>
      tf.tidy(() => {
        const batch = gatherExamples(examples, part);
        const { grads } = tf.variableGrads(
          () =>
            tf.sum(sparseCategoricalCrossentropy(batch.ys, forward(batch.xs, { epoch: 2, rows: part }))) as tf.Scalar,
          variables,
        );
        return variables.map((v) => grads[v.name].dataSync());
      });
    try {
      const whole = gradientsOfSum(rows);
      const [first, second] = [gradientsOfSum(rows.slice(0, 3)), gradientsOfSum(rows.slice(3))];
      whole.forEach((gradient, v) =>
        gradient.forEach((value, i) =>
          assert.ok(Math.abs(value - (first[v][i] + second[v][i])) < 1e-4, `variable ${v}, element ${i}`),
        ),
      );
      assert.ok(
        whole[0].some((value) => value !== 0),
        'the hidden kernel has gradients',
      );
    } finally {
      disposeModel(model);
    }
  });

  it('refuses a batch whose rows do not match its examples', () => {
    const model = createModel({ ...MLP, seed: 1 });
    const batch = gatherExamples(syntheticExamples(4, 2), [0, 1, 2, 3]);
    try {
      const step = createTrainingStep(model, 1);
      assert.throws(() => step(batch.xs, batch.ys, { epoch: 1, rows: [0, 1] }), /4 examples came with 2 rows/);
    } finally {
      disposeTensors(batch);
      disposeModel(model);
    }
  });
});
