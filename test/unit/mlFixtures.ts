// Shared set-up for the ML tests: the CPU backend and small synthetic data sets that a model
// can learn within a few batches.
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIDE, PIXELS_PER_IMAGE } from '../../src/shared/ml/model';
import type { ExampleBytes } from '../../src/shared/ml/tensors';

/** Registers a mocha hook that puts TF.js on its CPU backend, the one available in Node. */
export function useCpuBackend(): void {
  before(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
}

/** A small deterministic generator (mulberry32), so failures can be reproduced. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` noisy images whose class is told by where a bright 7x7 square sits (class k at cell
 * k of a 4x4 grid), labels cycling 0-9: easy to learn, so a few steps visibly lower the loss.
 */
export function syntheticExamples(count: number, seed = 1): ExampleBytes {
  const random = seededRandom(seed);
  const pixels = new Uint8Array(count * PIXELS_PER_IMAGE);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 10;
    labels[n] = label;
    const top = Math.floor(label / 4) * 7;
    const left = (label % 4) * 7;
    for (let r = 0; r < IMAGE_SIDE; r++) {
      for (let c = 0; c < IMAGE_SIDE; c++) {
        const inSquare = r >= top && r < top + 7 && c >= left && c < left + 7;
        pixels[n * PIXELS_PER_IMAGE + r * IMAGE_SIDE + c] = inSquare ? 180 + random() * 75 : random() * 60;
      }
    }
  }
  return { pixels, labels };
}
