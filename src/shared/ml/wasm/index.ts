// Faster kernels for training on TF.js' WASM backend (see each file for what and why).
import * as tf from '@tensorflow/tfjs';
import { registerAdamStepKernel } from './adamStep';
import { installContiguousSlice } from './contiguousSlice';
import { installMatMulPlanner } from './matMul';
import { installSharedIdentity } from './sharedIdentity';

export { ADAM_STEP_KERNEL } from './adamStep';

let installed = false;

/**
 * Call once the WASM backend is active; does nothing on other backends or when called again.
 * Returns the kernels it could not install (TF.js lacked what they need): training still works,
 * on TF.js' own slower kernels, and the caller says so in the log.
 */
export function installWasmTrainingKernels(): string[] {
  if (installed || tf.getBackend() !== 'wasm') {
    return [];
  }
  const results: [string, boolean][] = [
    ['BatchMatMul planner', installMatMulPlanner()],
    ['contiguous slice', installContiguousSlice()],
    ['shared identity', installSharedIdentity()],
    ['Adam step', registerAdamStepKernel()],
  ];
  installed = true;
  return results.filter(([, ok]) => !ok).map(([name]) => name);
}
