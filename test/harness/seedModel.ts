// A trained model put into an editor's storage before the editor starts, for tests of what the
// extension does with a saved model (classifying) without training through the panel first.
// Trained here in Node on TF.js' CPU backend: 2,000 real training images, one epoch, a second or two.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ModelStore, type WeightSpec } from '../../src/model/modelStore';
import { parseIdxImages, parseIdxLabels } from '../../src/shared/idx';
import { createModel, disposeModel, evaluateModel, firstExamples, trainModel } from '../../src/shared/ml';
import type { ExampleBytes } from '../../src/shared/ml/tensors';
import type { SavedRun } from '../../src/shared/savedRun';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { systemDatasetDir } from './paths';

function loadSystemSet(prefix: 'train' | 't10k'): ExampleBytes {
  const read = (kind: string) => gunzipSync(readFileSync(join(systemDatasetDir, `${prefix}-${kind}.gz`)));
  return {
    pixels: parseIdxImages(read('images-idx3-ubyte'), prefix).pixels,
    labels: parseIdxLabels(read('labels-idx1-ubyte'), prefix).labels,
  };
}

/** Trains a small model and saves it where the extension keeps its model under `globalStorage`. */
export async function seedTrainedModel(globalStorage: string): Promise<SavedRun> {
  await tf.setBackend('cpu');
  const settings = { ...DEFAULT_SETTINGS, epochs: 1, trainSubsetSize: 2000, testSubsetSize: 500, validationSplit: 0 };
  const model = createModel(settings);
  const train = firstExamples(loadSystemSet('train'), settings.trainSubsetSize);
  const test = firstExamples(loadSystemSet('t10k'), settings.testSubsetSize);
  try {
    const { history } = await trainModel(model, { train }, { epochs: settings.epochs, batchSize: settings.batchSize });
    const evaluation = await evaluateModel(model, test, 500);
    const run: SavedRun = {
      finishedAt: new Date().toISOString(),
      settings,
      backend: 'cpu',
      trainCount: settings.trainSubsetSize,
      validationCount: 0,
      testCount: settings.testSubsetSize,
      history,
      evaluation: { loss: evaluation.loss, accuracy: evaluation.accuracy, confusionMatrix: evaluation.confusionMatrix },
      predictions: [],
    };
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weightData = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
        await (
          await ModelStore.open(globalStorage)
        ).save({
          modelTopology: artifacts.modelTopology,
          weightSpecs: (artifacts.weightSpecs ?? []) as WeightSpec[],
          weightData,
          run,
        });
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    return run;
  } finally {
    disposeModel(model);
  }
}
