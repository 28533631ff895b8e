// Identity on TF.js' WASM backend without a copy. TF.js keeps a clone (the Identity kernel) of
// every tensor a gradient will need, about 40 per training step here, the hidden layer's weights
// among them; the WASM backend copies each one, where the CPU and WebGL backends share the data
// and count references. Tensors are immutable, so sharing is what those backends do safely.
import type * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel, typedArgs } from '../tfInternals';

export function installSharedIdentity(): boolean {
  return replaceWasmKernel('Identity', (original) => (params) => {
    const { inputs, backend } = typedArgs<{ x: tf.TensorInfo }, object>(params);
    const { x } = inputs;
    if (x.dtype === 'string') {
      return original(params);
    }
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
