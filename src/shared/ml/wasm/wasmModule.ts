// A WebAssembly module of one function that works on the heap of TF.js' WASM backend (it
// imports that memory, so nothing is copied), encoded here from the WebAssembly specification's
// binary format. adamSimd.ts, maxPoolGradSimd.ts, sumRowsSimd.ts and addRunsSimd.ts build theirs here.

/**
 * The WebAssembly API, which browsers and Node both have; declared here because the shared
 * code is type-checked without the DOM's declarations.
 */
export interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => { buffer: ArrayBuffer };
}

export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

export const I32 = 0x7f;
export const V128 = 0x7b;

/** Unsigned LEB128, the binary format's encoding of counts, sizes and indices. */
function leb128(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) {
      byte |= 0x80;
    }
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...leb128(bytes.length), ...bytes];
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb128(content.length), ...content];
}

/** A vector in the binary format: its length, then its items. */
function vector(items: number[][]): number[] {
  return [...leb128(items.length), ...items.flat()];
}

/** The instructions used here; local indices count the parameters first. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (local: number) => [0x20, local],
  set: (local: number) => [0x21, local],
  tee: (local: number) => [0x22, local],
  i32Load: [0x28, 0x02, 0x00],
  /** i32.load at the address on the stack + `offset` (under 128). */
  i32LoadAt: (offset: number) => [0x28, 0x02, offset],
  f32Load: [0x2a, 0x02, 0x00],
  f32Store: [0x38, 0x02, 0x00],
  /** Constants 0 to 63 only: one byte of signed LEB128. */
  i32Const: (value: number) => [0x41, value],
  f32NegativeInfinity: [0x43, 0x00, 0x00, 0x80, 0xff],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  f32Add: [0x92],
};

/** SIMD instructions: the 0xfd prefix, then the instruction's number as unsigned LEB128. */
export const simd = {
  /** Memory immediates: alignment hint 2^0 (any address), offset 0. */
  v128Load: [0xfd, 0x00, 0x00, 0x00],
  v128Store: [0xfd, 0x0b, 0x00, 0x00],
  /** A constant vector of four i32 lanes, each little-endian. */
  i32x4Const: (lanes: [number, number, number, number]) => [
    0xfd,
    0x0c,
    ...lanes.flatMap((lane) => [0, 8, 16, 24].map((shift) => (lane >>> shift) & 0xff)),
  ],
  i32x4Splat: [0xfd, 0x11],
  f32x4Splat: [0xfd, 0x13],
  i32x4ExtractLane: (lane: number) => [0xfd, 0x1b, lane],
  f32x4ExtractLane: (lane: number) => [0xfd, 0x1f, lane],
  f32x4Gt: [0xfd, 0x44],
  v128Bitselect: [0xfd, 0x52],
  i32x4Add: [0xfd, 0xae, 0x01],
  f32x4Add: [0xfd, 0xe4, 0x01],
};

/** `body` while local `counter` < local `limit`, both unsigned. */
export function whileBelow(counter: number, limit: number, body: number[]): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...op.get(counter),
    ...op.get(limit),
    ...op.i32GeU,
    ...op.brIf(1),
    ...body,
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

/** local `index` += the i32 that `by` pushes. */
export function increment(index: number, by: number[]): number[] {
  return [...op.get(index), ...by, ...op.i32Add, ...op.set(index)];
}

export interface FunctionCode {
  /** Exported under this name. */
  name: string;
  /** Value types of the parameters; the function returns nothing. */
  params: number[];
  /** Groups of locals after the parameters: [count, value type]. */
  locals: [number, number][];
  /** The instructions, without the final `end`. */
  body: number[];
}

/** The module: the function, and (import "env" "memory" (memory 1)), the backend's heap whatever its size. */
export function moduleBytes({ name: exportName, params, locals, body }: FunctionCode): Uint8Array {
  const code = [...vector(locals.map(([count, type]) => [...leb128(count), type])), ...body, ...op.end];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, ...vector(params.map((t) => [t])), 0x00]])),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vector([[0x00]])),
    ...section(7, vector([[...name(exportName), 0x00, 0x00]])),
    ...section(10, vector([[...leb128(code.length), ...code]])),
  ]);
}

/**
 * The module's function bound to `memory` (a WebAssembly.Memory), or undefined where it cannot
 * run: no WebAssembly SIMD, or a shared memory (the backend's threaded build), which the module
 * does not declare.
 */
export function instantiate<F>(bytes: Uint8Array, exportName: string, memory: object): F | undefined {
  if (!webAssembly.validate(bytes)) {
    return undefined;
  }
  try {
    const instance = new webAssembly.Instance(new webAssembly.Module(bytes), { env: { memory } });
    return instance.exports[exportName] as F;
  } catch {
    return undefined;
  }
}
