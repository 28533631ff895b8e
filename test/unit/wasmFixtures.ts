// What the tests of the WASM kernels share: seeded values, a computation run on the WASM and the
// CPU backend, and the allocations that show a kernel frees its temporaries.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededRandom } from './mlFixtures';

export function randomValues(count: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => random() * 2 - 1);
}

/** Runs `compute` on the WASM backend and on the CPU backend and returns both results' values. */
export async function onBothBackends(compute: () => tf.Tensor): Promise<{ wasm: Float32Array; cpu: Float32Array }> {
  await tf.setBackend('wasm');
  const onWasm = compute();
  const wasm = (await onWasm.data()) as Float32Array;
  onWasm.dispose();
  await tf.setBackend('cpu');
  const onCpu = compute();
  const cpu = (await onCpu.data()) as Float32Array;
  onCpu.dispose();
  await tf.setBackend('wasm');
  return { wasm, cpu };
}

/** Tensors and heap buffers alive on the WASM backend, to show a kernel frees its temporaries. */
export function wasmAllocations(): { tensors: number; buffers: number } {
  return { tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() };
}
