// A saved run's network as Keras code: each layer of model.json's topology (the Keras JSON TF.js
// writes) becomes the Keras 3 constructor call that builds it, with the same sizes, activations
// and names, so that the run's weights fit it by name. Only the layer kinds the extension's
// models use are understood; anything else is refused with a message rather than guessed. Pure.
import { pyBool, pyKeywords, pyNumber, pyString, pyTuple } from './python';

/** The network as Keras code, for a `keras.Sequential([...])`. */
export interface KerasModelCode {
  /** `keras.Input(shape=(28, 28))`. */
  input: string;
  /** One constructor call per layer, in order, e.g. `keras.layers.Dense(256, activation="relu", name="hidden")`. */
  layers: string[];
  /** The layers' names, in order. */
  layerNames: string[];
}

/** model.json describes a network the notebook cannot rebuild in Keras. */
export class UnsupportedModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedModelError';
  }
}

type Config = Record<string, unknown>;

const ACTIVATIONS = new Set([
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
  'swish',
]);

const isObject = (v: unknown): v is Config => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(layer: string, what: string): never {
  throw new UnsupportedModelError(`Layer ${layer}: ${what}; the notebook cannot rebuild it in Keras.`);
}

function positiveInts(value: unknown, layer: string, what: string): number[] {
  const values = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(values) || !values.every((v) => Number.isInteger(v) && v > 0)) {
    fail(layer, `${what} ${JSON.stringify(value)} is not a list of sizes`);
  }
  return values as number[];
}

/** `3` for a square (3, 3), else the tuple. */
function sizeArg(values: number[]): string {
  return values.length === 2 && values[0] === values[1] ? pyNumber(values[0]) : pyTuple(values);
}

function activationArg(config: Config, layer: string): string | undefined {
  const activation = config.activation ?? 'linear';
  if (typeof activation !== 'string' || !ACTIVATIONS.has(activation)) {
    fail(layer, `activation ${JSON.stringify(activation)} is not one Keras has under that name`);
  }
  return activation === 'linear' ? undefined : pyString(activation);
}

function numberIn(config: Config, key: string, layer: string): number {
  const value = config[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(layer, `${key} ${JSON.stringify(value)} is not a number`);
  }
  return value;
}

/**
 * The kernel initializer, for a model trained again from scratch: TF.js' default is Glorot's
 * normal one, Keras' the uniform one. Only Keras' name when it has one; undefined for Keras' default.
 */
function initializerArg(value: unknown): string | undefined {
  if (!isObject(value) || !isObject(value.config)) {
    return undefined;
  }
  const { scale, mode, distribution } = value.config;
  if (value.class_name === 'Zeros') {
    return pyString('zeros');
  }
  if (value.class_name !== 'VarianceScaling' || typeof scale !== 'number' || typeof mode !== 'string') {
    return undefined;
  }
  const named: Record<string, string> = {
    '1 fan_avg normal': 'glorot_normal',
    '1 fan_avg uniform': 'glorot_uniform',
    '2 fan_in normal': 'he_normal',
    '2 fan_in uniform': 'he_uniform',
    '1 fan_in normal': 'lecun_normal',
    '1 fan_in uniform': 'lecun_uniform',
  };
  const name = named[`${scale} ${mode} ${distribution}`];
  if (name === 'glorot_uniform') {
    return undefined;
  }
  if (name) {
    return pyString(name);
  }
  // TF.js' "normal" draws from a truncated normal distribution, as Keras' "truncated_normal" does.
  const kerasDistribution = distribution === 'uniform' ? 'uniform' : 'truncated_normal';
  return `keras.initializers.VarianceScaling(scale=${pyNumber(scale)}, mode=${pyString(mode)}, distribution=${pyString(kerasDistribution)})`;
}

function useBiasArg(config: Config): string | undefined {
  return config.use_bias === false ? pyBool(false) : undefined;
}

function call(constructor: string, positional: string[], keywords: Record<string, string | undefined>): string {
  return `keras.layers.${constructor}(${[...positional, ...pyKeywords(keywords)].join(', ')})`;
}

/** The Keras constructor call for one layer of the topology. */
function layerCode(kind: string, config: Config, name: string): string {
  const named = { name: pyString(name) };
  switch (kind) {
    case 'Reshape':
      return call('Reshape', [pyTuple(positiveInts(config.target_shape, name, 'target shape'))], named);
    case 'Flatten':
      return call('Flatten', [], named);
    case 'Dropout': {
      const rate = numberIn(config, 'rate', name);
      return call('Dropout', [pyNumber(rate)], named);
    }
    case 'Activation':
      return call('Activation', [activationArg(config, name) ?? pyString('linear')], named);
    case 'Dense': {
      const units = numberIn(config, 'units', name);
      return call('Dense', [pyNumber(units)], {
        activation: activationArg(config, name),
        use_bias: useBiasArg(config),
        kernel_initializer: initializerArg(config.kernel_initializer),
        ...named,
      });
    }
    case 'Conv2D': {
      if ((config.data_format ?? 'channels_last') !== 'channels_last') {
        fail(name, `data format ${JSON.stringify(config.data_format)} is not channels_last`);
      }
      const strides = positiveInts(config.strides ?? 1, name, 'strides');
      const dilation = positiveInts(config.dilation_rate ?? 1, name, 'dilation rate');
      const padding = config.padding ?? 'valid';
      if (padding !== 'valid' && padding !== 'same') {
        fail(name, `padding ${JSON.stringify(padding)} is not valid or same`);
      }
      return call(
        'Conv2D',
        [pyNumber(numberIn(config, 'filters', name)), sizeArg(positiveInts(config.kernel_size, name, 'kernel size'))],
        {
          strides: strides.every((s) => s === 1) ? undefined : sizeArg(strides),
          padding: padding === 'same' ? pyString('same') : undefined,
          dilation_rate: dilation.every((d) => d === 1) ? undefined : sizeArg(dilation),
          activation: activationArg(config, name),
          use_bias: useBiasArg(config),
          kernel_initializer: initializerArg(config.kernel_initializer),
          ...named,
        },
      );
    }
    case 'MaxPooling2D': {
      const pool = positiveInts(config.pool_size ?? 2, name, 'pool size');
      const strides = config.strides == null ? pool : positiveInts(config.strides, name, 'strides');
      const padding = config.padding ?? 'valid';
      if (padding !== 'valid' && padding !== 'same') {
        fail(name, `padding ${JSON.stringify(padding)} is not valid or same`);
      }
      return call('MaxPooling2D', [sizeArg(pool)], {
        strides: strides.join() === pool.join() ? undefined : sizeArg(strides),
        padding: padding === 'same' ? pyString('same') : undefined,
        ...named,
      });
    }
    case 'BatchNormalization': {
      const axis = config.axis ?? -1;
      const momentum = numberIn({ momentum: 0.99, ...config }, 'momentum', name);
      const epsilon = numberIn({ epsilon: 0.001, ...config }, 'epsilon', name);
      if (axis !== -1 && axis !== 3) {
        fail(name, `axis ${JSON.stringify(axis)} is not the channels`);
      }
      return call('BatchNormalization', [], {
        momentum: momentum === 0.99 ? undefined : pyNumber(momentum),
        epsilon: epsilon === 0.001 ? undefined : pyNumber(epsilon),
        center: config.center === false ? pyBool(false) : undefined,
        scale: config.scale === false ? pyBool(false) : undefined,
        ...named,
      });
    }
    default:
      fail(name, `${kind} layers are not among those this notebook builds`);
  }
}

/** The layers of model.json's `modelTopology`: a Sequential model, wrapped in `model_config` or not. */
function sequentialLayers(topology: unknown): Config[] {
  const model = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
  if (!isObject(model) || model.class_name !== 'Sequential' || !isObject(model.config)) {
    throw new UnsupportedModelError('model.json does not describe a Sequential model.');
  }
  const layers = model.config.layers;
  if (!Array.isArray(layers) || layers.length === 0 || !layers.every(isObject)) {
    throw new UnsupportedModelError('model.json lists no layers.');
  }
  return layers;
}

/** The Keras code of the network model.json's `modelTopology` describes. */
export function kerasModelCode(topology: unknown): KerasModelCode {
  const layers = sequentialLayers(topology);
  const layerNames: string[] = [];
  const code = layers.map((layer, i) => {
    const config = isObject(layer.config) ? layer.config : {};
    const name = config.name;
    if (typeof name !== 'string' || name === '' || typeof layer.class_name !== 'string') {
      throw new UnsupportedModelError(`Layer ${i + 1} of model.json has no name or kind.`);
    }
    if (layerNames.includes(name)) {
      throw new UnsupportedModelError(`Two layers of model.json are named ${name}.`);
    }
    layerNames.push(name);
    return layerCode(layer.class_name, config, name);
  });
  const first = isObject(layers[0].config) ? layers[0].config : {};
  const batchShape = first.batch_input_shape;
  if (!Array.isArray(batchShape) || batchShape.length < 2 || batchShape[0] !== null) {
    throw new UnsupportedModelError("model.json does not give the first layer's input shape.");
  }
  const input = `keras.Input(shape=${pyTuple(positiveInts(batchShape.slice(1), layerNames[0], 'input shape'))})`;
  return { input, layers: code, layerNames };
}
