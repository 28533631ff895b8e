// Adam's element-wise update as a tiny WebAssembly module with 128-bit SIMD, run on the heap
// of TF.js' WASM backend itself (it imports that memory, so nothing is copied). The bytes are
// assembled here, instruction by instruction, from the WebAssembly specification's encoding;
// the unit tests compare the results with TF.js' own Adam. The module around it is wasmModule.ts'.

import { I32, instantiate, moduleBytes, V128 } from './wasmModule';

const F32 = 0x7d;

const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Shl: 0x74,
} as const;

/** SIMD instructions: the 0xfd prefix, then the instruction's number as unsigned LEB128. */
const simd = {
  v128Load: [0xfd, 0x00],
  v128Store: [0xfd, 0x0b],
  f32x4Splat: [0xfd, 0x13],
  f32x4Sqrt: [0xfd, 0xe3, 0x01],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Sub: [0xfd, 0xe5, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
  f32x4Div: [0xfd, 0xe7, 0x01],
} as const;

/** Memory access immediates: alignment hint 2^0 (any address), offset 0. */
const MEMARG = [0x00, 0x00];

// Parameters of adam(...), in order; the first eight are byte addresses on the heap except `count`.
const PARAMS = {
  count: 0,
  value: 1,
  first: 2,
  second: 3,
  gradient: 4,
  outValue: 5,
  outFirst: 6,
  outSecond: 7,
  beta1: 8,
  oneMinusBeta1: 9,
  beta2: 10,
  oneMinusBeta2: 11,
  epsilon: 12,
  secondScale: 13,
  stepScale: 14,
} as const;
const PARAM_TYPES = [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32];

// Locals after the parameters: a byte offset, the end offset, and the constants as vectors.
const LOCAL = {
  offset: 15,
  end: 16,
  g: 17,
  m: 18,
  v: 19,
  beta1: 20,
  oneMinusBeta1: 21,
  beta2: 22,
  oneMinusBeta2: 23,
  epsilon: 24,
  secondScale: 25,
  stepScale: 26,
} as const;
const LOCAL_GROUPS: [number, number][] = [
  [2, I32],
  [10, V128],
];

const get = (index: number) => [op.localGet, index];
const set = (index: number) => [op.localSet, index];
/** Loads 4 floats at `pointerParam` + offset. */
const load = (pointerParam: number) => [
  ...get(pointerParam),
  ...get(LOCAL.offset),
  op.i32Add,
  ...simd.v128Load,
  ...MEMARG,
];
/** Stores the vector computed by `value` at `pointerParam` + offset. */
const store = (pointerParam: number, value: number[]) => [
  ...get(pointerParam),
  ...get(LOCAL.offset),
  op.i32Add,
  ...value,
  ...simd.v128Store,
  ...MEMARG,
];
const splat = (param: number, local: number) => [...get(param), ...simd.f32x4Splat, ...set(local)];

/**
 * For each i < count (a multiple of 4):
 *   m = beta1·first + (1 − beta1)·g;  v = beta2·second + (1 − beta2)·g²
 *   value − stepScale·m / (sqrt(secondScale·v) + epsilon)
 * with stepScale = learningRate / (1 − beta1^t) and secondScale = 1 / (1 − beta2^t).
 */
const BODY = [
  ...splat(PARAMS.beta1, LOCAL.beta1),
  ...splat(PARAMS.oneMinusBeta1, LOCAL.oneMinusBeta1),
  ...splat(PARAMS.beta2, LOCAL.beta2),
  ...splat(PARAMS.oneMinusBeta2, LOCAL.oneMinusBeta2),
  ...splat(PARAMS.epsilon, LOCAL.epsilon),
  ...splat(PARAMS.secondScale, LOCAL.secondScale),
  ...splat(PARAMS.stepScale, LOCAL.stepScale),
  ...get(PARAMS.count),
  op.i32Const,
  2,
  op.i32Shl,
  ...set(LOCAL.end),
  op.block,
  0x40,
  op.loop,
  0x40,
  ...get(LOCAL.offset),
  ...get(LOCAL.end),
  op.i32GeU,
  op.brIf,
  1,
  ...load(PARAMS.gradient),
  ...set(LOCAL.g),
  // m
  ...load(PARAMS.first),
  ...get(LOCAL.beta1),
  ...simd.f32x4Mul,
  ...get(LOCAL.g),
  ...get(LOCAL.oneMinusBeta1),
  ...simd.f32x4Mul,
  ...simd.f32x4Add,
  ...set(LOCAL.m),
  ...store(PARAMS.outFirst, get(LOCAL.m)),
  // v
  ...load(PARAMS.second),
  ...get(LOCAL.beta2),
  ...simd.f32x4Mul,
  ...get(LOCAL.g),
  ...get(LOCAL.g),
  ...simd.f32x4Mul,
  ...get(LOCAL.oneMinusBeta2),
  ...simd.f32x4Mul,
  ...simd.f32x4Add,
  ...set(LOCAL.v),
  ...store(PARAMS.outSecond, get(LOCAL.v)),
  // the new value
  ...store(PARAMS.outValue, [
    ...load(PARAMS.value),
    ...get(LOCAL.m),
    ...get(LOCAL.stepScale),
    ...simd.f32x4Mul,
    ...get(LOCAL.v),
    ...get(LOCAL.secondScale),
    ...simd.f32x4Mul,
    ...simd.f32x4Sqrt,
    ...get(LOCAL.epsilon),
    ...simd.f32x4Add,
    ...simd.f32x4Div,
    ...simd.f32x4Sub,
  ]),
  ...get(LOCAL.offset),
  op.i32Const,
  16,
  op.i32Add,
  ...set(LOCAL.offset),
  op.br,
  0,
  op.end,
  op.end,
];

const MODULE = moduleBytes({ name: 'adam', params: PARAM_TYPES, locals: LOCAL_GROUPS, body: BODY });

export type AdamSimd = (
  count: number,
  value: number,
  first: number,
  second: number,
  gradient: number,
  outValue: number,
  outFirst: number,
  outSecond: number,
  beta1: number,
  oneMinusBeta1: number,
  beta2: number,
  oneMinusBeta2: number,
  epsilon: number,
  secondScale: number,
  stepScale: number,
) => void;

/**
 * The update bound to `memory` (a WebAssembly.Memory), or undefined where it cannot run: no
 * WebAssembly SIMD, or a shared memory (the backend's threaded build), which this module does not
 * declare.
 */
export function instantiateAdamSimd(memory: object): AdamSimd | undefined {
  return instantiate<AdamSimd>(MODULE, 'adam', memory);
}
