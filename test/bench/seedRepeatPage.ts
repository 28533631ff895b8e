// The page of the seed check (seedRepeat.ts), run in headless Chromium: trains the panel's model
// with the extension's own data and training code from one seed, and hashes the weights as
// weights.bin holds them. Typed without the DOM library, like page.ts.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { FASHION_MNIST } from '../../src/shared/datasetFiles';
import { createModel, disposeModel, firstExamples, splitExamples, trainModel } from '../../src/shared/ml';
import { installWasmTrainingKernels } from '../../src/shared/ml/wasm';
import { applyWebglFlags } from '../../src/shared/ml/webglFlags';
import { defaultsFor } from '../../src/shared/settings';
import { DatasetUrls, loadDataset } from '../../webview/ml/loadDataset';
import type { SeedRepeatOptions, SeedRepeatResult } from './types';

async function hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function weightsHash(model: tf.LayersModel): Promise<string> {
  let bytes = new ArrayBuffer(0);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      bytes = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return hex(bytes);
}

async function trainSeeded(options: SeedRepeatOptions): Promise<SeedRepeatResult> {
  setWasmPaths(options.wasmUrl);
  applyWebglFlags();
  if (!(await tf.setBackend(options.backend)) || tf.getBackend() !== options.backend) {
    throw new Error(`The ${options.backend} backend did not start.`);
  }
  await tf.ready();
  installWasmTrainingKernels();
  const urls = Object.fromEntries(FASHION_MNIST.map((f) => [f.role, `${options.dataUrl}${f.name}`]));
  const dataset = await loadDataset({ urls: urls as DatasetUrls['urls'] });
  const settings = { ...defaultsFor(options.model), seed: options.seed };
  const model = createModel(settings);
  try {
    const initialHash = await weightsHash(model);
    const started = performance.now();
    await trainModel(
      model,
      splitExamples(firstExamples(dataset.train, options.trainImages), settings.validationSplit),
      {
        epochs: options.epochs,
        batchSize: settings.batchSize,
        learningRateDecay: settings.learningRateDecay,
        seed: options.seed,
      },
    );
    return { initialHash, trainedHash: await weightsHash(model), seconds: (performance.now() - started) / 1000 };
  } finally {
    disposeModel(model);
  }
}

Object.assign(globalThis, { trainSeeded });
