// col2im on the heap of TF.js' WASM backend, the reverse of patches.ts: adds each output
// pixel's row of per-tap values back into the input pixels those taps met.
import type * as tf from '@tensorflow/tfjs';

/** Three i32 per run: the byte address to add into, the byte address to add from, the byte count. */
export const RUN_INTS = 3;

const BYTES = 4;

/**
 * Writes the runs that add the patch rows of `count` output pixels from `firstPixel` on (from
 * byte address `patches`, a row of filterHeight × filterWidth × inChannels floats per pixel) into
 * dx (at byte address `dx`): one run per pixel and filter row, its taps inside the image being
 * neighbouring columns of one input row. Taps in the padding get no run. Returns the number of
 * ints written.
 */
export function writeRuns(
  runs: Int32Array,
  dx: number,
  patches: number,
  info: tf.backend_util.Conv2DInfo,
  firstPixel: number,
  count: number,
): number {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const rowLength = filterWidth * inChannels;
  let n = Math.floor(firstPixel / (outHeight * outWidth));
  let oh = Math.floor(firstPixel / outWidth) % outHeight;
  let ow = firstPixel % outWidth;
  let written = 0;
  for (let pixel = 0; pixel < count; pixel++, patches += filterHeight * rowLength * BYTES) {
    const firstCol = ow * strideWidth - left;
    // The part of a filter row inside the image, in floats from the row's start.
    const start = Math.min(rowLength, Math.max(0, -firstCol) * inChannels);
    const end = Math.max(start, Math.min(rowLength, (inWidth - firstCol) * inChannels));
    for (let kh = 0; kh < filterHeight; kh++) {
      const row = oh * strideHeight + kh - top;
      if (row >= 0 && row < inHeight && end > start) {
        runs[written++] = dx + (((n * inHeight + row) * inWidth + firstCol) * inChannels + start) * BYTES;
        runs[written++] = patches + (kh * rowLength + start) * BYTES;
        runs[written++] = (end - start) * BYTES;
      }
    }
    if (++ow === outWidth) {
      ow = 0;
      if (++oh === outHeight) {
        oh = 0;
        n++;
      }
    }
  }
  return written;
}

/** What the SIMD function does (see AddRunsSimd), in plain JS, for runs of any length. */
export function addRunsInJs(heap: ArrayBufferLike, runs: number, runsEnd: number): void {
  const floats = new Float32Array(heap);
  const ints = new Int32Array(heap);
  for (let run = runs / BYTES; run < runsEnd / BYTES; run += RUN_INTS) {
    const to = ints[run] / BYTES;
    const from = ints[run + 1] / BYTES;
    const length = ints[run + 2] / BYTES;
    for (let i = 0; i < length; i++) {
      floats[to + i] += floats[from + i];
    }
  }
}
