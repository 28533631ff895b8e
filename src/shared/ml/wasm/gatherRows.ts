// Gathering whole rows on TF.js' WASM backend. Training takes each batch from the data set with
// a gather along the first axis; the backend's generic gather works element by element and took
// 1-1.4 ms per batch of 32 images, while a batch is 32 contiguous rows that copy in microseconds.
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel, typedArgs } from '../tfInternals';

interface GatherInputs {
  x: tf.TensorInfo;
  indices: tf.TensorInfo;
}

interface GatherAttrs {
  axis: number;
  batchDims: number;
}

export function installRowGather(): boolean {
  return replaceWasmKernel('GatherV2', (original) => (params) => {
    const { inputs, backend, attrs } = typedArgs<GatherInputs, GatherAttrs>(params);
    const { x, indices } = inputs;
    const axis = attrs.axis < 0 ? attrs.axis + x.shape.length : attrs.axis;
    if (
      axis !== 0 ||
      attrs.batchDims !== 0 ||
      indices.dtype !== 'int32' ||
      x.dtype === 'string' ||
      x.shape.length === 0
    ) {
      return original(params);
    }
    const rowCount = x.shape[0];
    const rowLength = tf.util.sizeFromShape(x.shape.slice(1));
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views after the allocation: growing the heap would have detached earlier ones.
    const source = backend.typedArrayFromHeap(x);
    const target = backend.typedArrayFromHeap(out);
    const rows = backend.typedArrayFromHeap(indices);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!(row >= 0 && row < rowCount)) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${row} is not in [0, ${rowCount - 1}]`);
      }
      target.set(source.subarray(row * rowLength, (row + 1) * rowLength), i * rowLength);
    }
    return out;
  });
}
