// The networks the panel trains, built with TF.js layers: the seed model from TensorFlow's
// Fashion-MNIST tutorial, and a small convolutional network as the next step.
// Pure: no DOM and no `vscode`, so the same definition runs in the panel and in unit tests.
import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES } from '../classNames';
import { FusedAdamOptimizer } from './adam';
import { LOSS_NAME } from './loss';
import type { ModelPreset, TrainingSettings } from '../settings';

/** Images are square, IMAGE_SIDE pixels a side. */
export const IMAGE_SIDE = 28;
export const PIXELS_PER_IMAGE = IMAGE_SIDE * IMAGE_SIDE;
export const CLASS_COUNT = CLASS_NAMES.length;

export type ModelSettings = Pick<TrainingSettings, 'hiddenUnits' | 'dropout' | 'learningRate'> & {
  /** The tutorial's MLP unless said otherwise. */
  model?: ModelPreset;
};

/** Builds the preset's network, compiled like the Keras tutorial: Adam, sparse categorical cross-entropy, accuracy. */
export function createModel(settings: ModelSettings): tf.Sequential {
  const model = settings.model === 'cnn' ? createCnn() : createMlp(settings);
  model.compile({
    // tf.train.adam's optimizer, with a faster update on the WASM backend (see adam.ts).
    optimizer: new FusedAdamOptimizer(settings.learningRate, 0.9, 0.999),
    loss: LOSS_NAME,
    metrics: ['accuracy'],
  });
  return model;
}

/**
 * The tutorial's network: Flatten -> Dense(hiddenUnits, relu) -> Dropout -> Dense(10, softmax).
 * With the default settings it has 203,530 parameters.
 */
function createMlp(settings: ModelSettings): tf.Sequential {
  // Fixed layer names keep the summary readable; TF.js still makes the weights' names unique,
  // so several models can coexist (one training, one loaded).
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [IMAGE_SIDE, IMAGE_SIDE], name: 'flatten' }),
      tf.layers.dense({ units: settings.hiddenUnits, activation: 'relu', name: 'hidden' }),
      tf.layers.dropout({ rate: settings.dropout, name: 'dropout' }),
      tf.layers.dense({ units: CLASS_COUNT, activation: 'softmax', name: 'output' }),
    ],
  });
}

/**
 * The convolutional preset, the usual next step after the tutorial:
 * Reshape to 28x28x1 -> Conv2D(32, 3x3, relu) -> MaxPool 2 -> Conv2D(64, 3x3, relu) -> MaxPool 2
 * -> Flatten -> Dense(128, relu) -> Dropout(0.3) -> Dense(10, softmax).
 * The reshape lets it take the same 28x28 input as the MLP, so training, evaluation and
 * "Classify image" feed both alike, and the saved model carries it in its own topology.
 */
function createCnn(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.reshape({
        inputShape: [IMAGE_SIDE, IMAGE_SIDE],
        targetShape: [IMAGE_SIDE, IMAGE_SIDE, 1],
        name: 'channels',
      }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', name: 'conv1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', name: 'conv2' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 128, activation: 'relu', name: 'hidden' }),
      tf.layers.dropout({ rate: 0.3, name: 'dropout' }),
      tf.layers.dense({ units: CLASS_COUNT, activation: 'softmax', name: 'output' }),
    ],
  });
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
