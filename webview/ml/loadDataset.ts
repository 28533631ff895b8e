// Fetches the verified IDX files the host prepared and turns them into examples.
import { DatasetRole } from '../../src/shared/datasetFiles';
import { checkSameCount, parseIdxImages, parseIdxLabels } from '../../src/shared/idx';
import type { ExampleBytes } from '../../src/shared/ml/tensors';

export interface LoadedDataset {
  train: ExampleBytes;
  test: ExampleBytes;
}

async function fetchBytes(url: string, what: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`${what} could not be read (HTTP ${response.status}).`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Loads the training and test sets, as Keras' `load_data` returns them. */
export async function loadDataset(urls: Record<DatasetRole, string>): Promise<LoadedDataset> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    fetchBytes(urls.trainImages, 'train-images-idx3-ubyte'),
    fetchBytes(urls.trainLabels, 'train-labels-idx1-ubyte'),
    fetchBytes(urls.testImages, 't10k-images-idx3-ubyte'),
    fetchBytes(urls.testLabels, 't10k-labels-idx1-ubyte'),
  ]);
  const train = {
    images: parseIdxImages(trainImages, 'train-images-idx3-ubyte'),
    labels: parseIdxLabels(trainLabels, 'train-labels-idx1-ubyte'),
  };
  const test = {
    images: parseIdxImages(testImages, 't10k-images-idx3-ubyte'),
    labels: parseIdxLabels(testLabels, 't10k-labels-idx1-ubyte'),
  };
  checkSameCount(train.images, train.labels, 'training set');
  checkSameCount(test.images, test.labels, 'test set');
  return {
    train: { pixels: train.images.pixels, labels: train.labels.labels },
    test: { pixels: test.images.pixels, labels: test.labels.labels },
  };
}
