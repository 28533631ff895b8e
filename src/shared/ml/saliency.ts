// "Why this answer": which pixels of one image the model's answer rests on, by occlusion
// sensitivity. Each copy of the image has one square patch hidden (set to the background, 0);
// where hiding a patch makes the model less sure of its answer, the pixels under it supported
// that answer. Chosen over gradients because it asks the model nothing but predictions: it works
// the same for the MLP and the CNN presets (and any model that takes a 28x28 image), it reads to
// a learner in one sentence ("hide this patch and the model becomes this much less sure"), its
// values are plain probability differences, and it is cheap: all occluded copies go through the
// model as one batch. A gradient shows what an infinitesimal nudge would do, which a dense relu
// network answers with speckled, hard-to-read maps.
// Pure: no DOM and no `vscode`, so it runs in the panels and in unit tests alike.
import * as tf from '@tensorflow/tfjs';
import { scaleToUnit } from '../preprocess';
import { argMax } from './metrics';
import { CLASS_COUNT, IMAGE_SIDE, PIXELS_PER_IMAGE } from './model';

export interface SaliencyResult {
  /**
   * 784 values, row-major: how much the predicted class's probability drops when the pixel is
   * hidden, averaged over the patches that cover it. Positive: the pixel supported the answer;
   * negative: hiding it made the answer more likely, so it spoke against it.
   */
  map: Float32Array;
  /** The class explained: the model's answer for the whole image. */
  predictedClass: number;
  /** That class's probability for the whole image. */
  baseProbability: number;
}

export interface OcclusionOptions {
  /** Pixels between neighbouring patches; see defaultStride. */
  stride?: number;
}

/** Side of the hidden square, in pixels: about the width of a strap, a collar or a sole. */
const PATCH = 4;

/**
 * Patches start at every pixel: 625 copies, each pixel under up to 16 patches, so the map is
 * smooth. Measured for one image on the single-threaded WASM backend in Chromium: about 10 ms
 * with the MLP and 120 ms with the CNN. TF.js' plain-JavaScript CPU backend is some 40 times
 * slower at convolutions (4.7 s for the CNN, with the page frozen), so there they start at every
 * other pixel: 169 copies, about 1 s for the CNN and 0.1 s for the MLP.
 */
function defaultStride(): number {
  return tf.getBackend() === 'cpu' ? 2 : 1;
}

interface Patch {
  top: number;
  left: number;
}

/** Patches every `stride` pixels down and across, plus a row and a column flush with the far edges. */
function patchesEvery(stride: number): Patch[] {
  const last = IMAGE_SIDE - PATCH;
  const starts: number[] = [];
  for (let start = 0; start < last; start += stride) {
    starts.push(start);
  }
  starts.push(last);
  return starts.flatMap((top) => starts.map((left) => ({ top, left })));
}

/** The image followed by one copy per patch with that patch set to the background, 0. */
function occludedBatch(input: Float32Array, patches: readonly Patch[]): Float32Array {
  const batch = new Float32Array((patches.length + 1) * PIXELS_PER_IMAGE);
  batch.set(input);
  patches.forEach(({ top, left }, i) => {
    const offset = (i + 1) * PIXELS_PER_IMAGE;
    batch.set(input, offset);
    for (let row = top; row < top + PATCH; row++) {
      batch.fill(0, offset + row * IMAGE_SIDE + left, offset + row * IMAGE_SIDE + left + PATCH);
    }
  });
  return batch;
}

/**
 * The occlusion saliency map of one image (784 bytes, 0 = background, 255 = ink) for the class
 * `model` predicts for it. One batch through the model and one read back; no tensor outlives the call.
 */
export async function occlusionSaliency(
  model: tf.LayersModel,
  pixels: Uint8Array,
  { stride = defaultStride() }: OcclusionOptions = {},
): Promise<SaliencyResult> {
  if (pixels.length !== PIXELS_PER_IMAGE) {
    throw new RangeError(
      `An image of ${IMAGE_SIDE}x${IMAGE_SIDE} needs ${PIXELS_PER_IMAGE} pixels, got ${pixels.length}.`,
    );
  }
  if (!Number.isInteger(stride) || stride < 1) {
    throw new RangeError(`Patches cannot start every ${stride} pixels.`);
  }
  const patches = patchesEvery(stride);
  const batchSize = patches.length + 1;
  const probabilities = tf.tidy(() => {
    // Scaled exactly as the training data and a classified picture are, so the first row's
    // answer is the one the card shows.
    const images = tf.tensor3d(occludedBatch(scaleToUnit(pixels), patches), [batchSize, IMAGE_SIDE, IMAGE_SIDE]);
    // The whole batch at once: predict's default would run it 32 images at a time.
    return model.predict(images, { batchSize }) as tf.Tensor2D;
  });
  let values: Float32Array;
  try {
    values = (await probabilities.data()) as Float32Array;
  } finally {
    probabilities.dispose();
  }

  const predictedClass = argMax(values.subarray(0, CLASS_COUNT));
  const baseProbability = values[predictedClass];
  const sums = new Float32Array(PIXELS_PER_IMAGE);
  const covers = new Uint8Array(PIXELS_PER_IMAGE);
  patches.forEach(({ top, left }, i) => {
    const drop = baseProbability - values[(i + 1) * CLASS_COUNT + predictedClass];
    for (let row = top; row < top + PATCH; row++) {
      for (let col = left; col < left + PATCH; col++) {
        sums[row * IMAGE_SIDE + col] += drop;
        covers[row * IMAGE_SIDE + col]++;
      }
    }
  });
  // Every pixel is under at least one patch: the last row and column of patches are flush with the edges.
  const map = sums.map((sum, i) => sum / covers[i]);
  return { map, predictedClass, baseProbability };
}
