// Matrix products on TF.js' WASM backend, arranged so that XNNPACK does the work.
//
// The backend hands a product to XNNPACK only when neither operand is transposed; otherwise a
// plain triple loop runs, 10-20x slower. XNNPACK first packs the right-hand operand into its
// own layout and keeps the packing for as long as that tensor lives, which pays off for
// weights used again and again (predictions) and costs 2-4 ms per training step for the
// hidden layer's 784x256 weights, which change after every step. Every product can be computed
// two ways, A·B directly or as (Bᵀ·Aᵀ)ᵀ, and the cheaper one is chosen here.
import * as tf from '@tensorflow/tfjs';
import { isRecordingGradients, replaceWasmKernel, typedArgs } from '../tfInternals';

/**
 * Packing an element for XNNPACK costs about as much as copying this many (measured in
 * Chromium: 2-4 ms to pack 784x256 weights, 0.2-0.3 ms to transpose them).
 */
const PACKING_COST = 8;

export type ProductPlan = 'direct' | 'swapped';

export interface ProductShape {
  /** op(a) is rows×inner, op(b) is inner×columns. */
  rows: number;
  inner: number;
  columns: number;
  transposeA: boolean;
  transposeB: boolean;
  /** True when the right-hand operand is likely to be used again, so its packing is kept. */
  rightReused: boolean;
}

/**
 * Direct: transpose whichever operand is marked transposed, pack op(b).
 * Swapped: Bᵀ and Aᵀ are the operands as stored when they are marked transposed (no copy),
 * pack Aᵀ, then transpose the product back.
 */
export function planProduct({ rows, inner, columns, transposeA, transposeB, rightReused }: ProductShape): ProductPlan {
  const left = rows * inner;
  const right = inner * columns;
  const direct =
    (transposeA ? left : 0) + (transposeB ? right : 0) + (rightReused && !transposeB ? 0 : PACKING_COST * right);
  const swapped = (transposeA ? 0 : left) + (transposeB ? 0 : right) + PACKING_COST * left + rows * columns;
  return swapped < direct ? 'swapped' : 'direct';
}

interface ProductInputs {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
}

interface ProductAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Leading (batch) dimensions all 1: the only case XNNPACK takes. */
function singleMatrix(info: tf.TensorInfo): boolean {
  return info.shape.slice(0, -2).every((d) => d === 1);
}

/** The same matrix as 2-D, sharing its data. */
function asMatrix(info: tf.TensorInfo): tf.TensorInfo {
  return { ...info, shape: info.shape.slice(-2) };
}

/**
 * Inside the forward pass of a training step (a gradient tape is recording), the right-hand
 * operand is a layer's weights, which the optimizer replaces before they are used again.
 */
function weightsAboutToChange(): boolean {
  return isRecordingGradients();
}

export function installMatMulPlanner(): boolean {
  const transpose = tf.getKernel('Transpose', 'wasm')?.kernelFunc;
  if (!transpose) {
    return false;
  }
  return replaceWasmKernel('BatchMatMul', (original) => (params) => {
    const { inputs, backend, attrs } = typedArgs<ProductInputs, ProductAttrs>(params);
    const { a, b } = inputs;
    if (!singleMatrix(a) || !singleMatrix(b)) {
      return original(params);
    }
    const { transposeA, transposeB } = attrs;
    const [aRows, aCols] = a.shape.slice(-2);
    const [bRows, bCols] = b.shape.slice(-2);
    const shape = {
      rows: transposeA ? aCols : aRows,
      inner: transposeA ? aRows : aCols,
      columns: transposeB ? bRows : bCols,
      transposeA,
      transposeB,
      rightReused: !weightsAboutToChange(),
    };
    const plan = planProduct(shape);
    if (plan === 'direct' && !transposeA && !transposeB) {
      return original(params);
    }
    const temporaries: tf.TensorInfo[] = [];
    const transposed = (x: tf.TensorInfo): tf.TensorInfo => {
      const t = transpose({ inputs: { x: asMatrix(x) }, backend, attrs: { perm: [1, 0] } }) as tf.TensorInfo;
      temporaries.push(t);
      return t;
    };
    const product = (left: tf.TensorInfo, right: tf.TensorInfo) =>
      original({
        inputs: { a: left, b: right },
        backend,
        attrs: { ...params.attrs, transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
    const outShape = [
      ...(a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2),
      shape.rows,
      shape.columns,
    ];
    try {
      if (plan === 'direct') {
        const out = product(transposeA ? transposed(a) : asMatrix(a), transposeB ? transposed(b) : asMatrix(b));
        return { ...out, shape: outShape };
      }
      const productT = product(transposeB ? asMatrix(b) : transposed(b), transposeA ? asMatrix(a) : transposed(a));
      temporaries.push(productT);
      const out = transposed(productT);
      temporaries.pop();
      return { ...out, shape: outShape };
    } finally {
      temporaries.forEach((t) => backend.disposeData(t.dataId));
    }
  });
}
