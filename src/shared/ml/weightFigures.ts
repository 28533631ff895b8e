// "What the network learned": the weights that can be drawn as pictures, read from the model.
//   - A Dense layer that reads the picture itself (only Flatten or Reshape before it) has, for
//     each unit, one weight per pixel: 784 weights drawn as a 28 × 28 picture of what the unit
//     looks for. The units with the largest weights are drawn (see unitOrder.ts).
//   - The output layer has one weight per class and unit of the layer before it: a map of
//     classes × units, which units speak for or against each class.
//   - A convolution has a small kernel per filter and input channel: its filters.
// A Dense layer in between (the CNN's, reading 1,600 features) is not a picture and is left out.
// Which layers are drawn follows from the model's layers, so a changed preset needs no change here.
// Pure: no DOM and no `vscode`, so it runs in the panel and in unit tests alike.
import * as tf from '@tensorflow/tfjs';
import { CLASS_COUNT, PIXELS_PER_IMAGE } from './model';
import { sequentialLayers } from './networkTrace';
import { incomingWeights, transpose, unitsByIncomingNorm } from './unitOrder';

/** Hidden units drawn by default: a grid of 8 × 4 fits the panel and shows the range of patterns. */
export const UNITS_SHOWN = 32;

/** Layers that only reshape, before the first one with weights: its input is still the picture. */
const SHAPE_ONLY = new Set(['Flatten', 'Reshape', 'InputLayer']);

export type WeightFigurePlan =
  | { kind: 'unitPictures'; layer: string; inputs: number; units: number }
  | { kind: 'classMap'; layer: string; inputs: number; classes: number }
  | { kind: 'filters'; layer: string; kernelShape: number[] };

export interface UnitPicture {
  unit: number;
  /** The Euclidean norm of its 784 weights, by which the units shown were chosen. */
  norm: number;
  /** Its 784 incoming weights, one per pixel, row-major: a 28 × 28 picture. */
  weights: Float32Array;
}

export type WeightFigure =
  | {
      kind: 'unitPictures';
      layer: string;
      /** Units of the layer, of which `shown` are the ones with the largest weights, largest first. */
      units: number;
      shown: UnitPicture[];
    }
  | {
      kind: 'classMap';
      layer: string;
      classes: number;
      inputs: number;
      /** classes × inputs, row-major: row c holds the weights from every input to class c's score. */
      values: Float32Array;
    }
  | {
      kind: 'filters';
      layer: string;
      /** [kernel height, kernel width, input channels, filters], TF.js' order. */
      kernelShape: number[];
      /** The kernel as TF.js stores it, in that order. */
      kernel: Float32Array;
    };

/** Which of `model`'s weights are drawn, and how (see the header). */
export function planWeightFigures(model: tf.LayersModel): WeightFigurePlan[] {
  const layers = sequentialLayers(model);
  const dense = layers.filter((layer) => layer.getClassName() === 'Dense');
  const last = dense.at(-1);
  let readsPicture = true;
  const plans: WeightFigurePlan[] = [];
  for (const layer of layers) {
    const className = layer.getClassName();
    const kernelShape = layer.getWeights()[0]?.shape;
    if (className === 'Conv2D' && kernelShape) {
      plans.push({ kind: 'filters', layer: layer.name, kernelShape });
    } else if (className === 'Dense' && kernelShape) {
      const [inputs, units] = kernelShape;
      if (readsPicture && inputs === PIXELS_PER_IMAGE) {
        plans.push({ kind: 'unitPictures', layer: layer.name, inputs, units });
      } else if (layer === last && units === CLASS_COUNT) {
        plans.push({ kind: 'classMap', layer: layer.name, inputs, classes: units });
      }
    }
    readsPicture &&= SHAPE_ONLY.has(className);
  }
  return plans;
}

/**
 * Reads the weights `plans` name from `model` as they are now (during training too: the kernels
 * are copied before the first await, so a training step meanwhile does not mix two states).
 */
export async function readWeightFigures(
  model: tf.LayersModel,
  plans: readonly WeightFigurePlan[],
  unitsShown = UNITS_SHOWN,
): Promise<WeightFigure[]> {
  const copies = plans.map((plan) => tf.clone(model.getLayer(plan.layer).getWeights()[0]));
  try {
    const kernels = (await Promise.all(copies.map((copy) => copy.data()))) as Float32Array[];
    return plans.map((plan, i) => figure(plan, kernels[i], unitsShown));
  } finally {
    tf.dispose(copies);
  }
}

function figure(plan: WeightFigurePlan, kernel: Float32Array, unitsShown: number): WeightFigure {
  switch (plan.kind) {
    case 'unitPictures': {
      const { inputs, units } = plan;
      const shown = unitsByIncomingNorm(kernel, inputs, units)
        .slice(0, unitsShown)
        .map(({ unit, norm }) => ({ unit, norm, weights: incomingWeights(kernel, inputs, units, unit) }));
      return { kind: 'unitPictures', layer: plan.layer, units, shown };
    }
    case 'classMap':
      return {
        kind: 'classMap',
        layer: plan.layer,
        classes: plan.classes,
        inputs: plan.inputs,
        values: transpose(kernel, plan.inputs, plan.classes),
      };
    case 'filters':
      return { kind: 'filters', layer: plan.layer, kernelShape: plan.kernelShape, kernel };
  }
}
