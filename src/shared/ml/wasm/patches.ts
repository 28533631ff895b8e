// im2col on the heap of TF.js' WASM backend: the input values each output pixel of a
// convolution sees, one row per pixel, so that the filter's gradient is a matrix product.
// Written with copyWithin, a memmove within the heap, wherever a run is long enough: for runs of
// 96 floats (3 taps of 32 channels) a plain JS loop copies under 1 float per ns, copyWithin 5
// (measured in Node 20).
import type * as tf from '@tensorflow/tfjs';

/**
 * Below this many floats a plain loop is faster than copyWithin or fill, whose call costs about
 * as much as copying 12-16 floats one by one (measured in Node 20 on the WASM heap).
 */
const SHORTEST_BULK_COPY = 16;

/** Writes `length` zeros at heap index `at`. */
function zeroRun(heap: Float32Array, at: number, length: number): void {
  if (length >= SHORTEST_BULK_COPY) {
    heap.fill(0, at, at + length);
    return;
  }
  for (let i = 0; i < length; i++) {
    heap[at + i] = 0;
  }
}

/** Copies `length` floats within the heap, from index `from` to index `to`. */
function copyRun(heap: Float32Array, from: number, to: number, length: number): void {
  if (length >= SHORTEST_BULK_COPY) {
    heap.copyWithin(to, from, from + length);
    return;
  }
  for (let i = 0; i < length; i++) {
    heap[to + i] = heap[from + i];
  }
}

/**
 * Writes im2col(x) for `count` output pixels from `firstPixel` on, at heap index `out`: row
 * (n, oh, ow) holds the input values that the filter's taps (kh, kw, ci) meet at that output
 * pixel, 0 in the padding. For one pixel and one filter row, the taps inside the image read one
 * contiguous run of x (neighbouring columns, all channels), so rows are written a run at a time.
 */
export function writePatches(
  heap: Float32Array,
  x: number,
  out: number,
  info: tf.backend_util.Conv2DInfo,
  firstPixel: number,
  count: number,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const rowLength = filterWidth * inChannels;
  let n = Math.floor(firstPixel / (outHeight * outWidth));
  let oh = Math.floor(firstPixel / outWidth) % outHeight;
  let ow = firstPixel % outWidth;
  for (let pixel = 0; pixel < count; pixel++) {
    const firstCol = ow * strideWidth - left;
    // The part of a filter row inside the image, in floats from the row's start.
    const start = Math.min(rowLength, Math.max(0, -firstCol) * inChannels);
    const end = Math.max(start, Math.min(rowLength, (inWidth - firstCol) * inChannels));
    for (let kh = 0; kh < filterHeight; kh++, out += rowLength) {
      const row = oh * strideHeight + kh - top;
      if (row < 0 || row >= inHeight) {
        zeroRun(heap, out, rowLength);
        continue;
      }
      zeroRun(heap, out, start);
      copyRun(heap, x + ((n * inHeight + row) * inWidth + firstCol) * inChannels + start, out + start, end - start);
      zeroRun(heap, out + end, rowLength - end);
    }
    if (++ow === outWidth) {
      ow = 0;
      if (++oh === outHeight) {
        oh = 0;
        n++;
      }
    }
  }
}
