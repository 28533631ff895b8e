// The gradient of a convolution's input on TF.js' WASM backend. TF.js' own kernel is a scalar
// loop: 40 ms for the classifier's second convolution on a batch of 32. Here it is one matrix
// product, dy · Wᵀ (W as [taps, output channels]), which XNNPACK computes as fast as the forward
// convolution, then col2im adds each output pixel's row of per-tap values into the input pixels
// those taps met: 3.5 ms (forward: 3.4 ms). Computing it as a convolution of dy, padded, with
// the filter turned by 180° took 4.6 ms: over a quarter of its products are with padding zeros.
import * as tf from '@tensorflow/tfjs';
import { instantiateAddRunsSimd, type AddRunsSimd } from './addRunsSimd';
import { addRunsInJs, RUN_INTS, writeRuns } from './col2im';
import { replaceWasmKernel, typedArgs, wasmBackendMemory, type WasmHeapBackend } from '../tfInternals';

interface InputGradientInputs {
  dy: tf.TensorInfo;
  filter: tf.TensorInfo;
}

/** Output pixels per product, so that its result is still in the cache when col2im reads it. */
const PIXELS_PER_PRODUCT = 3000;

const LANES = 4;

interface Kernels {
  matMul: tf.KernelFunc;
  transpose: tf.KernelFunc;
  /** Undefined without SIMD or on a shared memory: col2im runs in plain JS. */
  addRuns: AddRunsSimd | undefined;
}

/** dx += col2im(dy · Wᵀ) over `count` output pixels from `first` on. */
function addPart(
  { matMul, addRuns }: Kernels,
  backend: WasmHeapBackend,
  dy: tf.TensorInfo,
  filterT: tf.TensorInfo,
  dx: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  first: number,
  count: number,
): void {
  const { outChannels, inChannels, filterHeight } = info;
  const dyRows = backend.makeOutput([count, outChannels], 'float32');
  const temporaries = [dyRows];
  try {
    const dyView = backend.typedArrayFromHeap(dy);
    backend.typedArrayFromHeap(dyRows).set(dyView.subarray(first * outChannels, (first + count) * outChannels));
    // Untransposed operands: the only product the backend hands to XNNPACK, which packs Wᵀ once
    // for all parts (it keeps a right operand's packing for as long as the tensor lives).
    const columns = matMul({
      inputs: { a: dyRows, b: filterT },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    temporaries.push(columns);
    const runs = backend.makeOutput([count * filterHeight * RUN_INTS], 'int32');
    temporaries.push(runs);
    // Views after the allocations: growing the heap would have detached earlier ones.
    const [runsView, dxView, columnsView] = [runs, dx, columns].map((t) => backend.typedArrayFromHeap(t));
    const written = writeRuns(runsView as Int32Array, dxView.byteOffset, columnsView.byteOffset, info, first, count);
    const runsEnd = runsView.byteOffset + written * runsView.BYTES_PER_ELEMENT;
    if (addRuns && inChannels % LANES === 0) {
      addRuns(runsView.byteOffset, runsEnd);
    } else {
      addRunsInJs(runsView.buffer, runsView.byteOffset, runsEnd);
    }
  } finally {
    temporaries.forEach((t) => backend.disposeData(t.dataId));
  }
}

function inputGradient(
  kernels: Kernels,
  backend: WasmHeapBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const filterT = kernels.transpose({
    inputs: { x: { ...filter, shape: [taps, info.outChannels] } },
    backend,
    attrs: { perm: [1, 0] },
  }) as tf.TensorInfo;
  const dx = backend.makeOutput(info.inShape, 'float32');
  try {
    backend.typedArrayFromHeap(dx).fill(0);
    const pixels = info.batchSize * info.outHeight * info.outWidth;
    for (let first = 0; first < pixels; first += PIXELS_PER_PRODUCT) {
      addPart(kernels, backend, dy, filterT, dx, info, first, Math.min(PIXELS_PER_PRODUCT, pixels - first));
    }
    return dx;
  } catch (error) {
    backend.disposeData(dx.dataId);
    throw error;
  } finally {
    backend.disposeData(filterT.dataId);
  }
}

export function installConv2DBackpropInput(): boolean {
  const matMul = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
  const transpose = tf.getKernel('Transpose', 'wasm')?.kernelFunc;
  if (!matMul || !transpose) {
    return false;
  }
  const memory = wasmBackendMemory();
  const kernels = { matMul, transpose, addRuns: memory && instantiateAddRunsSimd(memory) };
  return replaceWasmKernel('Conv2DBackpropInput', (original) => (params) => {
    const { inputs, backend, attrs } = typedArgs<InputGradientInputs, tf.Conv2DBackpropInputAttrs>(params);
    const { dy, filter } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
    if (dataFormat === 'NCHW') {
      // TF.js' own kernel, which reads channels-first tensors as they are.
      return original(params);
    }
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    return inputGradient(kernels, backend, dy, filter, info);
  });
}
