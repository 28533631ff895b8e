// Faster kernels for training on TF.js' WASM backend (see each file for what and why).
import * as tf from '@tensorflow/tfjs';
import { registerAdamStepKernel } from './adamStep';
import { installContiguousSlice } from './contiguousSlice';
import { installConv2DBackpropFilter } from './conv2dBackpropFilter';
import { installConv2DBackpropInput } from './conv2dBackpropInput';
import { installMatMulPlanner } from './matMul';
import { installMaxPoolGrad } from './maxPoolGrad';
import { installSharedIdentity } from './sharedIdentity';
import { installSumLeadingAxes } from './sumLeadingAxes';
import { installTile } from './tile';

export { ADAM_STEP_KERNEL } from './adamStep';

let installed = false;

/**
 * Call once the WASM backend is active; does nothing on other backends or when called again.
 * Returns the kernels it could not install (TF.js lacked what they need), for the caller to log:
 * the MLP still trains on TF.js' own slower kernels, but without the convolution filter gradient
 * (which TF.js' WASM backend lacks) a CNN cannot train on WASM at all.
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
    ['convolution filter gradient', installConv2DBackpropFilter()],
    ['convolution input gradient', installConv2DBackpropInput()],
    ['max pooling gradient', installMaxPoolGrad()],
    ['sum over leading axes', installSumLeadingAxes()],
    ['tile by blocks', installTile()],
  ];
  installed = true;
  return results.filter(([, ok]) => !ok).map(([name]) => name);
}
