// The model side of "Look inside the network": a model and its test images, as the inside view
// asks for them (see views/insideView.ts). Nothing is read from the model until the view asks, so
// a saved run's model is loaded only if the learner looks.
import type * as tf from '@tensorflow/tfjs';
import { PIXELS_PER_IMAGE, type ExampleBytes } from '../../src/shared/ml';
import { traceNetwork } from '../../src/shared/ml/networkTrace';
import { planWeightFigures, readWeightFigures } from '../../src/shared/ml/weightFigures';
import type { NetworkTrace } from '../../src/shared/ml/networkTrace';
import type { WeightFigure } from '../../src/shared/ml/weightFigures';

/** What "Look inside the network" needs of a model; the caller owns the model. */
export interface InsideModel {
  /** How many test images can be chosen (the run's test set). */
  testCount: number;
  /** Test image `index`: 784 bytes and its true class. */
  testImage(index: number): { pixels: Uint8Array; label: number };
  /** The picture's way through the model, layer by layer. */
  trace(pixels: Uint8Array): Promise<NetworkTrace>;
  /** The weights drawn as pictures, as they are now. */
  weights(): Promise<WeightFigure[]>;
}

/**
 * Looks inside `model` (asked for on first use; the caller keeps and disposes it), with the
 * `testCount` images of `testImages` to choose from.
 */
export function insideModel(
  model: () => Promise<tf.LayersModel>,
  testImages: () => ExampleBytes,
  testCount: number,
): InsideModel {
  return {
    testCount,
    testImage(index) {
      const test = testImages();
      if (index < 0 || index >= test.labels.length) {
        throw new RangeError(`There is no test image ${index}: the run has ${test.labels.length}.`);
      }
      return {
        pixels: test.pixels.subarray(index * PIXELS_PER_IMAGE, (index + 1) * PIXELS_PER_IMAGE),
        label: test.labels[index],
      };
    },
    trace: async (pixels) => traceNetwork(await model(), pixels),
    async weights() {
      const loaded = await model();
      return readWeightFigures(loaded, planWeightFigures(loaded));
    },
  };
}
