// One worker's copy of the model in data-parallel training: the gradient of its slice of a batch,
// the update with the summed gradient, and scoring a share of a set. Pure TF.js (no DOM, no
// worker API), so the arithmetic is unit-tested in Node on the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { LOSS_NAME, sparseCategoricalCrossentropy } from '../loss';
import { forEachChunk, toTensors, type ExampleBytes } from '../tensors';
import { adjustableLearningRate, copyTensorValues } from '../tfInternals';
import { createTrainingForward, type TrainingForward } from '../trainingStep';
import { flatLayout, weightView, type FlatLayout } from './flatWeights';

/** A worker's rows of one batch, with what seeded per-example dropout will draw its masks from. */
export interface SliceBatch {
  examples: ExampleBytes;
  /** The whole batch's size (every worker's rows): the slice's loss is divided by it. */
  batchSize: number;
  /** Global row indices of the slice's examples in the training set. */
  rows: Int32Array;
  /** 1-based. */
  epoch: number;
}

/** Loss and right answers summed over some examples, and each example's predicted class. */
export interface Scores {
  lossSum: number;
  correct: number;
  count: number;
  predicted: Uint8Array;
}

/** Floats after the gradient in a slice's buffer: its loss sum and its right answers. */
export const SLICE_FIGURES = 2;

/** The layout of every weight of `model`, in its order (the order of weights.bin). */
export function modelLayout(model: tf.LayersModel): FlatLayout {
  return flatLayout(model.weights.map((w) => w.shape as number[]));
}

/** All of `model`'s weights in one flat copy. */
export function readFlatWeights(model: tf.LayersModel): Float32Array {
  const layout = modelLayout(model);
  const flat = new Float32Array(layout.length);
  model.weights.forEach((weight, i) => flat.set(weight.read().dataSync() as Float32Array, layout.offsets[i]));
  return flat;
}

/** Gives `model` the weights of `flat` (as readFlatWeights lays them out). */
export function writeFlatWeights(model: tf.LayersModel, flat: Float32Array): void {
  const layout = modelLayout(model);
  if (flat.length !== layout.length) {
    throw new RangeError(`${flat.length} floats do not make this model's ${layout.length} weights.`);
  }
  tf.tidy(() => model.setWeights(layout.shapes.map((shape, i) => tf.tensor(weightView(flat, layout, i), shape))));
}

export class Replica {
  /** The trainable weights, which get gradients, in the model's order. */
  private readonly variables: tf.Variable[];
  readonly gradientLayout: FlatLayout;
  /** This replica's slice gradient, reused batch after batch (its copy is what is sent). */
  private readonly gradient: Float32Array;

  /** The training forward pass with the run's per-example dropout masks. */
  private readonly forward: TrainingForward;

  /**
   * `model` is compiled as createModel compiles it (an optimizer, the sparse cross-entropy loss);
   * `seed` is the run's, so each example gets the dropout masks one thread would give it.
   */
  constructor(
    readonly model: tf.LayersModel,
    seed: number,
  ) {
    if (!model.optimizer || model.loss !== LOSS_NAME) {
      throw new Error(`A replica needs a model compiled with an optimizer and the ${LOSS_NAME} loss.`);
    }
    this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.gradientLayout = flatLayout(this.variables.map((v) => v.shape));
    this.gradient = new Float32Array(this.gradientLayout.length + SLICE_FIGURES);
    this.forward = createTrainingForward(model, seed);
  }

  /**
   * The gradient of the slice's summed loss divided by the whole batch's size, so that the
   * workers' gradients add up to the gradient of the batch's mean loss; then the slice's loss sum
   * and right answers. A forward pass in training mode, with each example's own dropout masks (its
   * epoch and row decide them, wherever the example is computed). The returned buffer
   * is overwritten by the next call.
   */
  sliceGradient(slice: SliceBatch): Float32Array {
    const { forward, variables, gradient } = this;
    const batch = toTensors(slice.examples);
    try {
      let figures: tf.Tensor | undefined;
      const { grads, value } = tf.variableGrads(() => {
        const predicted = forward(batch.xs, { epoch: slice.epoch, rows: slice.rows });
        const losses = sparseCategoricalCrossentropy(batch.ys, predicted);
        const lossSum = tf.sum(losses);
        figures = tf.keep(tf.stack([lossSum, tf.sum(tf.metrics.sparseCategoricalAccuracy(batch.ys, predicted))]));
        return tf.div(lossSum, slice.batchSize) as tf.Scalar;
      }, variables);
      variables.forEach((variable, i) =>
        copyTensorValues(grads[variable.name], gradient, this.gradientLayout.offsets[i]),
      );
      copyTensorValues(figures!, gradient, this.gradientLayout.length);
      tf.dispose([value, figures!, ...Object.values(grads)]);
    } finally {
      tf.dispose([batch.xs, batch.ys]);
    }
    return gradient;
  }

  /** One optimizer step with `summed` (the slices' gradients added up) at `learningRate`. */
  apply(summed: Float32Array, learningRate: number): void {
    const rate = adjustableLearningRate(this.model.optimizer);
    if (rate) {
      rate.learningRate = learningRate;
    }
    tf.tidy(() => {
      const gradients: tf.NamedTensorMap = {};
      this.variables.forEach((variable, i) => {
        gradients[variable.name] = tf.tensor(weightView(summed, this.gradientLayout, i), variable.shape);
      });
      this.model.optimizer.applyGradients(gradients);
    });
  }

  /** Scores examples in chunks of `chunkSize`, in inference mode, as model.evaluate would. */
  score(examples: ExampleBytes, chunkSize: number): Scores {
    const count = examples.labels.length;
    const predicted = new Uint8Array(count);
    let lossSum = 0;
    let correct = 0;
    forEachChunk(examples, chunkSize, (chunk, start) => {
      const [sums, classes] = tf.tidy(() => {
        const probabilities = this.model.predict(chunk.xs, { batchSize: chunkSize }) as tf.Tensor2D;
        const loss = tf.sum(sparseCategoricalCrossentropy(chunk.ys, probabilities));
        const right = tf.sum(tf.metrics.sparseCategoricalAccuracy(chunk.ys, probabilities));
        return [tf.stack([loss, right]), tf.argMax(probabilities, -1)];
      });
      const [chunkLoss, chunkCorrect] = sums.dataSync();
      lossSum += chunkLoss;
      correct += chunkCorrect;
      predicted.set(classes.dataSync(), start);
      tf.dispose([sums, classes]);
    });
    return { lossSum, correct, count, predicted };
  }
}
