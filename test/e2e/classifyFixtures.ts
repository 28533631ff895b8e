// Pictures for "Classify image", made at test time from the installed data set.
import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSystemTestSet } from '../harness/fashionSamples';
import { encodeGrayPng, encodeRgbPng } from '../harness/png';
import type { FrameLocator } from 'playwright-core';
import type { SavedRun } from '../../src/shared/savedRun';

/** Test images 0..count-1 of Fashion-MNIST, as 28x28 grayscale PNGs named test-00.png, ... */
export const DATASET_IMAGE_COUNT = 8;
export const datasetImageName = (index: number) => `test-${String(index).padStart(2, '0')}.png`;

/**
 * Checks that the results show, for each data-set picture in `folder`, the class the saved run
 * predicted for the same test image when it was evaluated.
 */
export async function assertDatasetCardsMatch(results: FrameLocator, folder: string, run: SavedRun): Promise<void> {
  for (let i = 0; i < DATASET_IMAGE_COUNT; i++) {
    const card = results.locator(`#results .result[data-name="${folder}/${datasetImageName(i)}"]`);
    assert.equal(
      await card.getAttribute('data-predicted'),
      String(run.predictions[i].predictedClass),
      datasetImageName(i),
    );
  }
}

const TROUSER = 1;

/**
 * A product photo: a dark-blue pair of trousers (a data-set trouser, inverted and enlarged
 * eightfold) on a white 400x300 background, off-centre and not square.
 */
function productPhoto(): Buffer {
  const testSet = loadSystemTestSet();
  const trouser = testSet.pixelsOf(testSet.firstOfClass(TROUSER));
  const width = 400;
  const height = 300;
  const rgb = new Uint8Array(width * height * 3).fill(255);
  const scale = 8;
  const left = 60;
  const top = 38;
  for (let y = 0; y < 28 * scale; y++) {
    for (let x = 0; x < 28 * scale; x++) {
      const ink = trouser[Math.floor(y / scale) * 28 + Math.floor(x / scale)] / 255;
      const offset = ((top + y) * width + left + x) * 3;
      rgb[offset] = Math.round(255 - ink * 235);
      rgb[offset + 1] = Math.round(255 - ink * 215);
      rgb[offset + 2] = Math.round(255 - ink * 135);
    }
  }
  return encodeRgbPng(width, height, rgb);
}

/** A file that starts like a PNG but whose image data is garbage. */
function corruptPng(): Buffer {
  const valid = encodeGrayPng(28, 28, new Uint8Array(784).fill(9));
  const corrupt = Buffer.from(valid);
  corrupt.fill(0x5a, 41, corrupt.length - 12);
  return corrupt;
}

/** Writes the pictures into `folder` of the workspace; returns the test-set indices used. */
export function writeClassifyFixtures(workspace: string, folder: string): void {
  const dir = join(workspace, folder);
  mkdirSync(dir, { recursive: true });
  const testSet = loadSystemTestSet();
  for (let i = 0; i < DATASET_IMAGE_COUNT; i++) {
    writeFileSync(join(dir, datasetImageName(i)), encodeGrayPng(28, 28, testSet.pixelsOf(i)));
  }
  writeFileSync(join(dir, 'product-photo.png'), productPhoto());
  writeFileSync(join(dir, 'corrupt.png'), corruptPng());
  writeFileSync(join(dir, 'empty.jpg'), Buffer.alloc(0));
  // 10,000 x 10,000 black pixels: 100 MB decoded, about 100 KB as a file.
  writeFileSync(join(dir, 'huge.png'), encodeGrayPng(10_000, 10_000, new Uint8Array(10_000 * 10_000)));
}

/**
 * A folder with one picture and three symbolic links: to itself, to its parent (the workspace)
 * and to a system folder full of pictures. Followed, they would loop and leave the workspace.
 */
export function writeLinkFixtures(workspace: string, folder: string): void {
  const dir = join(workspace, folder);
  mkdirSync(dir, { recursive: true });
  const testSet = loadSystemTestSet();
  writeFileSync(join(dir, 'inside.png'), encodeGrayPng(28, 28, testSet.pixelsOf(0)));
  symlinkSync('.', join(dir, 'loop'));
  symlinkSync('..', join(dir, 'parent'));
  symlinkSync('/usr/share/pixmaps', join(dir, 'outside'));
  for (const hidden of EXCLUDED_PICTURES) {
    mkdirSync(join(dir, dirname(hidden)), { recursive: true });
    writeFileSync(join(dir, hidden), encodeGrayPng(28, 28, testSet.pixelsOf(1)));
  }
}

/**
 * Pictures in the links folder that EXCLUDE_SETTING hides: one by its name (the walk reports it),
 * one inside a hidden folder (not walked, as the explorer does not show it).
 */
const EXCLUDED_PICTURES = ['hidden.png', 'excluded/inside-excluded.png'];

/** A files.exclude setting that hides EXCLUDED_PICTURES from the explorer. */
export const EXCLUDE_SETTING = { '**/hidden.png': true, '**/excluded': true };
