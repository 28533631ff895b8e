import * as assert from 'node:assert/strict';
import {
  checkImageShape,
  checkSameCount,
  IdxFormatError,
  IMAGE_COLS,
  IMAGE_ROWS,
  parseIdxImages,
  parseIdxImagesHeader,
  parseIdxLabels,
} from '../../src/shared/idx';

function idx(magic: number, dims: number[], body: number[]): Uint8Array {
  const bytes = new Uint8Array(4 + dims.length * 4 + body.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + i * 4, d));
  bytes.set(body, 4 + dims.length * 4);
  return bytes;
}

describe('IDX parsing', () => {
  it('parses a valid images file', () => {
    const images = parseIdxImages(idx(0x803, [2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]));
    assert.deepEqual([images.count, images.rows, images.cols], [2, 2, 3]);
    assert.deepEqual(Array.from(images.pixels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
  });

  it('parses a valid labels file', () => {
    const labels = parseIdxLabels(idx(0x801, [3], [9, 0, 4]));
    assert.equal(labels.count, 3);
    assert.deepEqual(Array.from(labels.labels), [9, 0, 4]);
  });

  it('rejects a wrong magic number, naming the file', () => {
    assert.throws(
      () => parseIdxImages(idx(0x801, [1, 1, 1], [0]), 'train-images'),
      /train-images: magic number 0x00000801, expected 0x00000803/,
    );
    assert.throws(() => parseIdxLabels(idx(0x803, [1], [0])), IdxFormatError);
  });

  it('rejects a truncated file and one longer than its header', () => {
    assert.throws(() => parseIdxImages(idx(0x803, [2, 2, 2], [1, 2, 3])), /truncated/);
    assert.throws(() => parseIdxLabels(idx(0x801, [2], [1, 2, 3])), /longer than its header/);
    assert.throws(() => parseIdxLabels(new Uint8Array([0, 0, 8])), /too short/);
  });

  it('rejects labels that are not classes', () => {
    assert.throws(() => parseIdxLabels(idx(0x801, [2], [3, 10])), /label 10 at index 1/);
  });

  it('reads an images header from its first 16 bytes, without the pixels', () => {
    const header = idx(0x803, [60_000, 28, 28], []);
    assert.equal(header.length, 16);
    assert.deepEqual(parseIdxImagesHeader(header), { count: 60_000, rows: 28, cols: 28 });
    assert.throws(() => parseIdxImagesHeader(header.subarray(0, 12), 'head'), /head: 12 bytes is too short/);
    assert.throws(() => parseIdxImagesHeader(idx(0x801, [1, 28, 28], [])), /magic number/);
  });

  it('accepts 28 × 28 images and names the size of any other, and the file', () => {
    assert.deepEqual([IMAGE_ROWS, IMAGE_COLS], [28, 28]);
    checkImageShape({ count: 10, rows: 28, cols: 28 });
    assert.throws(
      () => checkImageShape({ count: 10, rows: 32, cols: 28 }, 't10k-images'),
      (error: unknown) =>
        error instanceof IdxFormatError &&
        error.message === "t10k-images: its images are 32 × 28 pixels, but Fashion-MNIST's are 28 × 28.",
    );
    assert.throws(() => checkImageShape({ count: 10, rows: 28, cols: 27 }), /28 × 27 pixels/);
  });

  it('rejects images and labels of different counts', () => {
    const images = parseIdxImages(idx(0x803, [2, 1, 1], [0, 0]));
    const labels = parseIdxLabels(idx(0x801, [3], [0, 0, 0]));
    assert.throws(() => checkSameCount(images, labels, 'training set'), /training set: 2 images but 3 labels/);
  });
});
