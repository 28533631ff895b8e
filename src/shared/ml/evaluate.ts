// Evaluation on the test set and predictions for single examples. Each function runs its tensor
// work inside tf.tidy and reads the results back once, then does the bookkeeping in plain JS.
import * as tf from '@tensorflow/tfjs';
import { CLASS_COUNT } from './model';
import { sparseCategoricalCrossentropy } from './loss';
import { argMax, confusionMatrix, overallAccuracy, perClassAccuracy } from './metrics';
import { disposeTensors, exampleCount, forEachChunk, gatherExamples, type ExampleBytes } from './tensors';

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
 * Loss, accuracy and confusion matrix from a single pass of predictions over the examples, in
 * chunks of `batchSize` (model.evaluate would run the model a second time just for loss and
 * accuracy). The summed loss and the predicted labels stay on the backend until one read at the end.
 */
export async function evaluateModel(
  model: tf.LayersModel,
  examples: ExampleBytes,
  batchSize: number,
): Promise<EvaluationResult> {
  const count = exampleCount(examples);
  const predictedChunks: tf.Tensor1D[] = [];
  let lossSum: tf.Tensor = tf.zeros([1]);
  try {
    forEachChunk(examples, batchSize, (chunk) => {
      const [nextSum, predicted] = tf.tidy(() => {
        // The whole chunk as one batch (predict's default is 32 rows at a time).
        const probabilities = model.predict(chunk.xs, { batchSize }) as tf.Tensor2D;
        const chunkLoss = tf.sum(sparseCategoricalCrossentropy(chunk.ys, probabilities)).reshape([1]);
        return [tf.add(lossSum, chunkLoss), tf.argMax(probabilities, -1).toFloat() as tf.Tensor1D] as const;
      });
      lossSum.dispose();
      lossSum = nextSum;
      predictedChunks.push(predicted);
    });
    // Packed as [loss sum, predicted labels...] so it comes back in one read.
    const packed = tf.concat([lossSum, ...predictedChunks]);
    const values = await packed.data();
    packed.dispose();
    const matrix = confusionMatrix(examples.labels, values.subarray(1), CLASS_COUNT);
    return {
      examples: count,
      loss: values[0] / count,
      accuracy: overallAccuracy(matrix),
      confusionMatrix: matrix,
      perClassAccuracy: perClassAccuracy(matrix),
    };
  } finally {
    tf.dispose([lossSum, ...predictedChunks]);
  }
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
  examples: ExampleBytes,
  indices: number[],
): Promise<SamplePrediction[]> {
  if (indices.length === 0) {
    return [];
  }
  const count = exampleCount(examples);
  const bad = indices.find((i) => !Number.isInteger(i) || i < 0 || i >= count);
  if (bad !== undefined) {
    throw new RangeError(`Example ${bad} does not exist; the set has ${count}.`);
  }
  const picked = gatherExamples(examples, indices);
  try {
    const predictions = await predictImages(model, picked.xs);
    return predictions.map((prediction, i) => ({
      index: indices[i],
      trueLabel: examples.labels[indices[i]],
      ...prediction,
    }));
  } finally {
    disposeTensors(picked);
  }
}

/** A test image with the model's answer: the training code's sample prediction plus pixels. */
export interface PredictedImage {
  /** 28 × 28 bytes, 0 = background, 255 = ink. */
  pixels: Uint8Array;
  trueLabel: number;
  /** Class with the highest probability. */
  predictedClass: number;
  /** Softmax output, one per class, summing to 1. */
  probabilities: readonly number[];
  /** Its number in the run's test set, when known: "Inside" then shows that test image. */
  testIndex?: number;
}
