// From file bytes to RGBA pixels with the browser's own decoders.

/** Pictures are decoded straight to at most this many pixels a side: the model sees 28. */
const MAX_DECODED_SIDE = 1024;

/** The picture as the results show it: small enough to keep in the page's state. */
const THUMBNAIL_SIDE = 224;

/**
 * Pictures above this many pixels decode one at a time: the browser may hold the whole decoded
 * picture before it scales it down (a 40-megapixel photo is 160 MB of pixels).
 */
export const LARGE_PICTURE_PIXELS = 8_000_000;

/** The large decode under way, if any: the next one waits for it. */
let largeDecode: Promise<unknown> = Promise.resolve();

/** Runs `decode` now, or after the large decode under way when the picture is large too. */
function oneLargeAtATime<T>(pixels: number, decode: () => Promise<T>): Promise<T> {
  if (pixels <= LARGE_PICTURE_PIXELS) {
    return decode();
  }
  const turn = largeDecode.then(decode, decode);
  largeDecode = turn.catch(() => undefined);
  return turn;
}

export interface DecodedImage {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  /** A small copy of the picture as a data URL, for the results card and its saved state. */
  thumbnail: string;
}

async function thumbnailOf(bitmap: ImageBitmap): Promise<string> {
  const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = new OffscreenCanvas(
    Math.max(1, Math.round(bitmap.width * scale)),
    Math.max(1, Math.round(bitmap.height * scale)),
  );
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await canvas.convertToBlob({ type: 'image/webp', quality: 0.85 });
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The thumbnail could not be made.'));
    reader.readAsDataURL(blob);
  });
}

/**
 * Decodes PNG, JPEG, GIF (first frame), BMP or WebP. Colours are taken as stored (no colour
 * management, no premultiplied alpha), so a gray data-set image keeps its exact byte values.
 */
export function decodeImage(bytes: ArrayBuffer, width?: number, height?: number): Promise<DecodedImage> {
  // Without a size from the header the picture counts as large.
  const pixels = width && height ? width * height : Infinity;
  return oneLargeAtATime(pixels, () => decodeNow(bytes, width, height));
}

async function decodeNow(bytes: ArrayBuffer, width?: number, height?: number): Promise<DecodedImage> {
  const options: ImageBitmapOptions = { colorSpaceConversion: 'none', premultiplyAlpha: 'none' };
  if (width && height && Math.max(width, height) > MAX_DECODED_SIDE) {
    const scale = MAX_DECODED_SIDE / Math.max(width, height);
    options.resizeWidth = Math.max(1, Math.round(width * scale));
    options.resizeHeight = Math.max(1, Math.round(height * scale));
    options.resizeQuality = 'high';
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]), options);
  } catch {
    throw new Error('The picture could not be decoded: the file is damaged or not an image.');
  }
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(bitmap, 0, 0);
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height, { colorSpace: 'srgb' });
    return { rgba: data.data, width: bitmap.width, height: bitmap.height, thumbnail: await thumbnailOf(bitmap) };
  } finally {
    bitmap.close();
  }
}
