// The size of an image from its first bytes, without decoding it: the host refuses a picture too
// large to decode safely, and names the problem with a damaged file, before the panel sees either.
// Pure: reads a Uint8Array, in Node and in the browser alike.

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';

interface Size {
  width: number;
  height: number;
}

export interface ImageSize extends Size {
  format: ImageFormat;
}

/** A file that is not an image of a supported format, or whose header is damaged; `message` says how. */
export class ImageFormatError extends Error {
  override name = 'ImageFormatError';
}

/** Decoding takes 4 bytes a pixel, several times over; 40 million pixels is a 12-megapixel photo with room to spare. */
export const MAX_IMAGE_PIXELS = 40_000_000;

const NOT_AN_IMAGE = 'not a PNG, JPEG, GIF, BMP or WebP image';

/** Reads the format and size from the header of an image file. Throws ImageFormatError. */
export function readImageSize(bytes: Uint8Array): ImageSize {
  if (bytes.length === 0) {
    throw new ImageFormatError(`the file is empty: ${NOT_AN_IMAGE}`);
  }
  const header = new Header(bytes);
  if (header.startsWith([0x89, 0x50, 0x4e, 0x47])) {
    return checked('png', readPng(header));
  }
  if (header.startsWith([0xff, 0xd8])) {
    return checked('jpeg', readJpeg(header));
  }
  if (header.startsWith([0x47, 0x49, 0x46, 0x38])) {
    return checked('gif', readGif(header));
  }
  if (header.startsWith([0x42, 0x4d])) {
    return checked('bmp', readBmp(header));
  }
  if (header.startsWith([0x52, 0x49, 0x46, 0x46])) {
    return checked('webp', readWebp(header));
  }
  throw new ImageFormatError(NOT_AN_IMAGE);
}

/** A picture that is a valid image but too large to decode safely; `message` is a whole sentence. */
export class ImageTooLargeError extends Error {
  override name = 'ImageTooLargeError';
}

/** Throws ImageTooLargeError when an image has more than MAX_IMAGE_PIXELS pixels. */
export function checkImageSize(size: Size): void {
  if (size.width * size.height > MAX_IMAGE_PIXELS) {
    const megapixels = MAX_IMAGE_PIXELS / 1_000_000;
    throw new ImageTooLargeError(
      `${size.width} × ${size.height} pixels is larger than the ${megapixels}-megapixel limit.`,
    );
  }
}

const FORMAT_NAMES: Record<ImageFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  gif: 'GIF',
  bmp: 'BMP',
  webp: 'WebP',
};

function checked(format: ImageFormat, size: Size): ImageSize {
  if (size.width <= 0 || size.height <= 0) {
    throw new ImageFormatError(`invalid ${FORMAT_NAMES[format]} size in header: ${size.width} × ${size.height} pixels`);
  }
  return { format, ...size };
}

/** Bounds-checked reads: any read past the end throws "truncated <format> header". */
class Header {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  startsWith(signature: number[]): boolean {
    return signature.every((byte, i) => i >= this.bytes.length || this.bytes[i] === byte);
  }

  need(format: ImageFormat, end: number): void {
    if (this.bytes.length < end) {
      throw new ImageFormatError(`truncated ${FORMAT_NAMES[format]} header`);
    }
  }

  ascii(offset: number, length: number): string {
    return String.fromCharCode(...this.bytes.subarray(offset, offset + length));
  }

  u8 = (offset: number) => this.view.getUint8(offset);
  u16be = (offset: number) => this.view.getUint16(offset, false);
  u16le = (offset: number) => this.view.getUint16(offset, true);
  u32be = (offset: number) => this.view.getUint32(offset, false);
  u32le = (offset: number) => this.view.getUint32(offset, true);
  i32le = (offset: number) => this.view.getInt32(offset, true);
}

function readPng(h: Header): Size {
  h.need('png', 8);
  if (!h.startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    throw new ImageFormatError('corrupt PNG signature');
  }
  h.need('png', 24);
  if (h.ascii(12, 4) !== 'IHDR') {
    throw new ImageFormatError('corrupt PNG header: the first chunk is not IHDR');
  }
  return { width: h.u32be(16), height: h.u32be(20) };
}

/**
 * The logical screen and the first frame, whichever reaches further each way: browsers' decoders
 * grow the canvas to the first frame's bottom-right corner when the screen is smaller, so a tiny
 * screen can front a huge frame, and the picture is that large when the panel decodes it.
 */
function readGif(h: Header): Size {
  h.need('gif', 13);
  const version = h.ascii(0, 6);
  if (version !== 'GIF87a' && version !== 'GIF89a') {
    throw new ImageFormatError('corrupt GIF header');
  }
  const frame = readGifFirstFrame(h, 13 + gifColorTableBytes(h.u8(10)));
  return { width: Math.max(h.u16le(6), frame.right), height: Math.max(h.u16le(8), frame.bottom) };
}

/** A colour table follows when bit 7 of the flags is set: 3 × 2^(n+1) bytes, n its low 3 bits. */
function gifColorTableBytes(flags: number): number {
  return flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0;
}

/** Walks the blocks after the screen, skipping extensions (comments, animation, ...), to the first Image Descriptor. */
function readGifFirstFrame(h: Header, start: number): { right: number; bottom: number } {
  let offset = start;
  for (;;) {
    h.need('gif', offset + 1);
    const block = h.u8(offset);
    if (block === 0x2c) {
      // Image Descriptor (10 bytes): separator; left, top, width and height, 16 bits each; flags.
      h.need('gif', offset + 10);
      return { right: h.u16le(offset + 1) + h.u16le(offset + 5), bottom: h.u16le(offset + 3) + h.u16le(offset + 7) };
    }
    if (block === 0x3b) {
      throw new ImageFormatError('corrupt GIF: it ends before its first image');
    }
    if (block !== 0x21) {
      throw new ImageFormatError(
        `corrupt GIF header: unknown block 0x${block.toString(16).padStart(2, '0')} at byte ${offset}`,
      );
    }
    // Extension: introducer, label, then sub-blocks, each a size byte and that many bytes, until a size of 0.
    offset += 2;
    let size: number;
    do {
      h.need('gif', offset + 1);
      size = h.u8(offset);
      offset += 1 + size;
    } while (size !== 0);
  }
}

/** BITMAPCOREHEADER (12 bytes) has 16-bit sizes; every later header starts like BITMAPINFOHEADER. */
function readBmp(h: Header): Size {
  h.need('bmp', 18);
  const dibSize = h.u32le(14);
  if (dibSize === 12) {
    h.need('bmp', 22);
    return { width: h.u16le(18), height: h.u16le(20) };
  }
  if (dibSize < 16 || dibSize > 124) {
    throw new ImageFormatError(`corrupt BMP header: unknown header size ${dibSize}`);
  }
  h.need('bmp', 26);
  // A negative height marks rows stored top-down; the size is its magnitude.
  return { width: h.i32le(18), height: Math.abs(h.i32le(22)) };
}

/** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers without a length field: TEM and the restart markers. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/** Walks the segments after SOI to the first frame header, which holds the size. */
function readJpeg(h: Header): Size {
  let offset = 2;
  for (;;) {
    h.need('jpeg', offset + 2);
    if (h.u8(offset) !== 0xff) {
      throw new ImageFormatError(`corrupt JPEG header: no marker at byte ${offset}`);
    }
    // Any number of 0xFF fill bytes may precede a marker.
    while (h.u8(offset + 1) === 0xff) {
      offset++;
      h.need('jpeg', offset + 2);
    }
    const marker = h.u8(offset + 1);
    offset += 2;
    if (isStandalone(marker)) {
      continue;
    }
    if (marker === 0xd8 || marker === 0xd9 || marker === 0xda || marker === 0x00) {
      throw new ImageFormatError('corrupt JPEG header: no frame header before the image data');
    }
    h.need('jpeg', offset + 2);
    const length = h.u16be(offset);
    if (length < 2) {
      throw new ImageFormatError(`corrupt JPEG header: segment length ${length} at byte ${offset}`);
    }
    if (isStartOfFrame(marker)) {
      // Segment: length (2), sample precision (1), height (2), width (2), ...
      h.need('jpeg', offset + 7);
      return { width: h.u16be(offset + 5), height: h.u16be(offset + 3) };
    }
    offset += length;
  }
}

/** RIFF container, then one of three first chunks: VP8 (lossy), VP8L (lossless) or VP8X (extended). */
function readWebp(h: Header): Size {
  h.need('webp', 12);
  if (h.ascii(8, 4) !== 'WEBP') {
    throw new ImageFormatError(NOT_AN_IMAGE);
  }
  h.need('webp', 20);
  const chunk = h.ascii(12, 4);
  if (chunk === 'VP8 ') {
    // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height (2 bits of scale above).
    h.need('webp', 30);
    if (h.u8(23) !== 0x9d || h.u8(24) !== 0x01 || h.u8(25) !== 0x2a) {
      throw new ImageFormatError('corrupt WebP header: no VP8 start code');
    }
    return { width: h.u16le(26) & 0x3fff, height: h.u16le(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    // Signature 0x2F, then width-1 and height-1 as two 14-bit fields, least significant bits first.
    h.need('webp', 25);
    if (h.u8(20) !== 0x2f) {
      throw new ImageFormatError('corrupt WebP header: no VP8L signature');
    }
    const bits = h.u32le(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    // Flags (1 byte), reserved (3), then canvas width-1 and height-1 as 24-bit fields.
    h.need('webp', 30);
    const u24 = (offset: number) => h.u8(offset) | (h.u8(offset + 1) << 8) | (h.u8(offset + 2) << 16);
    return { width: u24(24) + 1, height: u24(27) + 1 };
  }
  throw new ImageFormatError(`corrupt WebP header: unknown first chunk "${chunk}"`);
}
