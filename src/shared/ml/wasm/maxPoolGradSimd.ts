// The gradient of max pooling as a small WebAssembly function with 128-bit SIMD, four channels
// at a time, on the heap of TF.js' WASM backend (see wasmModule.ts). Picking each window's
// largest value is a compare whose outcome is random, which JS runs as a mispredicted branch
// (4.8 ms for the first pooling layer of a batch of 32 images); here the compare selects lanes
// (0.8 ms).
import { I32, increment, instantiate, moduleBytes, op, simd, V128, whileBelow } from './wasmModule';

// Parameters, in order; all i32 byte addresses or sizes on the heap.
const PARAM = {
  /** For each output pixel, the byte address in x of each of its window's pixels, in row-major order. */
  windows: 0,
  windowsEnd: 1,
  /** 4 × the window's pixel count. */
  windowBytes: 2,
  /** 4 × channels, a multiple of 16. */
  channelBytes: 3,
  dy: 4,
  /** dx's byte address minus x's: where in dx the gradient of a pixel of x goes. */
  toDx: 5,
} as const;

// Locals after the parameters.
const LOCAL = {
  channel: 6,
  tap: 7,
  address: 8,
  largest: 9,
  position: 10,
  value: 11,
  greater: 12,
  gradient: 13,
} as const;

/** Compares the tap's four channels with the largest so far; where greater, takes value and position. */
const TAP = [
  ...op.get(PARAM.windows),
  ...op.get(LOCAL.tap),
  ...op.i32Add,
  ...op.i32Load,
  ...op.get(LOCAL.channel),
  ...op.i32Add,
  ...op.tee(LOCAL.address),
  ...simd.v128Load,
  ...op.set(LOCAL.value),
  ...op.get(LOCAL.value),
  ...op.get(LOCAL.largest),
  ...simd.f32x4Gt,
  ...op.set(LOCAL.greater),
  ...op.get(LOCAL.value),
  ...op.get(LOCAL.largest),
  ...op.get(LOCAL.greater),
  ...simd.v128Bitselect,
  ...op.set(LOCAL.largest),
  ...op.get(LOCAL.address),
  ...simd.i32x4Splat,
  // The lanes' byte offsets within a vector of four floats.
  ...simd.i32x4Const([0, 4, 8, 12]),
  ...simd.i32x4Add,
  ...op.get(LOCAL.position),
  ...op.get(LOCAL.greater),
  ...simd.v128Bitselect,
  ...op.set(LOCAL.position),
];

/** dx at the lane's position (0: no value above −∞ in the window) += the lane's gradient. */
const addLane = (lane: number) => [
  ...op.get(LOCAL.position),
  ...simd.i32x4ExtractLane(lane),
  ...op.tee(LOCAL.address),
  ...op.if,
  ...op.get(LOCAL.address),
  ...op.get(PARAM.toDx),
  ...op.i32Add,
  ...op.tee(LOCAL.address),
  ...op.get(LOCAL.address),
  ...op.f32Load,
  ...op.get(LOCAL.gradient),
  ...simd.f32x4ExtractLane(lane),
  ...op.f32Add,
  ...op.f32Store,
  ...op.end,
];

const CHANNEL_GROUP = [
  ...op.f32NegativeInfinity,
  ...simd.f32x4Splat,
  ...op.set(LOCAL.largest),
  ...op.i32Const(0),
  ...simd.i32x4Splat,
  ...op.set(LOCAL.position),
  ...op.i32Const(0),
  ...op.set(LOCAL.tap),
  ...whileBelow(LOCAL.tap, PARAM.windowBytes, [...TAP, ...increment(LOCAL.tap, op.i32Const(4))]),
  ...op.get(PARAM.dy),
  ...op.get(LOCAL.channel),
  ...op.i32Add,
  ...simd.v128Load,
  ...op.set(LOCAL.gradient),
  ...[0, 1, 2, 3].flatMap(addLane),
];

const OUTPUT_PIXEL = [
  ...op.i32Const(0),
  ...op.set(LOCAL.channel),
  ...whileBelow(LOCAL.channel, PARAM.channelBytes, [...CHANNEL_GROUP, ...increment(LOCAL.channel, op.i32Const(16))]),
  ...increment(PARAM.windows, op.get(PARAM.windowBytes)),
  ...increment(PARAM.dy, op.get(PARAM.channelBytes)),
];

const MODULE = moduleBytes({
  name: 'maxPoolGrad',
  params: [I32, I32, I32, I32, I32, I32],
  locals: [
    [3, I32],
    [5, V128],
  ],
  body: whileBelow(PARAM.windows, PARAM.windowsEnd, OUTPUT_PIXEL),
});

/**
 * For each output pixel and each channel: the first largest value of the window in row-major
 * order, as TF.js' CPU backend picks it; its dx += the pixel's dy. A window with no value
 * above −∞ (NaN or −∞ only, or padding, which `windows` points at a row of −∞ for) passes none.
 * dx must start zeroed.
 */
export type MaxPoolGradSimd = (
  windows: number,
  windowsEnd: number,
  windowBytes: number,
  channelBytes: number,
  dy: number,
  toDx: number,
) => void;

/** The function bound to `memory`, or undefined where it cannot run (see instantiate). */
export function instantiateMaxPoolGradSimd(memory: object): MaxPoolGradSimd | undefined {
  return instantiate<MaxPoolGradSimd>(MODULE, 'maxPoolGrad', memory);
}
