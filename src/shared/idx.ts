// IDX, the format Fashion-MNIST (like MNIST) is distributed in: a big-endian header, then bytes.
// Pure: parses an already decompressed buffer, in Node and in the browser alike.

export const IMAGES_MAGIC = 0x00000803;
export const LABELS_MAGIC = 0x00000801;

/** An images file's header: magic, count, rows and columns, four bytes each. */
export const IMAGES_HEADER_BYTES = 16;

/** Fashion-MNIST's images, like MNIST's, are 28 × 28 pixels; the model is built for nothing else. */
export const IMAGE_ROWS = 28;
export const IMAGE_COLS = 28;

export interface IdxImagesHeader {
  count: number;
  rows: number;
  cols: number;
}

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count * rows * cols bytes, row-major, 0 = background, 255 = ink. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  count: number;
  labels: Uint8Array;
}

/** A file that is not the IDX content it should be; `message` says how. */
export class IdxFormatError extends Error {
  override name = 'IdxFormatError';
}

function header(bytes: Uint8Array, words: number, what: string): number[] {
  if (bytes.byteLength < words * 4) {
    throw new IdxFormatError(`${what}: ${bytes.byteLength} bytes is too short for an IDX header.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: words }, (_, i) => view.getUint32(i * 4, false));
}

function checkMagic(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
    throw new IdxFormatError(`${what}: magic number ${hex(actual)}, expected ${hex(expected)}.`);
  }
}

function checkLength(bytes: Uint8Array, expected: number, what: string): void {
  if (bytes.byteLength !== expected) {
    const how = bytes.byteLength < expected ? 'truncated' : 'longer than its header says';
    throw new IdxFormatError(`${what}: ${bytes.byteLength} bytes, expected ${expected} (${how}).`);
  }
}

/**
 * Reads the header of an IDX images file (magic 0x803) from its first IMAGES_HEADER_BYTES bytes
 * or more, without looking at the pixels. `what` names the file in error messages.
 */
export function parseIdxImagesHeader(bytes: Uint8Array, what = 'images file'): IdxImagesHeader {
  const [magic, count, rows, cols] = header(bytes, 4, what);
  checkMagic(magic, IMAGES_MAGIC, what);
  return { count, rows, cols };
}

/** Throws IdxFormatError unless the images are IMAGE_ROWS × IMAGE_COLS, naming the size found. */
export function checkImageShape({ rows, cols }: IdxImagesHeader, what = 'images file'): void {
  if (rows !== IMAGE_ROWS || cols !== IMAGE_COLS) {
    throw new IdxFormatError(
      `${what}: its images are ${rows} × ${cols} pixels, but Fashion-MNIST's are ${IMAGE_ROWS} × ${IMAGE_COLS}.`,
    );
  }
}

/** Parses an IDX images file (magic 0x803) of any image size. `what` names the file in error messages. */
export function parseIdxImages(bytes: Uint8Array, what = 'images file'): IdxImages {
  const { count, rows, cols } = parseIdxImagesHeader(bytes, what);
  checkLength(bytes, IMAGES_HEADER_BYTES + count * rows * cols, what);
  return { count, rows, cols, pixels: bytes.subarray(IMAGES_HEADER_BYTES) };
}

/** Parses an IDX labels file (magic 0x801). `what` names the file in error messages. */
export function parseIdxLabels(bytes: Uint8Array, what = 'labels file', classCount = 10): IdxLabels {
  const [magic, count] = header(bytes, 2, what);
  checkMagic(magic, LABELS_MAGIC, what);
  checkLength(bytes, 8 + count, what);
  const labels = bytes.subarray(8);
  const bad = labels.findIndex((label) => label >= classCount);
  if (bad >= 0) {
    throw new IdxFormatError(`${what}: label ${labels[bad]} at index ${bad} is not a class (0-${classCount - 1}).`);
  }
  return { count, labels };
}

/** Checks that an images file and its labels file describe the same number of examples. */
export function checkSameCount(images: IdxImages, labels: IdxLabels, what: string): void {
  if (images.count !== labels.count) {
    throw new IdxFormatError(`${what}: ${images.count} images but ${labels.count} labels.`);
  }
}
