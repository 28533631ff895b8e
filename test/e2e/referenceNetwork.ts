// A saved model computed again without TensorFlow.js: model.json's layers read as Keras
// describes them and weights.bin's float32 weights, with plain loops over arrays. The end-to-end
// tests hold what the panel shows inside the network against it, so a value the panel got wrong
// (a wrong layer read, a wrong order, a value recomputed differently) cannot agree with it by
// sharing the same code. Knows the layers of the presets: Reshape, Flatten, Dense, Dropout,
// Conv2D, MaxPooling2D, Activation and BatchNormalization, channels last, as TF.js saves them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LayerSpec {
  class_name: string;
  config: Record<string, unknown> & { name: string };
}

interface ModelJson {
  modelTopology: { config: { layers: LayerSpec[] } };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

export interface SavedWeight {
  shape: number[];
  values: Float32Array;
}

export interface SavedModel {
  layers: LayerSpec[];
  /** By the name model.json gives them, e.g. "hidden/kernel". */
  weights: Map<string, SavedWeight>;
}

/** A layer's output for one picture (no batch dimension), and a Dense layer's before its activation. */
export interface ReferenceValues {
  shape: number[];
  values: Float64Array;
  preActivation?: Float64Array;
}

/** Reads model.json and weights.bin from a run's folder. */
export function readSavedModel(folder: string): SavedModel {
  const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as ModelJson;
  const weights = new Map<string, SavedWeight>();
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((path) => readFileSync(join(folder, path))));
    let offset = 0;
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32') {
        throw new Error(`${spec.name} is ${spec.dtype}; only float32 weights are read here.`);
      }
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        values[i] = bytes.readFloatLE(offset + i * 4);
      }
      weights.set(spec.name, { shape: spec.shape, values });
      offset += count * 4;
    }
  }
  return { layers: json.modelTopology.config.layers, weights };
}

/** The weight `name` of layer `layer`, e.g. ("hidden", "kernel"). */
export function weightOf(model: SavedModel, layer: string, name: string): SavedWeight {
  const weight = model.weights.get(`${layer}/${name}`);
  if (!weight) {
    throw new Error(`The saved model has no ${layer}/${name}; it has ${[...model.weights.keys()].join(', ')}.`);
  }
  return weight;
}

function activate(values: Float64Array, activation: unknown): Float64Array {
  switch (activation ?? 'linear') {
    case 'linear':
      return values;
    case 'relu':
      return values.map((v) => Math.max(0, v));
    case 'softmax': {
      const largest = Math.max(...values);
      const exps = values.map((v) => Math.exp(v - largest));
      const sum = exps.reduce((a, b) => a + b, 0);
      return exps.map((e) => e / sum);
    }
    default:
      throw new Error(`The activation ${String(activation)} is not known here.`);
  }
}

function dense(model: SavedModel, spec: LayerSpec, x: Float64Array): ReferenceValues {
  const kernel = weightOf(model, spec.config.name, 'kernel');
  const [inputs, units] = kernel.shape;
  const bias = spec.config.use_bias === false ? undefined : weightOf(model, spec.config.name, 'bias').values;
  const z = new Float64Array(units);
  for (let j = 0; j < units; j++) {
    let sum = bias ? bias[j] : 0;
    for (let i = 0; i < inputs; i++) {
      sum += x[i] * kernel.values[i * units + j];
    }
    z[j] = sum;
  }
  return { shape: [units], values: activate(z, spec.config.activation), preActivation: z };
}

const pair = (value: unknown): [number, number] =>
  Array.isArray(value) ? [value[0], value[1]] : [value as number, value as number];

function conv2d(model: SavedModel, spec: LayerSpec, x: Float64Array, shape: number[]): ReferenceValues {
  const [height, width, channels] = shape;
  const kernel = weightOf(model, spec.config.name, 'kernel');
  const [kh, kw, inC, filters] = kernel.shape;
  if (inC !== channels) {
    throw new Error(`${spec.config.name} expects ${inC} channels, gets ${channels}.`);
  }
  const [sy, sx] = pair(spec.config.strides ?? 1);
  const same = spec.config.padding === 'same';
  const outH = same ? Math.ceil(height / sy) : Math.floor((height - kh) / sy) + 1;
  const outW = same ? Math.ceil(width / sx) : Math.floor((width - kw) / sx) + 1;
  const padTop = same ? Math.floor(Math.max(0, (outH - 1) * sy + kh - height) / 2) : 0;
  const padLeft = same ? Math.floor(Math.max(0, (outW - 1) * sx + kw - width) / 2) : 0;
  const bias = spec.config.use_bias === false ? undefined : weightOf(model, spec.config.name, 'bias').values;
  const z = new Float64Array(outH * outW * filters);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let f = 0; f < filters; f++) {
        let sum = bias ? bias[f] : 0;
        for (let ky = 0; ky < kh; ky++) {
          const y = oy * sy + ky - padTop;
          if (y < 0 || y >= height) continue;
          for (let kx = 0; kx < kw; kx++) {
            const xx = ox * sx + kx - padLeft;
            if (xx < 0 || xx >= width) continue;
            for (let c = 0; c < channels; c++) {
              sum += x[(y * width + xx) * channels + c] * kernel.values[((ky * kw + kx) * inC + c) * filters + f];
            }
          }
        }
        z[(oy * outW + ox) * filters + f] = sum;
      }
    }
  }
  return { shape: [outH, outW, filters], values: activate(z, spec.config.activation), preActivation: z };
}

function maxPool(spec: LayerSpec, x: Float64Array, shape: number[]): ReferenceValues {
  const [height, width, channels] = shape;
  const [ph, pw] = pair(spec.config.pool_size ?? 2);
  const [sy, sx] = pair(spec.config.strides ?? [ph, pw]);
  if (spec.config.padding === 'same') {
    throw new Error('Max pooling with "same" padding is not known here.');
  }
  const outH = Math.floor((height - ph) / sy) + 1;
  const outW = Math.floor((width - pw) / sx) + 1;
  const out = new Float64Array(outH * outW * channels).fill(-Infinity);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let c = 0; c < channels; c++) {
        let largest = -Infinity;
        for (let y = oy * sy; y < oy * sy + ph; y++) {
          for (let xx = ox * sx; xx < ox * sx + pw; xx++) {
            largest = Math.max(largest, x[(y * width + xx) * channels + c]);
          }
        }
        out[(oy * outW + ox) * channels + c] = largest;
      }
    }
  }
  return { shape: [outH, outW, channels], values: out };
}

function batchNorm(model: SavedModel, spec: LayerSpec, x: Float64Array, shape: number[]): ReferenceValues {
  const name = spec.config.name;
  const channels = shape.at(-1)!;
  const epsilon = (spec.config.epsilon as number) ?? 0.001;
  const gamma = spec.config.scale === false ? undefined : weightOf(model, name, 'gamma').values;
  const beta = spec.config.center === false ? undefined : weightOf(model, name, 'beta').values;
  const mean = weightOf(model, name, 'moving_mean').values;
  const variance = weightOf(model, name, 'moving_variance').values;
  const out = x.map((v, i) => {
    const c = i % channels;
    return ((v - mean[c]) / Math.sqrt(variance[c] + epsilon)) * (gamma ? gamma[c] : 1) + (beta ? beta[c] : 0);
  });
  return { shape, values: out };
}

/**
 * Every layer's output for `input` (784 values, the picture scaled to [0, 1]), by layer name, as
 * predict computes it: Dropout passes values through.
 */
export function referenceForward(model: SavedModel, input: ArrayLike<number>): Map<string, ReferenceValues> {
  const outputs = new Map<string, ReferenceValues>();
  let shape = [28, 28];
  let x: Float64Array = Float64Array.from(input);
  for (const spec of model.layers) {
    let result: ReferenceValues;
    switch (spec.class_name) {
      case 'Flatten':
        result = { shape: [x.length], values: x };
        break;
      case 'Reshape':
        result = { shape: spec.config.target_shape as number[], values: x };
        break;
      case 'Dropout':
        result = { shape, values: x };
        break;
      case 'Dense':
        result = dense(model, spec, x);
        break;
      case 'Conv2D':
        result = conv2d(model, spec, x, shape);
        break;
      case 'MaxPooling2D':
        result = maxPool(spec, x, shape);
        break;
      case 'Activation':
        result = { shape, values: activate(x, spec.config.activation) };
        break;
      case 'BatchNormalization':
        result = batchNorm(model, spec, x, shape);
        break;
      default:
        throw new Error(`The layer ${spec.class_name} is not known here.`);
    }
    outputs.set(spec.config.name, result);
    shape = result.shape;
    x = result.values;
  }
  return outputs;
}
