// Evaluation on the test set and predictions for single examples. Each function runs its tensor
// work inside tf.tidy and reads the results back once, then does the bookkeeping in plain JS.
import * as tf from '@tensorflow/tfjs';
import { CLASS_COUNT } from './model';
import { sparseCategoricalCrossentropy } from './loss';
import { argMax, confusionMatrix, overallAccuracy, perClassAccuracy } from './metrics';
import type { LabeledTensors } from './tensors';

export interface EvaluationResult {
  examples: number;
  /** Mean sparse categorical cross-entropy, as `model.evaluate` reports it. */
  loss: number;
  accuracy: number;
  /** 10x10, rows = true class, columns = predicted class. */
  confusionMatrix: number[][];
  /** Per true class; `null` for a class with no test examples. */
  perClassAccuracy: (number | null)[];
}

/**
 * Loss, accuracy and confusion matrix from a single pass of predictions (model.evaluate would
 * run the model a second time just for loss and accuracy).
 */
export async function evaluateModel(
  model: tf.LayersModel,
  testX: tf.Tensor,
  testY: tf.Tensor,
  batchSize: number,
): Promise<EvaluationResult> {
  const examples = testX.shape[0];
  // Packed as [loss, predicted labels..., true labels...] so it comes back in one read.
  const packed = tf.tidy(() => {
    const probabilities = model.predict(testX, { batchSize }) as tf.Tensor2D;
    const loss = tf.mean(sparseCategoricalCrossentropy(testY, probabilities)).reshape([1]);
    return tf.concat([loss, tf.argMax(probabilities, -1).toFloat(), testY.toFloat()]);
  });
  const values = await packed.data();
  packed.dispose();
  const predicted = values.subarray(1, 1 + examples);
  const truth = values.subarray(1 + examples);
  const matrix = confusionMatrix(truth, predicted, CLASS_COUNT);
  return {
    examples,
    loss: values[0],
    accuracy: overallAccuracy(matrix),
    confusionMatrix: matrix,
    perClassAccuracy: perClassAccuracy(matrix),
  };
}

export interface Prediction {
  /** One probability per class, in label order. */
  probabilities: number[];
  predictedClass: number;
  /** The probability of the predicted class. */
  confidence: number;
}

export interface SamplePrediction extends Prediction {
  /** Which example of the set this is. */
  index: number;
  trueLabel: number;
}

function toPrediction(probabilities: number[]): Prediction {
  const predictedClass = argMax(probabilities);
  return { probabilities, predictedClass, confidence: probabilities[predictedClass] };
}

function rows(values: Float32Array | Int32Array | Uint8Array, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, i) =>
    Array.from(values.subarray(i * width, (i + 1) * width)),
  );
}

/** Predictions for a batch of images already scaled to [0, 1], shape [n, 28, 28]. */
export async function predictImages(model: tf.LayersModel, images: tf.Tensor3D): Promise<Prediction[]> {
  const probabilities = tf.tidy(() => model.predict(images) as tf.Tensor2D);
  const values = await probabilities.data();
  probabilities.dispose();
  return rows(values, CLASS_COUNT).map(toPrediction);
}

/** Predictions for chosen examples of a labelled set (e.g. a gallery of test images). */
export async function predictSamples(
  model: tf.LayersModel,
  examples: LabeledTensors,
  indices: number[],
): Promise<SamplePrediction[]> {
  if (indices.length === 0) {
    return [];
  }
  const count = examples.xs.shape[0];
  const bad = indices.find((i) => !Number.isInteger(i) || i < 0 || i >= count);
  if (bad !== undefined) {
    throw new RangeError(`Example ${bad} does not exist; the set has ${count}.`);
  }
  // Each row packed as [10 probabilities, true label] for a single read.
  const packed = tf.tidy(() => {
    const picked = tf.tensor1d(indices, 'int32');
    const probabilities = model.predict(tf.gather(examples.xs, picked)) as tf.Tensor2D;
    const labels = tf.gather(examples.ys, picked).toFloat().reshape([-1, 1]);
    return tf.concat([probabilities, labels], 1);
  });
  const values = await packed.data();
  packed.dispose();
  return rows(values, CLASS_COUNT + 1).map((row, i) => ({
    index: indices[i],
    trueLabel: row[CLASS_COUNT],
    ...toPrediction(row.slice(0, CLASS_COUNT)),
  }));
}
