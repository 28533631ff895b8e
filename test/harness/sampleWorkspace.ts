// A workspace like a learner's: a couple of garment pictures and a text file.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSystemTestSet } from './fashionSamples';
import { repoRoot } from './paths';
import { encodeGrayPng } from './png';

const SHIRT = 6;

/** Fills `dir` with shirt.png (a real test image), BOOT.JPG and notes.txt; returns `dir`. */
export function createSampleWorkspace(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const testSet = loadSystemTestSet();
  const shirt = testSet.pixelsOf(testSet.firstOfClass(SHIRT));
  writeFileSync(join(dir, 'shirt.png'), encodeGrayPng(28, 28, shirt));
  // A JPEG of an ankle boot from the test set, committed because Node has no JPEG encoder.
  copyFileSync(join(repoRoot, 'test', 'fixtures', 'BOOT.JPG'), join(dir, 'BOOT.JPG'));
  writeFileSync(
    join(dir, 'notes.txt'),
    'Right-click an image in the explorer and choose "Classify image".\nRun "Train Fashion Classifier" from the Command Palette first.\n',
  );
  return dir;
}
