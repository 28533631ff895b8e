// The pad's two ways to the model: a pasted picture brought to the 28×28 input exactly as
// "Classify image" brings a file (the same decoder and preprocessing), and one input classified
// with the same tensors and prediction code as the results panel.
import type * as tf from '@tensorflow/tfjs';
import { checkImageSize, readImageSize } from '../../src/shared/imageHeader';
import { disposeTensors, PIXELS_PER_IMAGE, predictImages, type Prediction, toTensors } from '../../src/shared/ml';
import { preprocessImage } from '../../src/shared/preprocess';
import { decodeImage } from '../results/decodeImage';

/** The 28×28 input (784 bytes) "Classify image" would make of a picture file with these bytes. */
export async function pastedPicture(bytes: ArrayBuffer): Promise<Uint8Array> {
  // The header's size, as the host reads it for "Classify image": a huge picture is refused
  // before it is decoded, and a large one decodes straight to a smaller size.
  const size = readImageSize(new Uint8Array(bytes));
  checkImageSize(size);
  const decoded = await decodeImage(bytes, size.width, size.height);
  return preprocessImage(decoded.rgba, decoded.width, decoded.height).pixels28;
}

/** The model's answer for one 28×28 input. */
export async function classifyPixels(model: tf.LayersModel, pixels28: Uint8Array): Promise<Prediction> {
  if (pixels28.length !== PIXELS_PER_IMAGE) {
    throw new RangeError(`The model's input is ${PIXELS_PER_IMAGE} pixels, not ${pixels28.length}.`);
  }
  const tensors = toTensors({ pixels: pixels28, labels: new Uint8Array(1) });
  try {
    return (await predictImages(model, tensors.xs))[0];
  } finally {
    disposeTensors(tensors);
  }
}
