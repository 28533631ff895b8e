// Brings any picture to what the model was trained on: Fashion-MNIST images are 28x28 grayscale,
// a light garment on a dark background, scaled to [0, 1].
// Pure: works on RGBA bytes as a canvas's getImageData returns them, in the panel and in tests.

/**
 * The side of the model's input. The same number as IMAGE_SIDE in ml/model, repeated here (a unit
 * test keeps them equal) so that this module does not pull TF.js into whatever imports it.
 */
export const MODEL_IMAGE_SIDE = 28;

/** Border means above this are a light background, which gets inverted. */
const LIGHT_BORDER = 127.5;

/** One byte per pixel, row-major, 0 = black, 255 = white. */
export interface GrayImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

export interface PreprocessedImage {
  /** 784 values in [0, 1], scaled exactly as the training data is (see scaleToUnit). */
  input: Float32Array;
  /** The 28x28 image the model sees, 0-255, for display. */
  pixels28: Uint8Array;
  /** True when the picture had a light border and was inverted to light-on-dark. */
  inverted: boolean;
}

/**
 * Composites RGBA (not premultiplied) onto white, then takes the luminance
 * 0.299 R + 0.587 G + 0.114 B, rounded. White because a transparent product cut-out is then
 * handled like a photo on white. The sums run in integers so gray pixels keep their exact value.
 */
export function toGrayscale(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): GrayImage {
  checkDimensions(width, height);
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`${rgba.length} bytes are not a ${width}x${height} RGBA image.`);
  }
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const lumaTimes1000 = 299 * rgba[4 * i] + 587 * rgba[4 * i + 1] + 114 * rgba[4 * i + 2];
    const alpha = rgba[4 * i + 3];
    // A Uint8Array store truncates, so adding half the divisor rounds half up, like Math.round.
    pixels[i] = (lumaTimes1000 * alpha + 255_000 * (255 - alpha) + 127_500) / 255_000;
  }
  return { pixels, width, height };
}

/** Mean of the outermost ring of pixels: the background a garment is photographed on. */
export function borderMean(image: GrayImage): number {
  const { pixels, width, height } = image;
  if (width <= 2 || height <= 2) {
    return pixels.reduce((sum, value) => sum + value, 0) / pixels.length;
  }
  let sum = 0;
  for (let x = 0; x < width; x++) {
    sum += pixels[x] + pixels[(height - 1) * width + x];
  }
  for (let y = 1; y < height - 1; y++) {
    sum += pixels[y * width] + pixels[y * width + width - 1];
  }
  return sum / (2 * width + 2 * (height - 2));
}

export function invert(image: GrayImage): GrayImage {
  const pixels = new Uint8Array(image.pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = 255 - image.pixels[i];
  }
  return { ...image, pixels };
}

/** Pixels brighter than this (on the dark background after inversion) count as garment. */
const INK_THRESHOLD = 32;

/**
 * The image cut to the box around its garment (pixels above INK_THRESHOLD), as Fashion-MNIST's
 * own pictures were trimmed before being scaled, so a garment photographed with a wide margin
 * fills the frame like the training images. An image with no such pixels is returned as is.
 */
export function cropToContent(image: GrayImage, threshold = INK_THRESHOLD): GrayImage {
  const { pixels, width, height } = image;
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x] > threshold) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  if (right < 0) {
    return image;
  }
  const cropWidth = right - left + 1;
  const cropHeight = bottom - top + 1;
  const cropped = new Uint8Array(cropWidth * cropHeight);
  for (let y = 0; y < cropHeight; y++) {
    cropped.set(pixels.subarray((top + y) * width + left, (top + y) * width + left + cropWidth), y * cropWidth);
  }
  return { pixels: cropped, width: cropWidth, height: cropHeight };
}

/** Where an image sits, centred, in the smallest square holding it. */
function squarePlacement(image: GrayImage): { side: number; left: number; top: number } {
  const side = Math.max(image.width, image.height);
  return { side, left: Math.floor((side - image.width) / 2), top: Math.floor((side - image.height) / 2) };
}

/** Centres the image in a square filled with `fill`, keeping its aspect ratio. */
export function padToSquare(image: GrayImage, fill = 0): GrayImage {
  const { side, left, top } = squarePlacement(image);
  const pixels = new Uint8Array(side * side).fill(fill);
  for (let y = 0; y < image.height; y++) {
    pixels.set(image.pixels.subarray(y * image.width, (y + 1) * image.width), (top + y) * side + left);
  }
  return { pixels, width: side, height: side };
}

/**
 * Each output pixel is the area-weighted mean of the source pixels it covers, fractions included.
 * Upscaling makes each output pixel a box sample of the one or two source pixels under it.
 */
export function resizeByAreaAverage(image: GrayImage, width: number, height: number): GrayImage {
  checkDimensions(width, height);
  return resample(image, { width: image.width, height: image.height, left: 0, top: 0, fill: 0 }, width, height);
}

/**
 * The same as resizeByAreaAverage(padToSquare(image, fill), side, side), without building the
 * padded square: a panorama within the pixel limit would make a square of over a gigabyte.
 */
export function fitToSquare(image: GrayImage, side: number, fill = 0): GrayImage {
  checkDimensions(side, side);
  const { side: frame, left, top } = squarePlacement(image);
  return resample(image, { width: frame, height: frame, left, top, fill }, side, side);
}

/**
 * Pixels to [0, 1] with the expression toTensors (ml/tensors) uses on the training data, each
 * quotient rounded once to float32, so a 28x28 data-set image gives bit-identical model input on
 * both paths and therefore the same prediction.
 */
export function scaleToUnit(pixels: Uint8Array): Float32Array {
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < scaled.length; i++) {
    scaled[i] = pixels[i] / 255;
  }
  return scaled;
}

/**
 * RGBA to the model's input: composite on white, grayscale, invert a light background, trim to
 * the garment (unless already 28x28), centre
 * in a square padded with the (now dark) background, area-average to 28x28, scale to [0, 1].
 * A 28x28 gray image on a dark background comes out unchanged.
 */
export function preprocessImage(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
): PreprocessedImage {
  const gray = toGrayscale(rgba, width, height);
  const inverted = borderMean(gray) > LIGHT_BORDER;
  const lightOnDark = inverted ? invert(gray) : gray;
  // A picture already at the model's size is taken as framed like the data set: it reaches the
  // model unchanged. Any other is trimmed to its garment first.
  const alreadyFramed = width === MODEL_IMAGE_SIDE && height === MODEL_IMAGE_SIDE;
  const framed = alreadyFramed ? lightOnDark : cropToContent(lightOnDark);
  const pixels28 = fitToSquare(framed, MODEL_IMAGE_SIDE, 0).pixels;
  return { input: scaleToUnit(pixels28), pixels28, inverted };
}

function checkDimensions(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`${width}x${height} is not an image size.`);
  }
}

/** The image placed in a larger frame whose other pixels are `fill`. */
interface Frame {
  width: number;
  height: number;
  left: number;
  top: number;
  fill: number;
}

/** How the output pixels along one axis cover the source pixels. */
interface AxisWeights {
  /** Output pixel i takes entries starts[i] to starts[i + 1] of sources and weights. */
  starts: Int32Array;
  /** Indices into the image (not the frame). */
  sources: Int32Array;
  weights: Float64Array;
  /** Weight of the frame's fill pixels in each output pixel. */
  fillWeights: Float64Array;
}

/**
 * Lengths are measured in units where a source pixel is `outLength` long and an output pixel
 * `frameLength` long, so every overlap is a whole number and the sums in `resample` are exact
 * integers; the only rounding is the final one to a byte.
 */
function axisWeights(frameLength: number, imageStart: number, imageLength: number, outLength: number): AxisWeights {
  const starts = new Int32Array(outLength + 1);
  // Each boundary between output pixels splits at most one source pixel in two.
  const sources = new Int32Array(imageLength + outLength);
  const weights = new Float64Array(imageLength + outLength);
  const fillWeights = new Float64Array(outLength);
  let count = 0;
  for (let i = 0; i < outLength; i++) {
    const from = i * frameLength;
    const to = from + frameLength;
    const first = Math.max(Math.floor(from / outLength), imageStart);
    const last = Math.min(Math.ceil(to / outLength), imageStart + imageLength) - 1;
    let inside = 0;
    for (let j = first; j <= last; j++) {
      const overlap = Math.min(to, (j + 1) * outLength) - Math.max(from, j * outLength);
      sources[count] = j - imageStart;
      weights[count] = overlap;
      count++;
      inside += overlap;
    }
    fillWeights[i] = frameLength - inside;
    starts[i + 1] = count;
  }
  return { starts, sources, weights, fillWeights };
}

/** Area averaging of the framed image, one axis at a time. */
function resample(image: GrayImage, frame: Frame, outWidth: number, outHeight: number): GrayImage {
  const across = axisWeights(frame.width, frame.left, image.width, outWidth);
  const down = axisWeights(frame.height, frame.top, image.height, outHeight);
  // Horizontal pass: each image row to outWidth sums, each weighing frame.width in all.
  const rows = new Float64Array(image.height * outWidth);
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width;
    for (let i = 0; i < outWidth; i++) {
      let sum = frame.fill * across.fillWeights[i];
      for (let k = across.starts[i]; k < across.starts[i + 1]; k++) {
        sum += across.weights[k] * image.pixels[row + across.sources[k]];
      }
      rows[y * outWidth + i] = sum;
    }
  }
  // Vertical pass over those sums; a row of fill sums to fill * frame.width.
  const total = frame.width * frame.height;
  const pixels = new Uint8Array(outWidth * outHeight);
  for (let j = 0; j < outHeight; j++) {
    for (let i = 0; i < outWidth; i++) {
      let sum = frame.fill * frame.width * down.fillWeights[j];
      for (let k = down.starts[j]; k < down.starts[j + 1]; k++) {
        sum += down.weights[k] * rows[down.sources[k] * outWidth + i];
      }
      pixels[j * outWidth + i] = Math.round(sum / total);
    }
  }
  return { pixels, width: outWidth, height: outHeight };
}
