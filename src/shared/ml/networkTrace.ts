// "Inside the network": one picture's way through the model, layer by layer, as the model itself
// computes it. The picture goes through the model's own layers one at a time with `layer.apply`,
// so every value shown is a layer's real output, for the MLP, the CNN or any sequential model of
// these layers. Two things a layer's output does not show are read from the model too:
//   - what a Dense layer computes before its activation (the scores before ReLU, the logits before
//     softmax): TF.js fuses the activation into the layer, so its output is already past it. A
//     "linear twin" of the layer (same units and bias use, activation 'linear') is given the
//     layer's own current weights and applied to the same input: the model's own matrix product
//     and bias, with nothing applied after them. Multiplying the weights here would work as well
//     but would be a second implementation of the layer, which is what the view must not show.
//   - which units Dropout switches off in a training step: when predicting it passes everything
//     through. The model's own Dropout layer is applied in training mode to ones, which gives one
//     step's mask: 0 for a unit switched off, 1 / (1 − rate) for a unit kept (TF.js' dropout
//     multiplies its input by exactly such a mask). A new mask each call, as each step draws one.
// Pure: no DOM and no `vscode`, so it runs in the panel and in unit tests alike.
import * as tf from '@tensorflow/tfjs';
import { scaleToUnit } from '../preprocess';
import { IMAGE_SIDE, PIXELS_PER_IMAGE } from './model';

/** A layer's values for one picture: its shape without the batch dimension, and the values in TF.js' order. */
export interface TracedValues {
  shape: number[];
  values: Float32Array;
}

export interface LayerTrace {
  name: string;
  /** TF.js' class name: Flatten, Dense, Dropout, Conv2D, MaxPooling2D, Reshape, … */
  className: string;
  /** The layer's activation when it has one ('relu', 'softmax', 'linear'). */
  activation?: string;
  /** Parameters of the layer: 0 for layers that only move or drop values. */
  params: number;
  /** The layer's output for the picture, as predict computes it (Dropout passes everything through). */
  output: TracedValues;
  /** For a Dense layer with an activation other than linear: its output before the activation. */
  preActivation?: TracedValues;
  /** For a Dropout layer: the mask of one training step (0 = switched off, 1 / (1 − rate) = kept). */
  dropout?: { rate: number; mask: Float32Array };
}

export interface NetworkTrace {
  /** The picture as the model takes it: 28 × 28 values in [0, 1]. */
  input: TracedValues;
  layers: LayerTrace[];
}

/** The layers a sequential model applies in order (a functional model's input layer is not one). */
export function sequentialLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  const chained = layers.every((layer, i) => i === 0 || layer.input === layers[i - 1].output);
  if (!chained || model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error('Only a model whose layers follow one another, one input and one output, can be traced.');
  }
  return layers;
}

/** The layer's activation as its configuration names it, if it has one. */
export function activationOf(layer: tf.layers.Layer): string | undefined {
  const activation = layer.getConfig().activation;
  return typeof activation === 'string' ? activation : undefined;
}

/** A Dense layer without its activation, holding a copy of `layer`'s current weights; dispose with disposeTwin. */
function linearTwin(layer: tf.layers.Layer): tf.layers.Layer {
  const config = layer.getConfig();
  const twin = tf.layers.dense({
    units: config.units as number,
    useBias: config.useBias as boolean,
    activation: 'linear',
  });
  twin.build(layer.input instanceof Array ? layer.input[0].shape : layer.input.shape);
  twin.setWeights(layer.getWeights());
  return twin;
}

function disposeTwin(twin: tf.layers.Layer): void {
  twin.weights.forEach((weight) => weight.dispose());
}

/** Dense layers whose activation is not linear: their output before it is worth showing. */
function hasPreActivation(layer: tf.layers.Layer): boolean {
  const activation = activationOf(layer);
  return layer.getClassName() === 'Dense' && activation !== undefined && activation !== 'linear';
}

type Slot = 'output' | 'preActivation' | 'mask';

/**
 * Runs the picture `pixels` (784 bytes, 0 = background, 255 = ink, scaled as the training data
 * is) through `model` one layer at a time and reads every layer's values back in one go. No
 * tensor outlives the call; the model is not changed.
 */
export async function traceNetwork(model: tf.LayersModel, pixels: Uint8Array): Promise<NetworkTrace> {
  if (pixels.length !== PIXELS_PER_IMAGE) {
    throw new RangeError(
      `An image of ${IMAGE_SIDE}x${IMAGE_SIDE} needs ${PIXELS_PER_IMAGE} pixels, got ${pixels.length}.`,
    );
  }
  const layers = sequentialLayers(model);
  const twins = new Map(layers.filter(hasPreActivation).map((layer) => [layer, linearTwin(layer)]));
  const input = scaleToUnit(pixels);
  const slots: { layer: number; slot: Slot }[] = [];
  let tensors: tf.Tensor[] = [];
  try {
    tensors = tf.tidy(() => {
      const kept: tf.Tensor[] = [];
      let x: tf.Tensor = tf.tensor3d(input, [1, IMAGE_SIDE, IMAGE_SIDE]);
      layers.forEach((layer, i) => {
        const twin = twins.get(layer);
        if (twin) {
          kept.push(twin.apply(x) as tf.Tensor);
          slots.push({ layer: i, slot: 'preActivation' });
        }
        if (layer.getClassName() === 'Dropout') {
          kept.push(layer.apply(tf.onesLike(x), { training: true }) as tf.Tensor);
          slots.push({ layer: i, slot: 'mask' });
        }
        x = layer.apply(x) as tf.Tensor;
        kept.push(x);
        slots.push({ layer: i, slot: 'output' });
      });
      return kept;
    });
    const values = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
    const traces: LayerTrace[] = layers.map((layer) => ({
      name: layer.name,
      className: layer.getClassName(),
      activation: activationOf(layer),
      params: layer.countParams(),
      output: { shape: [], values: new Float32Array() },
    }));
    slots.forEach(({ layer, slot }, n) => {
      const traced: TracedValues = { shape: tensors[n].shape.slice(1), values: values[n] };
      const trace = traces[layer];
      if (slot === 'output') {
        trace.output = traced;
      } else if (slot === 'preActivation') {
        trace.preActivation = traced;
      } else {
        trace.dropout = { rate: layers[layer].getConfig().rate as number, mask: traced.values };
      }
    });
    return { input: { shape: [IMAGE_SIDE, IMAGE_SIDE], values: input }, layers: traces };
  } finally {
    tf.dispose(tensors);
    twins.forEach(disposeTwin);
  }
}
