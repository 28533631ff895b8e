// Adds runs of floats into others, four at a time, as a small WebAssembly function with 128-bit
// SIMD on the heap of TF.js' WASM backend (see wasmModule.ts): col2im, the scatter of a
// convolution's input gradient, is one run per output pixel and filter row.
import { I32, increment, instantiate, moduleBytes, op, simd, whileBelow } from './wasmModule';

// Parameters, in order; i32 byte addresses on the heap.
const PARAM = {
  /** Runs of three i32: the byte address to add into, the one to add from, the byte count (a multiple of 16). */
  runs: 0,
  runsEnd: 1,
} as const;

const LOCAL = { to: 2, from: 3, end: 4 } as const;

const RUN_BYTES = 12;

/** to[0..3] += from[0..3] */
const ADD_FOUR = [
  ...op.get(LOCAL.to),
  ...op.get(LOCAL.to),
  ...simd.v128Load,
  ...op.get(LOCAL.from),
  ...simd.v128Load,
  ...simd.f32x4Add,
  ...simd.v128Store,
];

const RUN = [
  ...op.get(PARAM.runs),
  ...op.i32LoadAt(0),
  ...op.tee(LOCAL.to),
  ...op.get(PARAM.runs),
  ...op.i32LoadAt(8),
  ...op.i32Add,
  ...op.set(LOCAL.end),
  ...op.get(PARAM.runs),
  ...op.i32LoadAt(4),
  ...op.set(LOCAL.from),
  ...whileBelow(LOCAL.to, LOCAL.end, [
    ...ADD_FOUR,
    ...increment(LOCAL.to, op.i32Const(16)),
    ...increment(LOCAL.from, op.i32Const(16)),
  ]),
];

const MODULE = moduleBytes({
  name: 'addRuns',
  params: [I32, I32],
  locals: [[3, I32]],
  body: whileBelow(PARAM.runs, PARAM.runsEnd, [...RUN, ...increment(PARAM.runs, op.i32Const(RUN_BYTES))]),
});

/** For each run from `runs` to `runsEnd` in order: the floats at `to` += those at `from`. */
export type AddRunsSimd = (runs: number, runsEnd: number) => void;

/** The function bound to `memory`, or undefined where it cannot run (see instantiate). */
export function instantiateAddRunsSimd(memory: object): AddRunsSimd | undefined {
  return instantiate<AddRunsSimd>(MODULE, 'addRuns', memory);
}
