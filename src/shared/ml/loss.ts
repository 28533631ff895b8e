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
 */
export function sparseCategoricalCrossentropy(labels: tf.Tensor, probabilities: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = probabilities.shape[probabilities.shape.length - 1];
    const oneHot = tf.oneHot(tf.cast(tf.floor(labels.flatten()), 'int32'), classes);
    return tf.metrics.categoricalCrossentropy(oneHot, tf.clipByValue(probabilities, EPSILON, 1 - EPSILON)) as tf.Tensor1D;
  });
}
