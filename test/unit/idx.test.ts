import * as assert from 'node:assert/strict';
import { checkSameCount, IdxFormatError, parseIdxImages, parseIdxLabels } from '../../src/shared/idx';

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

  it('rejects images and labels of different counts', () => {
    const images = parseIdxImages(idx(0x803, [2, 1, 1], [0, 0]));
    const labels = parseIdxLabels(idx(0x801, [3], [0, 0, 0]));
    assert.throws(() => checkSameCount(images, labels, 'training set'), /training set: 2 images but 3 labels/);
  });
});
