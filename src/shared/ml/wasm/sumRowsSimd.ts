// The sum of a matrix's rows as a small WebAssembly function with 128-bit SIMD, on the heap of
// TF.js' WASM backend (see wasmModule.ts).
import { I32, increment, instantiate, moduleBytes, op, simd, whileBelow } from './wasmModule';

// Parameters, in order; all i32 byte addresses or sizes on the heap.
const PARAM = {
  rows: 0,
  rowsEnd: 1,
  /** 4 × columns, a multiple of 16. */
  rowBytes: 2,
  sum: 3,
} as const;

const LOCAL = { column: 4, at: 5 } as const;

/** sum[column..column+3] += rows[column..column+3] */
const ADD_FOUR = [
  ...op.get(PARAM.sum),
  ...op.get(LOCAL.column),
  ...op.i32Add,
  ...op.tee(LOCAL.at),
  ...op.get(LOCAL.at),
  ...simd.v128Load,
  ...op.get(PARAM.rows),
  ...op.get(LOCAL.column),
  ...op.i32Add,
  ...simd.v128Load,
  ...simd.f32x4Add,
  ...simd.v128Store,
];

const MODULE = moduleBytes({
  name: 'sumRows',
  params: [I32, I32, I32, I32],
  locals: [[2, I32]],
  body: whileBelow(PARAM.rows, PARAM.rowsEnd, [
    ...op.i32Const(0),
    ...op.set(LOCAL.column),
    ...whileBelow(LOCAL.column, PARAM.rowBytes, [...ADD_FOUR, ...increment(LOCAL.column, op.i32Const(16))]),
    ...increment(PARAM.rows, op.get(PARAM.rowBytes)),
  ]),
});

/** sum += each row from `rows` to `rowsEnd`, in order; sum must start zeroed. */
export type SumRowsSimd = (rows: number, rowsEnd: number, rowBytes: number, sum: number) => void;

/** The function bound to `memory`, or undefined where it cannot run (see instantiate). */
export function instantiateSumRowsSimd(memory: object): SumRowsSimd | undefined {
  return instantiate<SumRowsSimd>(MODULE, 'sumRows', memory);
}
