import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { argMax } from '../../src/shared/ml/metrics';
import { createModel, disposeModel, IMAGE_SIDE, PIXELS_PER_IMAGE } from '../../src/shared/ml/model';
import { occlusionSaliency } from '../../src/shared/ml/saliency';
import { sliceExamples } from '../../src/shared/ml/tensors';
import { trainModel } from '../../src/shared/ml/train';
import type { ModelPreset } from '../../src/shared/settings';
import { syntheticExamples, useCpuBackend } from './mlFixtures';

/** Where syntheticExamples puts class `label`'s bright 7x7 square. */
function insideSquare(label: number, pixel: number): boolean {
  const row = Math.floor(pixel / IMAGE_SIDE);
  const col = pixel % IMAGE_SIDE;
  const top = Math.floor(label / 4) * 7;
  const left = (label % 4) * 7;
  return row >= top && row < top + 7 && col >= left && col < left + 7;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Mean saliency on the squares that tell the images' classes, over the mean size of the
 * saliency elsewhere: about 1 for a map that ignores where the square is.
 */
function squareContrast(maps: readonly Float32Array[], labels: readonly number[]): number {
  const inside: number[] = [];
  const outside: number[] = [];
  maps.forEach((map, n) =>
    map.forEach((value, pixel) =>
      insideSquare(labels[n], pixel) ? inside.push(value) : outside.push(Math.abs(value)),
    ),
  );
  return mean(inside) / mean(outside);
}

describe('Occlusion saliency', () => {
  useCpuBackend();

  const test = syntheticExamples(10, 11);
  const imageOf = (n: number) => sliceExamples(test, n, n + 1).pixels;

  // Patches at every pixel (the default on WASM and WebGL) are checked on the MLP only: with the
  // CNN they take about 5 s an image on the CPU backend, whose own default is every other pixel.
  const cases: { preset: ModelPreset; strides: (1 | undefined)[] }[] = [
    { preset: 'mlp', strides: [undefined, 1] },
    { preset: 'cnn', strides: [undefined] },
  ];
  for (const { preset, strides } of cases) {
    describe(`of the ${preset} preset`, () => {
      let model: tf.LayersModel;

      before(async function () {
        // The CNN trains slowly on TF.js' CPU backend: about a third of a second per image.
        this.timeout(180_000);
        // Briefly trained, so its answers are right but not yet saturated (a probability of
        // 0.9999 barely moves whatever is hidden).
        model = createModel({
          model: preset,
          hiddenUnits: 32,
          dropout: 0,
          learningRate: preset === 'cnn' ? 0.005 : 0.01,
        });
        await trainModel(model, { train: syntheticExamples(100, 5) }, { epochs: 1, batchSize: 10 });
      });

      after(() => disposeModel(model));

      it('gives 784 finite values and the answer predict gives, leaking nothing', async () => {
        const before = tf.memory().numTensors;
        const result = await occlusionSaliency(model, imageOf(3));
        assert.equal(tf.memory().numTensors, before);

        assert.equal(result.map.length, PIXELS_PER_IMAGE);
        assert.ok(result.map.every(Number.isFinite));
        const probabilities = tf.tidy(() =>
          (model.predict(tf.tensor3d(imageOf(3), [1, IMAGE_SIDE, IMAGE_SIDE]).div(255)) as tf.Tensor2D).dataSync(),
        );
        assert.equal(result.predictedClass, argMax(probabilities));
        assert.ok(Math.abs(result.baseProbability - probabilities[result.predictedClass]) < 1e-6);
      });

      for (const stride of strides) {
        const patches =
          stride === undefined ? 'patches at every other pixel (the default here)' : 'patches at every pixel';
        it(`puts the saliency on the square that tells the class, with ${patches}`, async () => {
          const started = performance.now();
          const results = [];
          for (let n = 0; n < test.labels.length; n++) {
            results.push(await occlusionSaliency(model, imageOf(n), { stride }));
          }
          const milliseconds = (performance.now() - started) / test.labels.length;
          console.log(`      ${preset}, ${patches}: ${milliseconds.toFixed(0)} ms an image on the CPU backend`);
          const right = results.filter((r, n) => r.predictedClass === test.labels[n]);
          assert.ok(right.length >= 6, `the model got ${right.length} of 10 synthetic images right`);
          // The square is 49 of 784 pixels; a map that ignored it would score about 1.
          const contrast = squareContrast(
            right.map((r) => r.map),
            right.map((r) => r.predictedClass),
          );
          assert.ok(contrast > 10, `mean saliency inside the square is only ${contrast.toFixed(1)}x that outside`);
        });
      }

      it('gives the same map for the same model and image', async () => {
        const first = await occlusionSaliency(model, imageOf(7));
        const second = await occlusionSaliency(model, imageOf(7));
        assert.deepEqual(second, first);
      });
    });
  }

  it('refuses an image of the wrong size and a stride that is not a whole number of pixels', async () => {
    const model = createModel({ hiddenUnits: 4, dropout: 0, learningRate: 0.01 });
    try {
      await assert.rejects(occlusionSaliency(model, new Uint8Array(100)), /needs 784 pixels, got 100/);
      await assert.rejects(occlusionSaliency(model, imageOf(0), { stride: 0 }), /cannot start every 0 pixels/);
      await assert.rejects(occlusionSaliency(model, imageOf(0), { stride: 1.5 }), RangeError);
    } finally {
      disposeModel(model);
    }
  });
});
