// Slices on TF.js' WASM backend without copying the whole tensor. The backend's Slice reads the
// entire input off the heap (a copy) before taking the part it needs: 160 ms to take 32 images
// from the 48,000 training images, and most of the time of predictions made in batches, which
// slice the set once per batch. A contiguous part (whole rows) is one copy of just that part.
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel, typedArgs } from '../tfInternals';

interface SliceInputs {
  x: tf.TensorInfo;
}

interface SliceAttrs {
  begin: number | number[];
  size: number | number[];
}

export function installContiguousSlice(): boolean {
  return replaceWasmKernel('Slice', (original) => (params) => {
    const { inputs, backend, attrs } = typedArgs<SliceInputs, SliceAttrs>(params);
    const { x } = inputs;
    if (x.dtype === 'string') {
      return original(params);
    }
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
    if (!tf.slice_util.isSliceContinous(x.shape, begin, size)) {
      return original(params);
    }
    const start = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
    const out = backend.makeOutput(size, x.dtype);
    // Views after the allocation: growing the heap would have detached earlier ones.
    const source = backend.typedArrayFromHeap(x);
    backend.typedArrayFromHeap(out).set(source.subarray(start, start + tf.util.sizeFromShape(size)));
    return out;
  });
}
