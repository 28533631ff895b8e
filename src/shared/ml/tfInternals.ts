// Every use of TensorFlow.js internals, in one place. The speed of training on WASM rests on a few
// parts of TF.js 4.22 that are not its public API: the WASM backend's heap and memory, the
// engine's gradient depth, the engine's variable registry, AdamOptimizer's private state, and
// kernel registration by name. Each is reached only through this module, and
// test/unit/tfInternals.test.ts checks every one on the installed version, so an upgrade that
// drops one fails that test instead of silently falling back to the slow path.
import * as tf from '@tensorflow/tfjs';
import { webAssembly } from './wasm/wasmModule';

// ---- the WASM backend ----

/** The methods of TF.js' BackendWasm that kernels written here use (public on the class, untyped in kernels). */
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

/** Registers `kernelFunc` as the WASM backend's kernel `kernelName`, in place of TF.js' own if it has one. */
export function registerWasmKernel(kernelName: string, kernelFunc: tf.KernelFunc): void {
  if (tf.getKernel(kernelName, 'wasm')) {
    tf.unregisterKernel(kernelName, 'wasm');
  }
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
}

/**
 * The WebAssembly memory of the active WASM backend (its Emscripten module exports it), for
 * kernels that run WebAssembly of their own on the backend's heap; undefined elsewhere.
 */
export function wasmBackendMemory(): { buffer: ArrayBuffer } | undefined {
  if (tf.getBackend() !== 'wasm') {
    return undefined;
  }
  const memory = (tf.backend() as unknown as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  return memory instanceof webAssembly.Memory ? memory : undefined;
}

/**
 * Copies a float32 tensor's values into `target` at `offset`. On the WASM backend straight from
 * its heap (dataSync would first copy them into a new buffer); elsewhere through dataSync.
 */
export function copyTensorValues(tensor: tf.Tensor, target: Float32Array, offset: number): void {
  if (tf.getBackend() === 'wasm' && tensor.dtype === 'float32') {
    target.set((tf.backend() as unknown as WasmHeapBackend).typedArrayFromHeap(tensor), offset);
  } else {
    target.set(tensor.dataSync() as Float32Array, offset);
  }
}

// ---- the engine ----

/** True inside the forward pass of a training step: a gradient tape is recording. */
export function isRecordingGradients(): boolean {
  return (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
}

/** The variable registered under `name` (optimizers get gradients by name). */
export function registeredVariable(name: string): tf.Variable {
  return tf.engine().registeredVariables[name];
}

// ---- AdamOptimizer ----

/** AdamOptimizer's private state in TF.js 4.x, which FusedAdamOptimizer updates as the parent would. */
export interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

/** The optimizer's state, or undefined when this TF.js version keeps it otherwise. */
export function adamState(optimizer: tf.AdamOptimizer): AdamState | undefined {
  const state = optimizer as unknown as Partial<AdamState>;
  return state.accBeta1 instanceof tf.Variable &&
    state.accBeta2 instanceof tf.Variable &&
    Array.isArray(state.accumulatedFirstMoment) &&
    Array.isArray(state.accumulatedSecondMoment)
    ? (state as AdamState)
    : undefined;
}

/**
 * The optimizer's learning rate, which TF.js' optimizers read at every step but keep protected;
 * undefined for an optimizer without one.
 */
export function adjustableLearningRate(optimizer: tf.Optimizer): { learningRate: number } | undefined {
  const candidate = optimizer as unknown as { learningRate?: unknown };
  return typeof candidate.learningRate === 'number' ? (candidate as { learningRate: number }) : undefined;
}

// ---- the WebGL backend ----

/** The canvas of the active WebGL backend's context (its context-loss events), undefined elsewhere. */
export function webglCanvas(): HTMLCanvasElementLike | undefined {
  if (tf.getBackend() !== 'webgl') {
    return undefined;
  }
  return (tf.backend() as unknown as { gpgpu?: { gl?: { canvas?: HTMLCanvasElementLike } } }).gpgpu?.gl?.canvas;
}

/** The active WebGL backend's rendering context, for reading what GPU draws it. */
export function webglContext(): WebGLContextLike | undefined {
  if (tf.getBackend() !== 'webgl') {
    return undefined;
  }
  return (tf.backend() as unknown as { gpgpu?: { gl?: WebGLContextLike } }).gpgpu?.gl;
}

/** The part of a canvas used here; typed without the DOM library, which shared code does not see. */
export interface HTMLCanvasElementLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** The part of a WebGL context used here. */
export interface WebGLContextLike {
  getExtension(name: string): { UNMASKED_RENDERER_WEBGL: number } | null;
  getParameter(name: number): unknown;
  isContextLost(): boolean;
  RENDERER: number;
}
