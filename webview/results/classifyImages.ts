// The classification path: decode, pre-process like the data set, predict. The model input is
// built with the same toTensors the training and evaluation use, so a 28x28 data-set image
// gets exactly the prediction the evaluation gave it. Pictures are decoded one after the other,
// so a cancel takes effect within one picture and large ones never decode side by side.
import type * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../../src/shared/errorMessage';
import { disposeTensors, PIXELS_PER_IMAGE, predictImages, Prediction, toTensors } from '../../src/shared/ml';
import { preprocessImage } from '../../src/shared/preprocess';
import type { ImageToClassify } from '../../src/shared/resultsProtocol';
import { asSentence } from '../../src/shared/sentences';
import { decodeImage } from './decodeImage';

/** One picture's result, in plain JSON so the page can keep it in its state across reloads. */
export interface ClassifiedImage {
  id: number;
  name: string;
  /** A small copy of the picture, as a data URL. */
  thumbnail?: string;
  /** The 28x28 input the model saw, 784 bytes. */
  pixels28?: number[];
  inverted?: boolean;
  prediction?: Prediction;
  error?: string;
}

async function prepare(image: ImageToClassify): Promise<ClassifiedImage> {
  if (!image.bytes) {
    return { id: image.id, name: image.name, error: image.error ?? 'The file could not be read.' };
  }
  try {
    const decoded = await decodeImage(image.bytes, image.width, image.height);
    const { pixels28, inverted } = preprocessImage(decoded.rgba, decoded.width, decoded.height);
    return { id: image.id, name: image.name, thumbnail: decoded.thumbnail, pixels28: Array.from(pixels28), inverted };
  } catch (error) {
    return { id: image.id, name: image.name, error: asSentence(errorMessage(error)) };
  }
}

/**
 * Classifies every image that decodes; the others carry their error. One batch for the model.
 * Stops decoding when `cancelled()` says so, and classifies only the pictures decoded by then.
 */
export async function classifyImages(
  model: tf.LayersModel,
  images: ImageToClassify[],
  cancelled: () => boolean = () => false,
): Promise<ClassifiedImage[]> {
  const prepared: ClassifiedImage[] = [];
  for (const image of images) {
    if (cancelled()) {
      break;
    }
    prepared.push(await prepare(image));
  }
  const ready = prepared.filter((p) => p.pixels28);
  if (ready.length === 0) {
    return prepared;
  }
  const pixels = new Uint8Array(ready.length * PIXELS_PER_IMAGE);
  ready.forEach((p, i) => pixels.set(p.pixels28!, i * PIXELS_PER_IMAGE));
  const tensors = toTensors({ pixels, labels: new Uint8Array(ready.length) });
  try {
    const predictions = await predictImages(model, tensors.xs);
    ready.forEach((p, i) => (p.prediction = predictions[i]));
  } finally {
    disposeTensors(tensors);
  }
  return prepared;
}
