import * as assert from 'node:assert/strict';
import {
  checkImageSize,
  ImageFormatError,
  ImageTooLargeError,
  MAX_IMAGE_PIXELS,
  readImageSize,
} from '../../src/shared/imageHeader';
import { encodeGrayPng } from '../harness/png';

/** Bytes from numbers, ASCII strings and byte arrays, in order. */
function bytes(...parts: (number | string | number[] | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') {
      out.push(part);
    } else if (typeof part === 'string') {
      out.push(...Array.from(part, (c) => c.charCodeAt(0)));
    } else {
      out.push(...part);
    }
  }
  return Uint8Array.from(out);
}

const u16be = (n: number) => [n >> 8, n & 0xff];
const u16le = (n: number) => [n & 0xff, n >> 8];
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const u32be = (n: number) => u32le(n).reverse();
const zeros = (n: number) => new Array<number>(n).fill(0);

function png(width: number, height: number): Uint8Array {
  return bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], u32be(13), 'IHDR', u32be(width), u32be(height));
}

interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * A GIF up to its first Image Descriptor: the logical screen (`width` × `height`), a global colour
 * table of 2^(bits) colours when `bits` is given, the `blocks` before the frame, then the frame
 * (by default filling the screen).
 */
function gif(
  width: number,
  height: number,
  {
    frame = { left: 0, top: 0, width, height },
    bits,
    blocks = [],
  }: { frame?: Frame; bits?: number; blocks?: number[][] } = {},
): Uint8Array {
  const flags = bits === undefined ? 0 : 0x80 | (bits - 1);
  const colorTable = bits === undefined ? [] : zeros(3 * 2 ** bits);
  const descriptor = [0x2c, ...[frame.left, frame.top, frame.width, frame.height].flatMap(u16le), 0];
  return bytes('GIF89a', u16le(width), u16le(height), flags, 0, 0, colorTable, ...blocks, descriptor);
}

/** Extension blocks as they precede frames: graphic control, a comment in two sub-blocks, and NETSCAPE looping. */
const GIF_EXTENSIONS = [
  [0x21, 0xf9, 4, 0, 10, 0, 0, 0],
  [0x21, 0xfe, 3, ...Array.from('abc', (c) => c.charCodeAt(0)), 2, 0x68, 0x69, 0],
  [0x21, 0xff, 11, ...Array.from('NETSCAPE2.0', (c) => c.charCodeAt(0)), 3, 1, 0, 0, 0],
];

function bmp(width: number, height: number): Uint8Array {
  // File header (14 bytes), then the start of a BITMAPINFOHEADER.
  return bytes('BM', u32le(1000), zeros(4), u32le(54), u32le(40), u32le(width), u32le(height));
}

/** SOI, an APP0 segment, a DHT segment (C4, in the SOF range but not a frame), fill bytes, then `sof`. */
function jpeg(width: number, height: number, sof = 0xc0): Uint8Array {
  return bytes(
    [0xff, 0xd8],
    [0xff, 0xe0],
    u16be(16),
    'JFIF',
    0,
    zeros(9),
    [0xff, 0xc4],
    u16be(7),
    [0x00, 0x01, 0x02, 0x03, 0x04],
    [0xff, 0xff, 0xff],
    [0xff, sof],
    u16be(17),
    8,
    u16be(height),
    u16be(width),
  );
}

function riff(chunk: string, payload: (number | number[])[]): Uint8Array {
  const data = bytes(...payload);
  return bytes('RIFF', u32le(data.length + 12), 'WEBP', chunk, u32le(data.length), data);
}

const webpLossy = (width: number, height: number) =>
  riff('VP8 ', [[0x50, 0x01, 0x00], [0x9d, 0x01, 0x2a], u16le(width), u16le(height)]);

function webpLossless(width: number, height: number): Uint8Array {
  const bits = (width - 1) | ((height - 1) << 14);
  return riff('VP8L', [0x2f, u32le(bits)]);
}

function webpExtended(width: number, height: number): Uint8Array {
  const u24 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
  return riff('VP8X', [0x10, zeros(3), u24(width - 1), u24(height - 1)]);
}

function assertFormatError(input: Uint8Array, message: RegExp): void {
  assert.throws(
    () => readImageSize(input),
    (error: unknown) => {
      assert.ok(error instanceof ImageFormatError, String(error));
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('image header', () => {
  it('reads the size of a PNG, from a hand-made header and from an encoded file', () => {
    assert.deepEqual(readImageSize(png(640, 480)), { format: 'png', width: 640, height: 480 });
    assert.deepEqual(readImageSize(encodeGrayPng(3, 2, new Uint8Array(6))), { format: 'png', width: 3, height: 2 });
  });

  it('reads the size of a GIF', () => {
    assert.deepEqual(readImageSize(gif(300, 200)), { format: 'gif', width: 300, height: 200 });
  });

  it('finds the first frame of a GIF past its colour table and extension blocks', () => {
    const frame = { left: 0, top: 0, width: 64, height: 48 };
    for (const bits of [undefined, 1, 8]) {
      const input = gif(64, 48, { frame, bits, blocks: GIF_EXTENSIONS });
      assert.deepEqual(readImageSize(input), { format: 'gif', width: 64, height: 48 }, `bits ${bits}`);
    }
  });

  it('sizes a GIF by its first frame where that reaches past the logical screen, as browsers decode it', () => {
    const size = (width: number, height: number, frame: Frame) => readImageSize(gif(width, height, { frame }));
    assert.deepEqual(size(10, 10, { left: 0, top: 0, width: 30, height: 5 }), { format: 'gif', width: 30, height: 10 });
    assert.deepEqual(size(10, 10, { left: 8, top: 9, width: 4, height: 4 }), { format: 'gif', width: 12, height: 13 });
    assert.deepEqual(size(0, 0, { left: 0, top: 0, width: 50, height: 40 }), { format: 'gif', width: 50, height: 40 });
  });

  it('refuses a GIF whose logical screen is tiny but whose first frame is huge', () => {
    const huge = { left: 0, top: 0, width: 10_000, height: 10_000 };
    const offset = { left: 9_000, top: 9_000, width: 100, height: 100 };
    for (const frame of [huge, offset]) {
      const input = gif(1, 1, { frame, bits: 2, blocks: GIF_EXTENSIONS });
      assert.throws(() => checkImageSize(readImageSize(input)), ImageTooLargeError);
    }
  });

  it('reads the size of a BMP, bottom-up and top-down', () => {
    assert.deepEqual(readImageSize(bmp(120, 80)), { format: 'bmp', width: 120, height: 80 });
    assert.deepEqual(readImageSize(bmp(120, -80)), { format: 'bmp', width: 120, height: 80 });
  });

  it('reads the size of an OS/2 BMP with its 16-bit core header', () => {
    const core = bytes('BM', u32le(1000), zeros(4), u32le(26), u32le(12), u16le(33), u16le(44));
    assert.deepEqual(readImageSize(core), { format: 'bmp', width: 33, height: 44 });
  });

  it('reads the size of a JPEG from its first frame header, skipping other segments', () => {
    assert.deepEqual(readImageSize(jpeg(1024, 768)), { format: 'jpeg', width: 1024, height: 768 });
    for (const sof of [0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]) {
      assert.deepEqual(readImageSize(jpeg(50, 60, sof)), { format: 'jpeg', width: 50, height: 60 }, sof.toString(16));
    }
  });

  it('reads the size of lossy, lossless and extended WebP', () => {
    assert.deepEqual(readImageSize(webpLossy(550, 368)), { format: 'webp', width: 550, height: 368 });
    assert.deepEqual(readImageSize(webpLossless(16383, 1)), { format: 'webp', width: 16383, height: 1 });
    assert.deepEqual(readImageSize(webpLossless(386, 395)), { format: 'webp', width: 386, height: 395 });
    assert.deepEqual(readImageSize(webpExtended(10_000, 70_000)), { format: 'webp', width: 10_000, height: 70_000 });
  });

  it('reads a header inside a larger buffer', () => {
    const framed = new Uint8Array(64);
    framed.set(gif(7, 9), 10);
    assert.deepEqual(readImageSize(framed.subarray(10)), { format: 'gif', width: 7, height: 9 });
  });

  it('refuses empty input and files of other kinds', () => {
    assertFormatError(new Uint8Array(0), /empty/);
    assertFormatError(bytes('hello, world'), /^not a PNG, JPEG, GIF, BMP or WebP image$/);
    assertFormatError(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), /not a PNG, JPEG, GIF, BMP or WebP image/);
    assertFormatError(bytes('RIFF', u32le(36), 'WAVEfmt ', zeros(20)), /not a PNG, JPEG, GIF, BMP or WebP image/);
  });

  it('calls every cut-short header truncated, naming the format', () => {
    const cases: [Uint8Array, string][] = [
      [png(1, 1), 'PNG'],
      [gif(1, 1, { bits: 1, blocks: GIF_EXTENSIONS }), 'GIF'],
      [bmp(1, 1), 'BMP'],
      [jpeg(1, 1), 'JPEG'],
      [webpLossy(1, 1), 'WebP'],
      [webpLossless(1, 1), 'WebP'],
      [webpExtended(1, 1), 'WebP'],
    ];
    for (const [header, name] of cases) {
      for (let length = 1; length < header.length; length++) {
        assertFormatError(header.subarray(0, length), new RegExp(`^truncated ${name} header$`));
      }
    }
  });

  it('names damage inside a header', () => {
    assertFormatError(bytes([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0], zeros(16)), /corrupt PNG signature/);
    assertFormatError(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], u32be(13), 'IDAT', zeros(8)), /not IHDR/);
    assertFormatError(bytes('GIF8xa', zeros(7)), /corrupt GIF header/);
    assertFormatError(bytes('GIF89a', zeros(7), 0x3b), /^corrupt GIF: it ends before its first image$/);
    assertFormatError(bytes('GIF89a', zeros(7), 0x00), /^corrupt GIF header: unknown block 0x00 at byte 13$/);
    assertFormatError(bytes('BM', zeros(12), u32le(7), zeros(8)), /corrupt BMP header/);
    assertFormatError(bytes([0xff, 0xd8, 0x12, 0x34]), /corrupt JPEG header: no marker at byte 2/);
    assertFormatError(bytes([0xff, 0xd8, 0xff, 0xda], u16be(8), zeros(6)), /no frame header/);
    assertFormatError(bytes([0xff, 0xd8, 0xff, 0xe1], u16be(0)), /segment length 0/);
    assertFormatError(bytes('RIFF', u32le(20), 'WEBP', 'ALPH', zeros(10)), /unknown first chunk "ALPH"/);
    assertFormatError(riff('VP8 ', [zeros(10)]), /no VP8 start code/);
    assertFormatError(riff('VP8L', [0x00, zeros(4)]), /no VP8L signature/);
  });

  it('refuses a header that gives no pixels', () => {
    assertFormatError(png(0, 10), /invalid PNG size in header: 0 × 10 pixels/);
    assertFormatError(gif(10, 0), /invalid GIF size/);
    assertFormatError(bmp(-5, 10), /invalid BMP size in header: -5 × 10/);
    assertFormatError(jpeg(10, 0), /invalid JPEG size/);
    assertFormatError(webpLossy(0, 0), /invalid WebP size/);
  });

  it('lets images up to the pixel limit through and refuses larger ones', () => {
    assert.equal(MAX_IMAGE_PIXELS, 40_000_000);
    checkImageSize({ width: 8000, height: 5000 });
    checkImageSize(readImageSize(jpeg(6000, 4000)));
    assert.throws(
      () => checkImageSize(readImageSize(png(10_000, 10_000))),
      (error: unknown) =>
        error instanceof ImageTooLargeError &&
        error.message === '10000 × 10000 pixels is larger than the 40-megapixel limit.',
    );
    assert.throws(() => checkImageSize({ width: 40_000_001, height: 1 }), ImageTooLargeError);
  });
});
