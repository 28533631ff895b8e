// A replica's arithmetic on TF.js' CPU backend: the slices' gradients, weighted by their share of
// the batch and added up, are the whole batch's mean-loss gradient; one replica's update is the
// single-thread step's.
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { FusedAdamOptimizer } from '../../src/shared/ml/adam';
import { LOSS_NAME, sparseCategoricalCrossentropy } from '../../src/shared/ml/loss';
import { createModel, disposeModel } from '../../src/shared/ml/model';
import { flatLayout, sumInOrder } from '../../src/shared/ml/parallel/flatWeights';
import {
  readFlatWeights,
  Replica,
  SLICE_FIGURES,
  writeFlatWeights,
  type SliceBatch,
} from '../../src/shared/ml/parallel/replica';
import { evenRanges } from '../../src/shared/ml/parallel/slices';
import { disposeTensors, sliceExamples, toTensors, type ExampleBytes } from '../../src/shared/ml/tensors';
import { createTrainingForward, createTrainingStep, rowRange } from '../../src/shared/ml/trainingStep';
import { installWasmTrainingKernels } from '../../src/shared/ml/wasm';
import { syntheticExamples, useCpuBackend } from './mlFixtures';

/** A small network with a convolution and pooling, compiled as createModel compiles its presets. */
function smallConvolutionalModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.reshape({ inputShape: [28, 28], targetShape: [28, 28, 1] }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: new FusedAdamOptimizer(0.01, 0.9, 0.999), loss: LOSS_NAME, metrics: ['accuracy'] });
  return model;
}

/** The run seed every replica here trains with: it decides each example's dropout masks. */
const SEED = 20261201;

function sliceOf(examples: ExampleBytes, start: number, end: number, batchSize: number): SliceBatch {
  return {
    examples: sliceExamples(examples, start, end),
    batchSize,
    rows: Int32Array.from({ length: end - start }, (_, i) => start + i),
    epoch: 1,
  };
}

/** The slices' gradients of a batch cut `parts` ways, summed in worker order (what each replica applies). */
function summedGradient(replica: Replica, examples: ExampleBytes, parts: number): Float32Array {
  const count = examples.labels.length;
  const gradients = evenRanges(count, parts).map((r) =>
    replica.sliceGradient(sliceOf(examples, r.start, r.end, count)).slice(),
  );
  return sumInOrder(gradients, new Float32Array(gradients[0].length));
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string, relative = 1e-6): void {
  assert.equal(actual.length, expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    // Float32 sums in another order differ in their last bits, relative to the largest values.
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= relative * scale + 1e-9,
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

describe('Data-parallel training: a replica', () => {
  useCpuBackend();

  for (const [name, build] of [
    [
      'the MLP with dropout (each example keeps its own masks, whichever slice it is in)',
      () => createModel({ hiddenUnits: 32, dropout: 0.2, learningRate: 0.01 }),
    ],
    ['a network with a convolution and pooling', smallConvolutionalModel],
  ] as const) {
    it(`adds slice gradients up to the whole batch's mean-loss gradient: ${name}`, () => {
      const model = build();
      const replica = new Replica(model, SEED);
      const batch = syntheticExamples(13, 5);
      try {
        const whole = replica.sliceGradient(sliceOf(batch, 0, 13, 13)).slice();
        for (const parts of [2, 3, 5]) {
          const summed = summedGradient(replica, batch, parts);
          const gradientLength = whole.length - SLICE_FIGURES;
          assertClose(summed.subarray(0, gradientLength), whole.subarray(0, gradientLength), `${parts} slices`);
          // The loss sums and right answers add up too.
          assert.ok(Math.abs(summed[gradientLength] - whole[gradientLength]) < 1e-4, 'loss sum');
          assert.equal(summed[gradientLength + 1], whole[gradientLength + 1], 'right answers');
        }
        // And the whole slice's gradient is that of the batch's mean loss, as the single-thread step takes it.
        const tensors = toTensors(batch);
        const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const forward = createTrainingForward(model, SEED);
        const { value, grads } = tf.variableGrads(
          () =>
            tf.mean(
              sparseCategoricalCrossentropy(tensors.ys, forward(tensors.xs, { epoch: 1, rows: rowRange(0, 13) })),
            ) as tf.Scalar,
          variables,
        );
        const layout = flatLayout(variables.map((v) => v.shape));
        const reference = new Float32Array(layout.length);
        variables.forEach((v, i) => reference.set(grads[v.name].dataSync() as Float32Array, layout.offsets[i]));
        assertClose(whole.subarray(0, layout.length), reference, "TF.js' own gradient");
        tf.dispose([value, ...Object.values(grads)]);
        disposeTensors(tensors);
      } finally {
        disposeModel(model);
      }
    });
  }

  it("makes the single-thread step's update when it holds the whole batch", () => {
    const settings = { hiddenUnits: 24, dropout: 0.2, learningRate: 0.01 };
    const [ours, reference] = [createModel(settings), createModel(settings)];
    writeFlatWeights(ours, readFlatWeights(reference));
    const replica = new Replica(ours, SEED);
    const step = createTrainingStep(reference, SEED);
    const batch = syntheticExamples(16, 9);
    const tensors = toTensors(batch);
    try {
      for (let i = 0; i < 3; i++) {
        replica.apply(replica.sliceGradient(sliceOf(batch, 0, 16, 16)), 0.01);
        const metrics = step(tensors.xs, tensors.ys, { epoch: 1, rows: rowRange(0, 16) });
        tf.dispose([metrics.loss, metrics.accuracy]);
      }
      assertClose(readFlatWeights(ours), readFlatWeights(reference), 'weights after 3 steps');
    } finally {
      disposeTensors(tensors);
      disposeModel(ours);
      disposeModel(reference);
    }
  });

  it('scores a set as the model predicts it: loss sum, right answers, each predicted class', () => {
    const model = createModel({ hiddenUnits: 16, dropout: 0.2, learningRate: 0.01 });
    const examples = syntheticExamples(70, 2);
    const tensors = toTensors(examples);
    try {
      const scores = new Replica(model, SEED).score(examples, 32);
      const probabilities = model.predict(tensors.xs) as tf.Tensor2D;
      const expected = probabilities.argMax(-1).dataSync();
      assert.deepEqual([...scores.predicted], [...expected]);
      assert.equal(scores.count, 70);
      assert.equal(scores.correct, [...expected].filter((p, i) => p === examples.labels[i]).length);
      const [loss] = model.evaluate(tensors.xs, tensors.ys) as tf.Scalar[];
      assert.ok(Math.abs(scores.lossSum / 70 - loss.dataSync()[0]) < 1e-5);
      tf.dispose([probabilities, loss]);
    } finally {
      disposeTensors(tensors);
      disposeModel(model);
    }
  });

  it('moves all the weights through one flat buffer and back, and refuses a buffer of another model', () => {
    const [a, b] = [
      createModel({ hiddenUnits: 8, dropout: 0, learningRate: 0.01 }),
      createModel({ hiddenUnits: 8, dropout: 0, learningRate: 0.01 }),
    ];
    try {
      const flat = readFlatWeights(a);
      assert.equal(flat.length, 784 * 8 + 8 + 8 * 10 + 10);
      writeFlatWeights(b, flat);
      assert.deepEqual([...readFlatWeights(b)], [...flat]);
      assert.throws(() => writeFlatWeights(b, flat.subarray(1)), RangeError);
    } finally {
      disposeModel(a);
      disposeModel(b);
    }
  });

  it("reads the slice gradient straight from the WASM backend's heap, as the CPU backend computes it", async () => {
    const settings = { hiddenUnits: 32, dropout: 0, learningRate: 0.01 };
    const batch = syntheticExamples(12, 6);
    const onCpu = createModel(settings);
    const weights = readFlatWeights(onCpu);
    const cpu = new Replica(onCpu, SEED).sliceGradient(sliceOf(batch, 0, 7, 12)).slice();
    disposeModel(onCpu);
    await tf.setBackend('wasm');
    try {
      installWasmTrainingKernels();
      const onWasm = createModel(settings);
      writeFlatWeights(onWasm, weights);
      const replica = new Replica(onWasm, SEED);
      const before = tf.memory().numTensors;
      const wasm = replica.sliceGradient(sliceOf(batch, 0, 7, 12)).slice();
      assert.equal(tf.memory().numTensors, before, 'no tensor left on the WASM backend');
      assertClose(wasm, cpu, 'WASM against CPU', 1e-5);
      disposeModel(onWasm);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('leaves no tensors behind', () => {
    const model = createModel({ hiddenUnits: 8, dropout: 0.2, learningRate: 0.01 });
    const replica = new Replica(model, SEED);
    const examples = syntheticExamples(20, 4);
    replica.apply(replica.sliceGradient(sliceOf(examples, 0, 10, 20)), 0.01);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      replica.apply(replica.sliceGradient(sliceOf(examples, 0, 10, 20)), 0.01);
      replica.score(examples, 8);
      readFlatWeights(model);
    }
    assert.equal(tf.memory().numTensors, before);
    disposeModel(model);
  });
});
