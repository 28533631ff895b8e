// The part of TF.js' WASM backend that the kernels written here use. These methods are public on
// BackendWasm; TF.js hands kernels the backend untyped, so this names what they rely on.
import * as tf from '@tensorflow/tfjs';

export interface WasmHeapBackend {
  /** Allocates a tensor on the WASM heap. May grow the heap, which detaches earlier views. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of a tensor's data on the heap; take views after the last `makeOutput`. */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
  /** Counts one more tensor sharing this data; disposeData frees it when the count drops to zero. */
  incRef(dataId: object): void;
}

/** What a kernel function receives, with its inputs, attributes and backend typed. */
export interface KernelArgs<Inputs, Attrs> {
  inputs: Inputs;
  backend: WasmHeapBackend;
  attrs: Attrs;
}

type KernelParams = Parameters<tf.KernelFunc>[0];

/** TF.js' untyped kernel arguments, seen with the shape the kernel knows they have. */
export function typedArgs<Inputs, Attrs>(params: KernelParams): KernelArgs<Inputs, Attrs> {
  return params as unknown as KernelArgs<Inputs, Attrs>;
}

/** Replaces the kernel `kernelName` on the WASM backend; `replacement` gets the original to fall back on. */
export function replaceWasmKernel(
  kernelName: string,
  replacement: (original: tf.KernelFunc) => tf.KernelFunc,
): boolean {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original) {
    return false;
  }
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: replacement(original.kernelFunc) });
  return true;
}
