// The networks the panel trains, built with TF.js layers: the seed model from TensorFlow's
// Fashion-MNIST tutorial, and a small convolutional network as the next step.
// Pure: no DOM and no `vscode`, so the same definition runs in the panel and in unit tests.
import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES } from '../classNames';
import { FusedAdamOptimizer } from './adam';
import { LOSS_NAME } from './loss';
import { initializerSeed } from './random';
import type { ModelPreset, TrainingSettings } from '../settings';

/** Images are square, IMAGE_SIDE pixels a side. */
export const IMAGE_SIDE = 28;
export const PIXELS_PER_IMAGE = IMAGE_SIDE * IMAGE_SIDE;
export const CLASS_COUNT = CLASS_NAMES.length;

export type ModelSettings = Pick<TrainingSettings, 'hiddenUnits' | 'dropout' | 'learningRate'> & {
  /** The tutorial's MLP unless said otherwise. */
  model?: ModelPreset;
  /** The run seed that decides the initial weights; absent or null, TF.js draws them unseeded. */
  seed?: number | null;
};

/**
 * The kernel initializer of the layer at `position` in the model: TF.js' default (Glorot
 * uniform), with a seed of its own derived from the run seed when there is one. TF.js draws
 * seeded initial values in JavaScript, so they are the same on every backend. Biases start at
 * zero and need none.
 */
function kernelInitializer(seed: number | null | undefined, position: number) {
  return seed == null
    ? {}
    : { kernelInitializer: tf.initializers.glorotUniform({ seed: initializerSeed(seed, position) }) };
}

/** Builds the preset's network, compiled like the Keras tutorial: Adam, sparse categorical cross-entropy, accuracy. */
export function createModel(settings: ModelSettings): tf.Sequential {
  const model = settings.model === 'cnn' ? createCnn(settings.seed) : createMlp(settings);
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
      tf.layers.dense({
        units: settings.hiddenUnits,
        activation: 'relu',
        name: 'hidden',
        ...kernelInitializer(settings.seed, 1),
      }),
      tf.layers.dropout({ rate: settings.dropout, name: 'dropout' }),
      tf.layers.dense({
        units: CLASS_COUNT,
        activation: 'softmax',
        name: 'output',
        ...kernelInitializer(settings.seed, 3),
      }),
    ],
  });
}

/** The layers of the convolutional preset, as data: the benchmark hands them to PyTorch too. */
export interface CnnLayout {
  /** Filters of each Conv2D → (BatchNorm) → ReLU → MaxPool 2 block, in order. */
  filters: readonly number[];
  kernelSize: number;
  padding: 'valid' | 'same';
  batchNorm: boolean;
  /** Units of the dense layer before the output. */
  dense: number;
  dropout: number;
}

/**
 * The convolutional preset, the usual next step after the tutorial: three blocks of
 * Conv2D 3×3 → ReLU → MaxPool 2 (16, 32, then 64 filters, "same" padding, which keeps the border
 * pixels where sleeves and soles are), Flatten, Dense 128 → Dropout 0.3 → Dense 10. Why these,
 * from test accuracies on Fashion-MNIST's 48,000/12,000 split within a five-minute run on two
 * cores (see the README's benchmark):
 * - two blocks of 32 and 64 filters (the textbook start) reach 0.915 after 12 epochs but cost
 *   twice this network's step on WebAssembly, so a five-minute run cannot give them those epochs;
 * - 16 and 32 filters alone stop at 0.913-0.916 even after 20 epochs;
 * - a third block of 64 at 7×7 costs a third more than two blocks and lifts the plateau;
 * - batch normalisation got there in fewer epochs, but TF.js runs it as a dozen small kernels
 *   that more than double the step on WebAssembly: fewer, slower epochs, no better in the end.
 * It starts at twice the MLP's learning rate and multiplies it by 0.8 after each epoch
 * (PRESET_DEFAULTS): fast early epochs, then small steps instead of a validation accuracy that
 * jumps by ±0.01 from epoch to epoch. Ten epochs of 64 (about 25 s each on WebAssembly here)
 * keep the whole run under five minutes; this network reaches about 0.91 in them, short of 0.92.
 * More of the same does not close that gap: in PyTorch these layers plateau at 0.916-0.919 test
 * accuracy after 20 epochs (training accuracy 0.97, so they overfit), and the usual cheap
 * remedies (label smoothing, standardised inputs, horizontal flips, dropout after the
 * convolutions, a Dense 256 with dropout 0.5) gave 0.911 to 0.9197 in 10-12 epochs, none 0.92.
 */
export const CNN_LAYOUT: CnnLayout = {
  filters: [16, 32, 64],
  kernelSize: 3,
  padding: 'same',
  batchNorm: false,
  dense: 128,
  dropout: 0.3,
};

/**
 * The convolutional preset (see CNN_LAYOUT). It starts with a reshape to 28×28×1, so it takes
 * the same 28×28 input as the MLP: training, evaluation and "Classify image" feed both alike,
 * and the saved model carries the reshape in its own topology.
 */
function createCnn(seed: number | null | undefined, layout: CnnLayout = CNN_LAYOUT): tf.Sequential {
  const layers: tf.layers.Layer[] = [
    tf.layers.reshape({
      inputShape: [IMAGE_SIDE, IMAGE_SIDE],
      targetShape: [IMAGE_SIDE, IMAGE_SIDE, 1],
      name: 'channels',
    }),
  ];
  layout.filters.forEach((filters, i) => {
    const block = i + 1;
    layers.push(
      tf.layers.conv2d({
        filters,
        kernelSize: layout.kernelSize,
        padding: layout.padding,
        // With batch normalisation after it, a bias would only be cancelled out.
        useBias: !layout.batchNorm,
        activation: layout.batchNorm ? 'linear' : 'relu',
        name: `conv${block}`,
        ...kernelInitializer(seed, layers.length),
      }),
    );
    if (layout.batchNorm) {
      layers.push(
        tf.layers.batchNormalization({ name: `norm${block}` }),
        tf.layers.activation({ activation: 'relu', name: `relu${block}` }),
      );
    }
    layers.push(tf.layers.maxPooling2d({ poolSize: 2, name: `pool${block}` }));
  });
  layers.push(
    tf.layers.flatten({ name: 'flatten' }),
    tf.layers.dense({
      units: layout.dense,
      activation: 'relu',
      name: 'hidden',
      ...kernelInitializer(seed, layers.length + 1),
    }),
    tf.layers.dropout({ rate: layout.dropout, name: 'dropout' }),
    tf.layers.dense({
      units: CLASS_COUNT,
      activation: 'softmax',
      name: 'output',
      ...kernelInitializer(seed, layers.length + 3),
    }),
  );
  return tf.sequential({ layers });
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
