// The loss the model is compiled with, for the code that computes it outside model.fit.
import * as tf from '@tensorflow/tfjs';

/** The name the model is compiled with; the function below is what TF.js runs for it. */
export const LOSS_NAME = 'sparseCategoricalCrossentropy';

/** Keras clips probabilities by this before taking the log, so a confident miss stays finite. */
const EPSILON = 1e-7;

/**
 * Sparse categorical cross-entropy per example, as TF.js computes it for a softmax output:
 * −log of the probability given to the true class, clipped to [ε, 1 − ε].
 * `labels` holds class indices (any numeric dtype), `probabilities` is [n, classes].
 *
 * TF.js also divides the probabilities by their sum and clips twice. For a softmax output the
 * sum is 1, and the division changes neither the loss nor the gradient that reaches the logits
 * (a softmax's outputs move together, summing to 1); leaving it out saves a dozen tensor ops in
 * every training step. A unit test holds training steps equal to TF.js' own.
 */
export function sparseCategoricalCrossentropy(labels: tf.Tensor, probabilities: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = probabilities.shape[probabilities.shape.length - 1];
    const oneHot = tf.oneHot(tf.cast(labels.flatten(), 'int32'), classes);
    return tf.neg(
      tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probabilities, EPSILON, 1 - EPSILON))), -1),
    ) as tf.Tensor1D;
  });
}
