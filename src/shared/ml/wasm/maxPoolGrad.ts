// The gradient of max pooling on TF.js' WASM backend, replaced because TF.js' own kernel is
// wrong and slow. Wrong: it starts each window's maximum at the smallest positive float instead
// of −∞, so a window whose values are all ≤ 0 (pooling after batch normalization, or after a
// convolution without an activation) passes no gradient at all, and it gives ties to the last
// largest value where the CPU backend gives them to the first. Slow: 12 ms for the first pooling
// layer of the classifier's CNN on a batch of 32 (26x26x32 per image), where the forward pooling
// takes 0.15 ms. The SIMD function in maxPoolGradSimd.ts takes 0.8 ms.
import * as tf from '@tensorflow/tfjs';
import { instantiateMaxPoolGradSimd, type MaxPoolGradSimd } from './maxPoolGradSimd';
import { replaceWasmKernel, typedArgs, wasmBackendMemory, type WasmHeapBackend } from '../tfInternals';

interface PoolGradientInputs {
  dy: tf.TensorInfo;
  input: tf.TensorInfo;
}

const BYTES = 4;
const LANES = 4;

/** What the SIMD function does (see MaxPoolGradSimd), in plain JS, for any number of channels. */
function addToMaximaInJs(
  heap: ArrayBufferLike,
  windows: number,
  windowsEnd: number,
  windowBytes: number,
  channelBytes: number,
  dy: number,
  toDx: number,
): void {
  const floats = new Float32Array(heap);
  const addresses = new Int32Array(heap);
  for (; windows < windowsEnd; windows += windowBytes, dy += channelBytes) {
    for (let channel = 0; channel < channelBytes; channel += BYTES) {
      let largest = -Infinity;
      let position = 0;
      for (let tap = windows; tap < windows + windowBytes; tap += BYTES) {
        const address = addresses[tap / BYTES] + channel;
        if (floats[address / BYTES] > largest) {
          largest = floats[address / BYTES];
          position = address;
        }
      }
      if (position !== 0) {
        floats[(position + toDx) / BYTES] += floats[(dy + channel) / BYTES];
      }
    }
  }
}

/**
 * Writes, for each output pixel, the byte addresses in x of its window's pixels in row-major
 * order; a window's pixels in the padding get `padding`'s address.
 */
function writeWindows(windows: Int32Array, x: number, padding: number, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;
  let i = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < effectiveFilterHeight; kh++) {
          const row = oh * strideHeight + kh - top;
          for (let kw = 0; kw < effectiveFilterWidth; kw++) {
            const col = ow * strideWidth + kw - left;
            const inside = row >= 0 && row < inHeight && col >= 0 && col < inWidth;
            windows[i++] = inside ? x + ((n * inHeight + row) * inWidth + col) * inChannels * BYTES : padding;
          }
        }
      }
    }
  }
}

function maxPoolGradient(
  backend: WasmHeapBackend,
  dy: tf.TensorInfo,
  input: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  simd: MaxPoolGradSimd | undefined,
): tf.TensorInfo {
  const channels = info.inChannels;
  const windowPixels = info.effectiveFilterHeight * info.effectiveFilterWidth;
  const windows = backend.makeOutput([info.batchSize * info.outHeight * info.outWidth * windowPixels], 'int32');
  const padding = backend.makeOutput([channels], 'float32');
  const dx = backend.makeOutput(input.shape, 'float32');
  try {
    // Views after the allocations: growing the heap would have detached earlier ones.
    const [windowsView, paddingView, dxView, xView, dyView] = [windows, padding, dx, input, dy].map((t) =>
      backend.typedArrayFromHeap(t),
    );
    paddingView.fill(-Infinity);
    dxView.fill(0);
    writeWindows(windowsView as Int32Array, xView.byteOffset, paddingView.byteOffset, info);
    const args = [
      windowsView.byteOffset,
      windowsView.byteOffset + windowsView.byteLength,
      windowPixels * BYTES,
      channels * BYTES,
      dyView.byteOffset,
      dxView.byteOffset - xView.byteOffset,
    ] as const;
    if (simd && channels % LANES === 0) {
      simd(...args);
    } else {
      addToMaximaInJs(dxView.buffer, ...args);
    }
    return dx;
  } finally {
    backend.disposeData(windows.dataId);
    backend.disposeData(padding.dataId);
  }
}

export function installMaxPoolGrad(): boolean {
  const memory = wasmBackendMemory();
  // Without SIMD (or on the threaded build's shared memory), the plain JS loop: 6x slower, as right.
  const simd = memory && instantiateMaxPoolGradSimd(memory);
  return replaceWasmKernel('MaxPoolGrad', () => (params) => {
    const { inputs, backend, attrs } = typedArgs<PoolGradientInputs, tf.MaxPoolGradAttrs>(params);
    const { dy, input } = inputs;
    const { filterSize, strides, pad, dimRoundingMode } = attrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    return maxPoolGradient(backend, dy, input, info, simd);
  });
}
