import * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../../src/shared/errorMessage';

/** The saved model could not be loaded: training again writes a new one. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

let cached: { version: string; model: tf.LayersModel } | undefined;

/** The saved model, loaded once per saved version: later classifications skip the load. */
export async function loadModel(url: string, version: string): Promise<tf.LayersModel> {
  if (cached?.version === version) {
    return cached.model;
  }
  cached?.model.dispose();
  cached = undefined;
  try {
    const model = await tf.loadLayersModel(url);
    cached = { version, model };
    return model;
  } catch (error) {
    throw new ModelLoadError(
      `The saved model could not be loaded (${errorMessage(error)}). Train it again: choose "Train now".`,
      { cause: error },
    );
  }
}
