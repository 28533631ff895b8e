// One training step and one validation pass with the model's own optimizer and the loss and
// metric it is compiled with (loss.ts computes that loss): the arithmetic of model.fit without fit's per-batch bookkeeping,
// which cost about 1.5 ms of a 5.5 ms step on the WASM backend (callbacks, logs, a hundred small
// tensor ops).
import * as tf from '@tensorflow/tfjs';
import { dropoutMasks } from './dropoutMasks';
import { LOSS_NAME, sparseCategoricalCrossentropy } from './loss';
import { sequentialLayers } from './networkTrace';
import { exampleCount, forEachChunk, type ExampleBytes } from './tensors';

type LossOrMetric = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

interface Compiled {
  optimizer: tf.Optimizer;
  loss: LossOrMetric;
  accuracy: LossOrMetric;
}

function compiledParts(model: tf.LayersModel): Compiled {
  if (!model.optimizer || model.loss !== LOSS_NAME || model.outputs.length !== 1) {
    throw new Error(
      `Training here needs a model with one output, compiled with an optimizer and the ${LOSS_NAME} loss.`,
    );
  }
  return {
    optimizer: model.optimizer,
    loss: sparseCategoricalCrossentropy,
    accuracy: tf.metrics.sparseCategoricalAccuracy,
  };
}

/** Mean loss and accuracy of one batch, as scalars the caller disposes. (A type, not an interface, so tf.tidy can return it.) */
export type StepMetrics = {
  loss: tf.Scalar;
  accuracy: tf.Scalar;
};

/**
 * Where a batch comes from, which decides its dropout masks: the epoch and each example's row in
 * the training set. A batch split across workers keeps each example's row, and so its mask.
 */
export interface BatchOrigin {
  /** 1-based. */
  epoch: number;
  /** The row of each example of the batch in the training set, in the batch's order. */
  rows: ArrayLike<number>;
}

export type TrainingStep = (xs: tf.Tensor, ys: tf.Tensor, origin: BatchOrigin) => StepMetrics;

/** The rows `start` to `end` − 1, for a batch of consecutive examples. */
export function rowRange(start: number, end: number): Int32Array {
  return Int32Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}

function checkOrigin(xs: tf.Tensor, origin: BatchOrigin): void {
  if (origin.rows.length !== xs.shape[0]) {
    throw new RangeError(`A batch of ${xs.shape[0]} examples came with ${origin.rows.length} rows.`);
  }
}

/** A Dropout layer's rate, or undefined for any other layer. */
function dropoutRate(layer: tf.layers.Layer): number | undefined {
  if (layer.getClassName() !== 'Dropout') {
    return undefined;
  }
  const config = layer.getConfig();
  if (config.noiseShape != null) {
    throw new Error(
      `Training here draws a dropout mask per example; ${layer.name} has a noise shape, which it cannot follow.`,
    );
  }
  return config.rate as number;
}

/** The forward pass of a training step, predictions for a batch from where it comes (see createTrainingForward). */
export type TrainingForward = (xs: tf.Tensor, origin: BatchOrigin) => tf.Tensor;

/**
 * The forward pass of a training step: the model's own layers in order, in training mode,
 * except that each Dropout layer multiplies by the masks of the batch's examples (see
 * dropoutMasks.ts) instead of drawing its own. The layers stay TF.js' own, so the saved model is
 * a plain one; only training draws differently. A worker that computes the gradients of part of
 * a batch runs this on its rows and sees what the whole batch's step would for them.
 */
export function createTrainingForward(model: tf.LayersModel, seed: number): TrainingForward {
  const layers = sequentialLayers(model);
  const rates = layers.map(dropoutRate);
  return (xs, origin) => {
    checkOrigin(xs, origin);
    let x = xs;
    layers.forEach((layer, index) => {
      const rate = rates[index];
      if (rate === undefined) {
        x = layer.apply(x, { training: true }) as tf.Tensor;
      } else if (rate > 0 && rate < 1) {
        // TF.js' Dropout passes its input through for a rate of 0 (or 1), and so does this.
        const units = x.size / x.shape[0];
        const masks = dropoutMasks({ seed, epoch: origin.epoch, layer: index }, origin.rows, units, rate);
        x = tf.mul(x, tf.tensor(masks, x.shape, 'float32'));
      }
    });
    return x;
  };
}

/**
 * A function that trains `model` on one batch, as fit does: a forward pass in training mode
 * (dropout on, its masks drawn from `seed` and the batch's origin), the compiled loss averaged
 * over the batch, one optimizer update of the trainable weights, and the compiled metric of that
 * same forward pass.
 */
export function createTrainingStep(model: tf.LayersModel, seed: number): TrainingStep {
  const { optimizer, loss, accuracy } = compiledParts(model);
  const forward = createTrainingForward(model, seed);
  // The same variables all along: an update assigns new values to them.
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return (xs, ys, origin) => {
    // Before the gradient tape starts: an error inside it would leave the tape's bookkeeping open.
    checkOrigin(xs, origin);
    let batchAccuracy: tf.Scalar | undefined;
    const batchLoss = optimizer.minimize(
      () => {
        const predicted = forward(xs, origin);
        batchAccuracy = tf.keep(tf.mean(accuracy(ys, predicted)) as tf.Scalar);
        return tf.mean(loss(ys, predicted)) as tf.Scalar;
      },
      true,
      variables,
    );
    return { loss: batchLoss!, accuracy: batchAccuracy! };
  };
}

/**
 * Mean loss and accuracy over a whole set, in chunks of `batchSize` made from its bytes (the
 * result does not depend on the size; larger chunks are faster). The sums stay on the backend
 * until one read at the end.
 */
export async function lossAndAccuracy(
  model: tf.LayersModel,
  examples: ExampleBytes,
  batchSize: number,
): Promise<{ loss: number; accuracy: number }> {
  const { loss, accuracy } = compiledParts(model);
  let sums: tf.Tensor = tf.zeros([2]);
  try {
    forEachChunk(examples, batchSize, (chunk) => {
      const next = tf.tidy(() => {
        // The whole chunk as one batch (predict's default is 32 rows at a time).
        const predicted = model.predict(chunk.xs, { batchSize }) as tf.Tensor;
        return tf.add(sums, tf.stack([tf.sum(loss(chunk.ys, predicted)), tf.sum(accuracy(chunk.ys, predicted))]));
      });
      sums.dispose();
      sums = next;
    });
    const [lossSum, correct] = await sums.data();
    const count = exampleCount(examples);
    return { loss: lossSum / count, accuracy: correct / count };
  } finally {
    sums.dispose();
  }
}
