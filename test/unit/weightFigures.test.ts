import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createModel, disposeModel } from '../../src/shared/ml/model';
import { incomingWeights, transpose, unitsByIncomingNorm } from '../../src/shared/ml/unitOrder';
import { planWeightFigures, readWeightFigures, type WeightFigure } from '../../src/shared/ml/weightFigures';
import { useCpuBackend } from './mlFixtures';

const kernelOf = (model: tf.LayersModel, layer: string) =>
  model.getLayer(layer).getWeights()[0].dataSync() as Float32Array;

describe('Ordering hidden units by their weights', () => {
  // A [3 inputs, 4 units] kernel: unit 2 has the largest weights, units 0 and 3 tie.
  const kernel = Float32Array.from([1, 0, 3, -1, 0, 0.5, 4, 0, 0, 0, 0, 0]);

  it('puts the largest norm first, equal norms in unit order', () => {
    assert.deepEqual(
      unitsByIncomingNorm(kernel, 3, 4).map(({ unit, norm }) => [unit, norm]),
      [
        [2, 5],
        [0, 1],
        [3, 1],
        [1, 0.5],
      ],
    );
  });

  it("takes a unit's incoming weights from its column", () => {
    assert.deepEqual(Array.from(incomingWeights(kernel, 3, 4, 2)), [3, 4, 0]);
  });

  it('refuses a kernel of another size', () => {
    assert.throws(() => unitsByIncomingNorm(kernel, 4, 4), /has 16 weights, got 12/);
  });

  it('transposes a matrix', () => {
    assert.deepEqual(Array.from(transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3)), [1, 4, 2, 5, 3, 6]);
  });
});

describe('The weights drawn as pictures', () => {
  useCpuBackend();

  it('of the MLP: the hidden units as pictures and the output layer as a class map', async () => {
    const model = createModel({ hiddenUnits: 40, dropout: 0.2, learningRate: 0.001 });
    try {
      const plans = planWeightFigures(model);
      assert.deepEqual(plans, [
        { kind: 'unitPictures', layer: 'hidden', inputs: 784, units: 40 },
        { kind: 'classMap', layer: 'output', inputs: 40, classes: 10 },
      ]);
      const before = tf.memory().numTensors;
      const [units, map] = (await readWeightFigures(model, plans, 6)) as [
        Extract<WeightFigure, { kind: 'unitPictures' }>,
        Extract<WeightFigure, { kind: 'classMap' }>,
      ];
      assert.equal(tf.memory().numTensors, before);
      const hidden = kernelOf(model, 'hidden');
      const expected = unitsByIncomingNorm(hidden, 784, 40).slice(0, 6);
      assert.deepEqual(
        units.shown.map(({ unit, norm }) => ({ unit, norm })),
        expected,
      );
      units.shown.forEach(({ unit, weights }) =>
        assert.deepEqual(Array.from(weights), Array.from(incomingWeights(hidden, 784, 40, unit))),
      );
      const output = kernelOf(model, 'output');
      assert.equal(map.values[3 * 40 + 7], output[7 * 10 + 3], 'row = class, column = unit');
      assert.deepEqual(Array.from(map.values), Array.from(transpose(output, 40, 10)));
    } finally {
      disposeModel(model);
    }
  });

  it("of the CNN: each convolution's filters as stored, the output layer as a class map, no dense layer as pictures", async () => {
    const model = createModel({ model: 'cnn', hiddenUnits: 8, dropout: 0.2, learningRate: 0.001 });
    try {
      const plans = planWeightFigures(model);
      const convolutions = model.layers.filter((layer) => layer.getClassName() === 'Conv2D');
      assert.deepEqual(
        plans.filter((plan) => plan.kind === 'filters'),
        convolutions.map((layer) => ({ kind: 'filters', layer: layer.name, kernelShape: layer.getWeights()[0].shape })),
      );
      assert.equal(plans.filter((plan) => plan.kind === 'unitPictures').length, 0);
      assert.equal(plans.at(-1)!.kind, 'classMap');
      const figures = await readWeightFigures(model, plans);
      figures
        .filter((figure) => figure.kind === 'filters')
        .forEach((figure) => assert.deepEqual(Array.from(figure.kernel), Array.from(kernelOf(model, figure.layer))));
    } finally {
      disposeModel(model);
    }
  });
});
