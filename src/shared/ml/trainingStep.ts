// One training step and one validation pass with the model's own optimizer and the loss and
// metric it is compiled with (loss.ts computes that loss): the arithmetic of model.fit without fit's per-batch bookkeeping,
// which cost about 1.5 ms of a 5.5 ms step on the WASM backend (callbacks, logs, a hundred small
// tensor ops).
import * as tf from '@tensorflow/tfjs';
import { LOSS_NAME, sparseCategoricalCrossentropy } from './loss';
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

export type TrainingStep = (xs: tf.Tensor, ys: tf.Tensor) => StepMetrics;

/**
 * A function that trains `model` on one batch, as fit does: a forward pass in training mode
 * (dropout on), the compiled loss averaged over the batch, one optimizer update of the
 * trainable weights, and the compiled metric of that same forward pass.
 */
export function createTrainingStep(model: tf.LayersModel): TrainingStep {
  const { optimizer, loss, accuracy } = compiledParts(model);
  // The same variables all along: an update assigns new values to them.
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return (xs, ys) => {
    let batchAccuracy: tf.Scalar | undefined;
    const batchLoss = optimizer.minimize(
      () => {
        const predicted = model.apply(xs, { training: true }) as tf.Tensor;
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
