import * as tf from '@tensorflow/tfjs';
import type { SaveModelRequest } from '../../src/shared/protocol';
import type { SavedRun } from '../../src/shared/savedRun';

/** What the host needs to write a model: the request without its envelope. */
export type ModelFiles = Omit<SaveModelRequest, 'type' | 'id'>;

/**
 * Hands the trained model to the host (through `requestSave`), which writes it to storage
 * atomically. The weights travel as one ArrayBuffer, which the webview channel transfers as binary.
 */
export async function saveTrainedModel(
  model: tf.LayersModel,
  run: SavedRun,
  requestSave: (files: ModelFiles) => Promise<unknown>,
): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      await requestSave({
        modelTopology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData,
        run,
      });
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weightData.byteLength,
        },
      };
    }),
  );
}
