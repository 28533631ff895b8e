// Reads real test images from the installed data set, for fixtures made at test time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { IdxImages, IdxLabels, parseIdxImages, parseIdxLabels } from '../../src/shared/idx';
import { systemDatasetDir } from './paths';

export interface FashionTestSet {
  images: IdxImages;
  labels: IdxLabels;
  /** The 784 pixels of test image `index`. */
  pixelsOf(index: number): Uint8Array;
  /** The index of the first test image of class `label`. */
  firstOfClass(label: number): number;
}

export function loadSystemTestSet(dir = systemDatasetDir): FashionTestSet {
  const images = parseIdxImages(gunzipSync(readFileSync(join(dir, 't10k-images-idx3-ubyte.gz'))), 't10k-images');
  const labels = parseIdxLabels(gunzipSync(readFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'))), 't10k-labels');
  const size = images.rows * images.cols;
  return {
    images,
    labels,
    pixelsOf: (index) => images.pixels.subarray(index * size, (index + 1) * size),
    firstOfClass: (label) => labels.labels.indexOf(label),
  };
}
