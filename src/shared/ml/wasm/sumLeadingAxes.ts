// Sums over a tensor's leading axes on TF.js' WASM backend, as for a convolution's or a dense
// layer's bias gradient (the sum of dy over images, rows and columns). TF.js' own kernel first
// transposes the reduced axes to the end, a copy of the whole tensor whose strided writes are
// slow: 4.3 ms for the first convolution's dy on a batch of 128 (26x26x32 per image). The SIMD
// function in sumRowsSimd.ts adds the rows as they are, in 0.35 ms.
import * as tf from '@tensorflow/tfjs';
import { instantiateSumRowsSimd } from './sumRowsSimd';
import { replaceWasmKernel, typedArgs, wasmBackendMemory } from '../tfInternals';

interface SumAttrs {
  axis: number | number[];
  keepDims: boolean;
}

const LANES = 4;

export function installSumLeadingAxes(): boolean {
  const memory = wasmBackendMemory();
  const sumRows = memory && instantiateSumRowsSimd(memory);
  if (!sumRows) {
    return false;
  }
  return replaceWasmKernel('Sum', (original) => (params) => {
    const { inputs, backend, attrs } = typedArgs<{ x: tf.TensorInfo }, SumAttrs>(params);
    const { x } = inputs;
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape);
    const leading = axes.length > 0 && [...axes].sort((a, b) => a - b).every((axis, i) => axis === i);
    const keptShape = x.shape.slice(axes.length);
    const columns = tf.util.sizeFromShape(keptShape);
    if (x.dtype !== 'float32' || !leading || columns % LANES !== 0 || tf.util.sizeFromShape(x.shape) === 0) {
      return original(params);
    }
    const out = backend.makeOutput(keptShape, 'float32');
    // Views after the allocation: growing the heap would have detached earlier ones.
    const [sum, rows] = [out, x].map((t) => backend.typedArrayFromHeap(t));
    sum.fill(0);
    sumRows(rows.byteOffset, rows.byteOffset + rows.byteLength, columns * rows.BYTES_PER_ELEMENT, sum.byteOffset);
    const shape = attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(keptShape, axes) : keptShape;
    return { ...out, shape };
  });
}
