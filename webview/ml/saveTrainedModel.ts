import * as tf from '@tensorflow/tfjs';
import type { ModelFiles } from '../../src/shared/protocol';
import type { SavedRun } from '../../src/shared/savedRun';

export type { ModelFiles } from '../../src/shared/protocol';

/**
 * Hands the trained model to the host (through `requestSave`), which writes it to storage
 * atomically; resolves with what `requestSave` answered. The weights travel as one ArrayBuffer,
 * which the webview channel transfers as binary.
 */
export async function saveTrainedModel<T>(
  model: tf.LayersModel,
  run: SavedRun,
  requestSave: (files: ModelFiles) => Promise<T>,
): Promise<T> {
  let answer: { value: T } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      answer = {
        value: await requestSave({
          modelTopology: artifacts.modelTopology,
          weightSpecs: artifacts.weightSpecs ?? [],
          weightData,
          run,
        }),
      };
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weightData.byteLength,
        },
      };
    }),
  );
  if (!answer) {
    throw new Error('TensorFlow.js did not hand over the model to save.');
  }
  return answer.value;
}
