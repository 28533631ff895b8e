// What a training run needs from whoever trains: trainModel's contract (model, data, options with
// its callbacks and stop signal), the test-set evaluation, and the weights reached so far. One
// thread (the page itself) or several workers sit behind it alike.
import type * as tf from '@tensorflow/tfjs';
import { evaluateModel, type EvaluationResult } from '../evaluate';
import type { ExampleBytes } from '../tensors';
import { trainModel, type TrainingData, type TrainOptions, type TrainResult } from '../train';

export interface Trainer {
  /** Threads that train: 1 is the page's own, today's path. */
  readonly workers: number;
  /** As trainModel: afterwards `model` holds the trained weights (unless stopped). */
  train(model: tf.LayersModel, data: TrainingData, options: TrainOptions): Promise<TrainResult>;
  /** As evaluateModel, with `model`'s weights. */
  evaluate(model: tf.LayersModel, examples: ExampleBytes, batchSize: number): Promise<EvaluationResult>;
  /** Gives `model` the weights training has reached so far, for pictures drawn while it trains. */
  syncWeights(model: tf.LayersModel): Promise<void>;
  /** Ends whatever threads it started. */
  dispose(): void;
}

/** Today's path: the page trains `model` itself. */
export const singleThreadTrainer: Trainer = {
  workers: 1,
  train: trainModel,
  evaluate: evaluateModel,
  syncWeights: () => Promise.resolve(),
  dispose: () => undefined,
};
