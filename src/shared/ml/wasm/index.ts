// Faster kernels for training on TF.js' WASM backend (see each file for what and why).
import * as tf from '@tensorflow/tfjs';
import { registerAdamStepKernel } from './adamStep';
import { installContiguousSlice } from './contiguousSlice';
import { installRowGather } from './gatherRows';
import { installMatMulPlanner } from './matMul';
import { installSharedIdentity } from './sharedIdentity';

export { ADAM_STEP_KERNEL } from './adamStep';

let installed = false;

/** Call once the WASM backend is active; does nothing on other backends or when called again. */
export function installWasmTrainingKernels(): void {
  if (installed || tf.getBackend() !== 'wasm') {
    return;
  }
  installMatMulPlanner();
  installRowGather();
  installContiguousSlice();
  installSharedIdentity();
  registerAdamStepKernel();
  installed = true;
}
