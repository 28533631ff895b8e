import * as tf from '@tensorflow/tfjs';
import type { SavedRun } from '../../src/shared/savedRun';
import { requestSaveModel } from '../hostRequests';

/**
 * Hands the trained model to the host, which writes it to storage atomically. The weights
 * travel as one ArrayBuffer, which the webview channel transfers as binary.
 */
export async function saveTrainedModel(model: tf.LayersModel, run: SavedRun): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      await requestSaveModel({
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
