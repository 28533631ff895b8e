// The seed model from TensorFlow's Fashion-MNIST tutorial, built with TF.js layers.
// Pure: no DOM and no `vscode`, so the same definition runs in the panel and in unit tests.
import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES } from '../classNames';
import { FusedAdamOptimizer } from './adam';
import { LOSS_NAME } from './loss';
import type { TrainingSettings } from '../settings';

/** Images are square, IMAGE_SIDE pixels a side. */
export const IMAGE_SIDE = 28;
export const PIXELS_PER_IMAGE = IMAGE_SIDE * IMAGE_SIDE;
export const CLASS_COUNT = CLASS_NAMES.length;

export type ModelSettings = Pick<TrainingSettings, 'hiddenUnits' | 'dropout' | 'learningRate'>;

/**
 * Flatten -> Dense(hiddenUnits, relu) -> Dropout -> Dense(10, softmax), compiled like the Keras
 * tutorial: Adam, sparse categorical cross-entropy on integer labels, accuracy.
 * With the default settings it has 203,530 parameters.
 */
export function createModel(settings: ModelSettings): tf.Sequential {
  // Fixed layer names keep the summary readable; TF.js still makes the weights' names unique,
  // so several models can coexist (one training, one loaded).
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [IMAGE_SIDE, IMAGE_SIDE], name: 'flatten' }),
      tf.layers.dense({ units: settings.hiddenUnits, activation: 'relu', name: 'hidden' }),
      tf.layers.dropout({ rate: settings.dropout, name: 'dropout' }),
      tf.layers.dense({ units: CLASS_COUNT, activation: 'softmax', name: 'output' }),
    ],
  });
  model.compile({
    // tf.train.adam's optimizer, with a faster update on the WASM backend (see adam.ts).
    optimizer: new FusedAdamOptimizer(settings.learningRate, 0.9, 0.999),
    loss: LOSS_NAME,
    metrics: ['accuracy'],
  });
  return model;
}

/** One row of the model summary. `outputShape` has `null` for the batch dimension. */
export interface LayerSummary {
  name: string;
  className: string;
  outputShape: (number | null)[];
  params: number;
}

/** The model summary as plain data, so it can be posted as JSON and drawn as a table. */
export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
}

export function describeModel(model: tf.LayersModel): ModelSummary {
  const layers = model.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    // Every layer here has a single output; a multi-output layer would report its first.
    outputShape: (Array.isArray(layer.outputShape[0]) ? layer.outputShape[0] : layer.outputShape) as (number | null)[],
    params: layer.countParams(),
  }));
  const trainableParams = model.trainableWeights.reduce(
    (sum, weight) => sum + tf.util.sizeFromShape(weight.shape as number[]),
    0,
  );
  return { layers, totalParams: model.countParams(), trainableParams };
}

/**
 * Frees a model built by createModel. `model.dispose()` alone leaves the optimizer it was
 * compiled with (and Adam's slots) behind: ten tensors per training run.
 */
export function disposeModel(model: tf.LayersModel): void {
  model.optimizer?.dispose();
  model.dispose();
}
