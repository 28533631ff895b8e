// The gradient of a convolution's filter on TF.js' WASM backend, which has no kernel for it
// (TF.js 4.22): without this a Conv2D layer cannot train there at all. It is one matrix
// product, dW = im2col(x)ᵀ · dy, which XNNPACK multiplies as fast as it runs the forward
// convolution: 4.5 ms in all for the classifier's second convolution on a batch of 32 (forward:
// 3.3 ms; the rest is im2col and XNNPACK's packing of dy), where a port of the CPU backend's
// loop takes 98 ms.
import * as tf from '@tensorflow/tfjs';
import { writePatches } from './patches';
import { registerWasmKernel, typedArgs, type WasmHeapBackend } from '../tfInternals';

interface FilterGradientInputs {
  x: tf.TensorInfo;
  dy: tf.TensorInfo;
}

const NCHW_TO_NHWC = [0, 2, 3, 1];

/**
 * Output pixels per product. Bounds the patches' size (18 MB for the second convolution on a
 * batch of 128 otherwise) and keeps their transpose cache-friendly: the backend's Transpose took
 * 11 ms for 15,488 rows of 288 floats, 0.17 ms for 1,824. Not a power of two: for 2,048 rows it
 * took 4.5 ms, the transposed rows being 8 KB apart, which the cache maps onto the same few sets.
 */
const PIXELS_PER_PRODUCT = 3000;

/** Where a tensor's first float is in the heap, counted in floats. */
function heapIndex(backend: WasmHeapBackend, t: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(t).byteOffset / Float32Array.BYTES_PER_ELEMENT;
}

function addInto(backend: WasmHeapBackend, sum: tf.TensorInfo, term: tf.TensorInfo): void {
  const [to, from] = [sum, term].map((t) => backend.typedArrayFromHeap(t));
  for (let i = 0; i < to.length; i++) {
    to[i] += from[i];
  }
}

export function installConv2DBackpropFilter(): boolean {
  const matMul = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
  const transpose = tf.getKernel('Transpose', 'wasm')?.kernelFunc;
  if (!matMul || !transpose) {
    return false;
  }
  const transposed = (backend: WasmHeapBackend, matrix: tf.TensorInfo) =>
    transpose({ inputs: { x: matrix }, backend, attrs: { perm: [1, 0] } }) as tf.TensorInfo;
  // Untransposed operands: the only product the backend hands to XNNPACK.
  const product = (backend: WasmHeapBackend, a: tf.TensorInfo, b: tf.TensorInfo) =>
    matMul({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;

  /**
   * patchesᵀ · dy over `count` output pixels from `first` on; (dyᵀ · patches) when
   * `packPatches`. XNNPACK packs the right operand of a product, at 2-3 ns a float, about eight
   * times what transposing costs, so the narrower of the two is packed: dy for a filter over
   * many input channels, the patches for the first layer's filter over one channel.
   */
  const partialGradient = (
    backend: WasmHeapBackend,
    x: tf.TensorInfo,
    dy: tf.TensorInfo,
    info: tf.backend_util.Conv2DInfo,
    first: number,
    count: number,
    packPatches: boolean,
  ): tf.TensorInfo => {
    const taps = info.filterHeight * info.filterWidth * info.inChannels;
    // New tensors for every part: XNNPACK keeps its packing of a right operand under the
    // tensor's id, and would reuse the first part's packing for a refilled tensor.
    const patches = backend.makeOutput([count, taps], 'float32');
    const dyRows = backend.makeOutput([count, info.outChannels], 'float32');
    const temporaries = [patches, dyRows];
    try {
      // Views after the allocations: growing the heap would have detached earlier ones.
      const heap = new Float32Array(backend.typedArrayFromHeap(x).buffer);
      writePatches(heap, heapIndex(backend, x), heapIndex(backend, patches), info, first, count);
      const dyStart = heapIndex(backend, dy) + first * info.outChannels;
      heap.copyWithin(heapIndex(backend, dyRows), dyStart, dyStart + count * info.outChannels);
      const [transposedOne, packed] = packPatches ? [dyRows, patches] : [patches, dyRows];
      const left = transposed(backend, transposedOne);
      temporaries.push(left);
      return product(backend, left, packed);
    } finally {
      temporaries.forEach((t) => backend.disposeData(t.dataId));
    }
  };

  /** dW = patchesᵀ · dy, in parts of the output pixels (see PIXELS_PER_PRODUCT). */
  const filterGradient = (
    backend: WasmHeapBackend,
    x: tf.TensorInfo,
    dy: tf.TensorInfo,
    attrs: tf.Conv2DBackpropFilterAttrs,
  ): tf.TensorInfo => {
    const { strides, pad, dimRoundingMode, filterShape } = attrs;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const pixels = info.batchSize * info.outHeight * info.outWidth;
    if (pixels === 0) {
      // An empty batch: XNNPACK refuses a product over nothing.
      const zeros = backend.makeOutput(filterShape, 'float32');
      backend.typedArrayFromHeap(zeros).fill(0);
      return zeros;
    }
    const packPatches = info.filterHeight * info.filterWidth * info.inChannels < info.outChannels;
    const part = (first: number) =>
      partialGradient(backend, x, dy, info, first, Math.min(PIXELS_PER_PRODUCT, pixels - first), packPatches);
    const sum = part(0);
    let gradient: tf.TensorInfo | undefined;
    try {
      for (let first = PIXELS_PER_PRODUCT; first < pixels; first += PIXELS_PER_PRODUCT) {
        const term = part(first);
        addInto(backend, sum, term);
        backend.disposeData(term.dataId);
      }
      gradient = packPatches ? transposed(backend, sum) : sum;
      return { ...gradient, shape: filterShape };
    } finally {
      if (gradient !== sum) {
        backend.disposeData(sum.dataId);
      }
    }
  };

  registerWasmKernel('Conv2DBackpropFilter', (params) => {
    const { inputs, backend, attrs } = typedArgs<FilterGradientInputs, tf.Conv2DBackpropFilterAttrs>(params);
    const { x, dy } = inputs;
    if (attrs.dataFormat !== 'NCHW') {
      return filterGradient(backend, x, dy, attrs);
    }
    // Channels first: the same computation on both tensors transposed to channels last.
    const [xNhwc, dyNhwc] = [x, dy].map(
      (t) => transpose({ inputs: { x: t }, backend, attrs: { perm: NCHW_TO_NHWC } }) as tf.TensorInfo,
    );
    try {
      return filterGradient(backend, xNhwc, dyNhwc, attrs);
    } finally {
      backend.disposeData(xNhwc.dataId);
      backend.disposeData(dyNhwc.dataId);
    }
  });
  return true;
}
