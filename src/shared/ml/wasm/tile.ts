// Tile on TF.js' WASM backend by copying whole blocks. Batch normalisation's gradient tiles the
// per-channel scale over every pixel of the batch ([1,1,1,16] to [64,28,28,16]); TF.js' own WASM
// kernel computes the source index of each output element: 36 ms there, a quarter of the step of
// a CNN with batch normalisation (which the preset left out for its cost on this backend; a
// learner's own layers may have it). Copying blocks, each repeated by doubling, takes well under
// a millisecond.
import type * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel, typedArgs } from '../tfInternals';

interface TileAttrs {
  reps: number[];
}

type NumericArray = Float32Array | Int32Array | Uint8Array;

/**
 * Writes `input` (of `shape`) tiled `reps` times along each axis into `output`, row-major.
 * Exported for its tests.
 */
export function tileInto(input: NumericArray, shape: readonly number[], reps: readonly number[], output: NumericArray) {
  const rank = shape.length;
  if (rank === 0) {
    output[0] = input[0];
    return;
  }
  // Elements in one index of each axis, in the input and in the output.
  const inStrides = new Array<number>(rank);
  const outStrides = new Array<number>(rank);
  inStrides[rank - 1] = 1;
  outStrides[rank - 1] = 1;
  for (let axis = rank - 2; axis >= 0; axis--) {
    inStrides[axis] = inStrides[axis + 1] * shape[axis + 1];
    outStrides[axis] = outStrides[axis + 1] * shape[axis + 1] * reps[axis + 1];
  }
  const fill = (axis: number, inOffset: number, outOffset: number) => {
    if (axis === rank - 1) {
      output.set(input.subarray(inOffset, inOffset + shape[axis]), outOffset);
    } else {
      for (let i = 0; i < shape[axis]; i++) {
        fill(axis + 1, inOffset + i * inStrides[axis], outOffset + i * outStrides[axis]);
      }
    }
    repeatBlock(output, outOffset, shape[axis] * outStrides[axis], reps[axis]);
  };
  fill(0, 0, 0);
}

/** Repeats the block at `start` `times` times in a row, doubling the copied length each time. */
function repeatBlock(array: NumericArray, start: number, length: number, times: number): void {
  const total = length * times;
  for (let done = length; done < total;) {
    const count = Math.min(done, total - done);
    array.copyWithin(start + done, start, start + count);
    done += count;
  }
}

export function installTile(): boolean {
  return replaceWasmKernel('Tile', (original) => (params) => {
    const { inputs, backend, attrs } = typedArgs<{ x: tf.TensorInfo }, TileAttrs>(params);
    const { x } = inputs;
    if (x.dtype === 'string' || x.dtype === 'complex64') {
      return original(params);
    }
    const outShape = x.shape.map((side, axis) => side * attrs.reps[axis]);
    const out = backend.makeOutput(outShape, x.dtype);
    if (outShape.every((side) => side > 0)) {
      // Views after the allocation: growing the heap would have detached earlier ones.
      const [output, input] = [out, x].map((t) => backend.typedArrayFromHeap(t) as NumericArray);
      tileInto(input, x.shape, attrs.reps, output);
    }
    return out;
  });
}
