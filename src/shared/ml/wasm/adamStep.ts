// One Adam update of one weight tensor as a single WASM-backend kernel. TF.js' Adam composes the
// update from 14 element-wise ops per weight, each a pass over the 200,704 hidden weights with a
// fresh allocation, and the backend's square root is scalar: 2-2.5 ms of a 10 ms training step
// here. The SIMD loop in adamSimd.ts does it in one pass, in about 0.2 ms.
import * as tf from '@tensorflow/tfjs';
import { type AdamSimd, instantiateAdamSimd } from './adamSimd';
import { typedArgs, wasmBackendMemory, type WasmHeapBackend } from '../tfInternals';

export const ADAM_STEP_KERNEL = 'FashionClassifierAdamStep';

export interface AdamStepInputs extends tf.NamedTensorMap {
  value: tf.Tensor;
  firstMoment: tf.Tensor;
  secondMoment: tf.Tensor;
  gradient: tf.Tensor;
}

export interface AdamStepAttrs extends tf.NamedAttrMap {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − beta1^t and 1 − beta2^t at step t: Adam's bias corrections. */
  firstCorrection: number;
  secondCorrection: number;
}

const LANES = 4;

/** Runs the update on the heap: the SIMD loop for whole groups of 4, plain JS for the last few. */
function adamStep(
  update: AdamSimd,
  backend: WasmHeapBackend,
  inputs: Record<keyof AdamStepInputs, tf.TensorInfo>,
  attrs: AdamStepAttrs,
): tf.TensorInfo[] {
  const { value, firstMoment, secondMoment, gradient } = inputs;
  if (
    [value, firstMoment, secondMoment, gradient].some(
      (t) => t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, value.shape),
    )
  ) {
    throw new Error(
      `${ADAM_STEP_KERNEL}: the weight, both moments and the gradient must be float32 tensors of one shape.`,
    );
  }
  const outputs = [value, firstMoment, secondMoment].map((t) => backend.makeOutput(t.shape, 'float32'));
  // Views after the allocations: growing the heap would have detached earlier ones.
  const [x, m, v, g, outX, outM, outV] = [value, firstMoment, secondMoment, gradient, ...outputs].map(
    (t) => backend.typedArrayFromHeap(t) as Float32Array,
  );
  const { learningRate, beta1, beta2, epsilon, firstCorrection, secondCorrection } = attrs;
  const stepScale = learningRate / firstCorrection;
  const secondScale = 1 / secondCorrection;
  const vectorized = x.length - (x.length % LANES);
  update(
    vectorized,
    x.byteOffset,
    m.byteOffset,
    v.byteOffset,
    g.byteOffset,
    outX.byteOffset,
    outM.byteOffset,
    outV.byteOffset,
    beta1,
    1 - beta1,
    beta2,
    1 - beta2,
    epsilon,
    secondScale,
    stepScale,
  );
  for (let i = vectorized; i < x.length; i++) {
    outM[i] = beta1 * m[i] + (1 - beta1) * g[i];
    outV[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
    outX[i] = x[i] - (stepScale * outM[i]) / (Math.sqrt(secondScale * outV[i]) + epsilon);
  }
  return outputs;
}

/**
 * Registers the kernel on the WASM backend (call while it is active) when the backend's heap
 * can be reached and WebAssembly SIMD is available; otherwise Adam keeps TF.js' own ops.
 */
export function registerAdamStepKernel(): boolean {
  if (tf.getKernel(ADAM_STEP_KERNEL, 'wasm')) {
    return true;
  }
  const memory = wasmBackendMemory();
  const update = memory && instantiateAdamSimd(memory);
  if (!update) {
    return false;
  }
  tf.registerKernel({
    kernelName: ADAM_STEP_KERNEL,
    backendName: 'wasm',
    kernelFunc: (params) => {
      const {
        inputs,
        backend: heap,
        attrs,
      } = typedArgs<Record<keyof AdamStepInputs, tf.TensorInfo>, AdamStepAttrs>(params);
      return adamStep(update, heap, inputs, attrs);
    },
  });
  return true;
}
