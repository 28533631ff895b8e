import * as assert from 'node:assert/strict';
import { IMAGE_SIDE } from '../../src/shared/ml/model';
import { toTensors } from '../../src/shared/ml/tensors';
import {
  cropToContent,
  borderMean,
  fitToSquare,
  invert,
  MODEL_IMAGE_SIDE,
  padToSquare,
  preprocessImage,
  resizeByAreaAverage,
  scaleToUnit,
  toGrayscale,
  type GrayImage,
} from '../../src/shared/preprocess';
import { loadSystemTestSet } from '../harness/fashionSamples';
import { seededRandom, useCpuBackend } from './mlFixtures';

/** Opaque RGBA with R = G = B = the gray value, as a canvas gives for a grayscale picture. */
function grayToRgba(gray: Uint8Array): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(gray.length * 4);
  gray.forEach((value, i) => {
    rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = value;
    rgba[4 * i + 3] = 255;
  });
  return rgba;
}

/** A width x height image whose pixel (x, y) is value(x, y). */
function image(width: number, height: number, value: (x: number, y: number) => number): GrayImage {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      pixels[y * width + x] = value(x, y);
    }
  }
  return { pixels, width, height };
}

function randomImage(width: number, height: number, seed: number): GrayImage {
  const random = seededRandom(seed);
  return image(width, height, () => Math.floor(random() * 256));
}

/** Row y of a square 28x28 result, for readable failures. */
const row = (pixels: Uint8Array, y: number) => Array.from(pixels.subarray(y * 28, (y + 1) * 28));

const sum = (pixels: Uint8Array) => pixels.reduce((total, value) => total + value, 0);

describe('preprocessing', () => {
  useCpuBackend();

  it('works at the side the model takes', () => {
    assert.equal(MODEL_IMAGE_SIDE, IMAGE_SIDE);
  });

  it('leaves a 28x28 gray image on a dark border unchanged, scaled exactly as the training data', () => {
    const random = seededRandom(7);
    const garment = image(28, 28, (x, y) =>
      x === 0 || y === 0 || x === 27 || y === 27 ? Math.floor(random() * 60) : Math.floor(random() * 256),
    );
    const result = preprocessImage(grayToRgba(garment.pixels), 28, 28);
    assert.equal(result.inverted, false);
    assert.deepEqual(result.pixels28, garment.pixels);
    const xs = toTensors({ pixels: garment.pixels, labels: Uint8Array.of(0) }).xs;
    try {
      // Bit for bit what training feeds the model, so both paths predict the same.
      assert.deepEqual(result.input, xs.dataSync());
    } finally {
      xs.dispose();
    }
    result.input.forEach((value, i) => assert.equal(value, Math.fround(garment.pixels[i] / 255)));
  });

  it('leaves all 10,000 real Fashion-MNIST test images unchanged', () => {
    const testSet = loadSystemTestSet();
    for (let index = 0; index < testSet.images.count; index++) {
      const pixels = testSet.pixelsOf(index);
      const result = preprocessImage(grayToRgba(pixels), 28, 28);
      assert.equal(result.inverted, false, `image ${index}`);
      // A plain comparison first: deepEqual on 10,000 arrays would take a second.
      if (!result.pixels28.every((value, i) => value === pixels[i])) {
        assert.deepEqual(result.pixels28, Uint8Array.from(pixels), `image ${index}`);
      }
    }
  });

  it('turns a dark garment photographed on white into a light garment on black', () => {
    const photo = image(28, 28, (x, y) => (x >= 8 && x < 20 && y >= 4 && y < 24 ? 40 : 255));
    const result = preprocessImage(grayToRgba(photo.pixels), 28, 28);
    assert.equal(result.inverted, true);
    assert.deepEqual(result.pixels28, image(28, 28, (x, y) => (x >= 8 && x < 20 && y >= 4 && y < 24 ? 215 : 0)).pixels);
    assert.equal(result.input[0], 0);
  });

  it('inverts only when the border is lighter than mid-gray', () => {
    // A 3x3 ring of four 127s and four 128s around a black centre: exactly mid-gray.
    const mid = Uint8Array.of(127, 128, 127, 128, 0, 128, 127, 128, 127);
    assert.equal(borderMean({ pixels: mid, width: 3, height: 3 }), 127.5);
    assert.equal(preprocessImage(grayToRgba(mid), 3, 3).inverted, false);
    const lighter = Uint8Array.from(mid, (value, i) => (i === 0 ? 128 : value));
    assert.equal(preprocessImage(grayToRgba(lighter), 3, 3).inverted, true);
  });

  it('measures the border as the outermost ring of pixels', () => {
    assert.equal(borderMean(image(3, 3, (x, y) => (x === 1 && y === 1 ? 255 : 10))), 10);
    assert.equal(borderMean(image(5, 4, (x, y) => (y === 0 ? 200 : x === 2 && y === 2 ? 255 : 0))), (5 * 200) / 14);
    assert.equal(borderMean(image(1, 3, (_, y) => y * 3)), 3);
  });

  it('inverts without changing its input', () => {
    const original = image(2, 1, (x) => x * 255);
    assert.deepEqual(Array.from(invert(original).pixels), [255, 0]);
    assert.deepEqual(Array.from(original.pixels), [0, 255]);
  });

  it('converts colour to gray by luminance, rounded', () => {
    const rgba = Uint8ClampedArray.of(
      255,
      0,
      0,
      255,
      0,
      255,
      0,
      255,
      0,
      0,
      255,
      255,
      10,
      20,
      30,
      255,
      200,
      200,
      200,
      255,
    );
    // 76.245, 149.685, 29.07, 18.15, 200
    assert.deepEqual(Array.from(toGrayscale(rgba, 5, 1).pixels), [76, 150, 29, 18, 200]);
  });

  it('composites transparency onto white', () => {
    const rgba = Uint8ClampedArray.of(0, 0, 0, 0, 12, 200, 7, 0, 0, 0, 0, 128, 0, 0, 0, 255);
    assert.deepEqual(Array.from(toGrayscale(rgba, 4, 1).pixels), [255, 255, 127, 0]);
  });

  it('makes a transparent background the dark background of the data set', () => {
    // A black garment on a transparent background (whose colour channels are arbitrary).
    const rgba = new Uint8ClampedArray(28 * 28 * 4);
    for (let i = 0; i < 28 * 28; i++) {
      const x = i % 28;
      const y = Math.floor(i / 28);
      const garment = x >= 10 && x < 18 && y >= 6 && y < 22;
      rgba.set(garment ? [0, 0, 0, 255] : [i % 256, 37, 99, 0], 4 * i);
    }
    const result = preprocessImage(rgba, 28, 28);
    assert.equal(result.inverted, true);
    result.pixels28.forEach((value, i) => {
      const garment = i % 28 >= 10 && i % 28 < 18 && i >= 6 * 28 && i < 22 * 28;
      assert.equal(value, garment ? 255 : 0, `pixel ${i}`);
    });
  });

  it('pads to a centred square with the given fill', () => {
    const wide = padToSquare(
      image(3, 1, () => 9),
      5,
    );
    assert.deepEqual([wide.width, wide.height], [3, 3]);
    assert.deepEqual(Array.from(wide.pixels), [5, 5, 5, 9, 9, 9, 5, 5, 5]);
    const tall = padToSquare(image(2, 5, () => 9));
    assert.deepEqual([tall.width, tall.height], [5, 5]);
    assert.deepEqual(Array.from(tall.pixels.subarray(0, 5)), [0, 9, 9, 0, 0]);
  });

  it('keeps the aspect ratio: a 56x28 bar becomes a centred 28x14 band', () => {
    const band = fitToSquare(
      image(56, 28, () => 255),
      28,
    ).pixels;
    for (let y = 0; y < 28; y++) {
      assert.deepEqual(row(band, y), new Array(28).fill(y >= 7 && y < 21 ? 255 : 0), `row ${y}`);
    }
    // Through the whole pipeline, a 52x26 bar inside a dark 2-pixel border: trimmed to the bar,
    // which then spans the full width and keeps its 2:1 shape.
    const framed = image(56, 30, (x, y) => (x >= 2 && x < 54 && y >= 2 && y < 28 ? 255 : 0));
    const result = preprocessImage(grayToRgba(framed.pixels), 56, 30);
    assert.equal(result.inverted, false);
    assert.deepEqual(result.pixels28, image(28, 28, (x, y) => (y >= 7 && y < 21 ? 255 : 0)).pixels);
  });

  it('trims a picture to its garment, as the data set was, but leaves 28x28 pictures framed as they are', () => {
    const small = image(40, 20, (x, y) => (x >= 10 && x < 20 && y >= 5 && y < 15 ? 200 : 3));
    assert.deepEqual(
      cropToContent(small),
      image(10, 10, () => 200),
    );
    assert.deepEqual(
      cropToContent(image(8, 8, () => 0)),
      image(8, 8, () => 0),
    );
    // A garment off-centre in a wide photo on white fills the model's frame.
    const photo = image(120, 60, (x, y) => (x >= 8 && x < 38 && y >= 10 && y < 40 ? 0 : 255));
    assert.deepEqual(preprocessImage(grayToRgba(photo.pixels), 120, 60).pixels28, new Uint8Array(784).fill(255));
  });

  it('fits to a square exactly as padding and then resizing would', () => {
    const shapes = [
      [56, 28],
      [30, 17],
      [5, 9],
      [100, 3],
      [1, 1],
      [29, 28],
      [28, 200],
    ];
    shapes.forEach(([width, height], seed) => {
      const source = randomImage(width, height, seed);
      for (const fill of [0, 200]) {
        const expected = resizeByAreaAverage(padToSquare(source, fill), 28, 28);
        assert.deepEqual(fitToSquare(source, 28, fill), expected, `${width}x${height} fill ${fill}`);
      }
    });
  });

  it('averages 2x2 blocks to their exact means when halving', () => {
    // Block (bx, by) holds v, v + 2, v + 4, v + 6, whose mean v + 3 is a whole number.
    const base = (x: number, y: number) => ((x >> 1) * 3 + (y >> 1) * 5) % 240;
    const blocks = image(56, 56, (x, y) => base(x, y) + 2 * ((x & 1) + 2 * (y & 1)));
    const half = resizeByAreaAverage(blocks, 28, 28);
    assert.deepEqual(half.pixels, image(28, 28, (x, y) => base(2 * x, 2 * y) + 3).pixels);
    // A pixel checkerboard averages to 127.5 everywhere, which rounds half up.
    const checkerboard = image(56, 56, (x, y) => ((x + y) % 2) * 255);
    assert.deepEqual(resizeByAreaAverage(checkerboard, 28, 28).pixels, new Uint8Array(784).fill(128));
  });

  it('weighs partly covered pixels by the area covered (30x30 to 28x28)', () => {
    // A line in column 1: output column 0 covers 1/14 of it, column 1 covers 13/14, each over
    // an output pixel 15/14 source pixels wide: 255 / 15 = 17 and 255 * 13 / 15 = 221.
    const line = resizeByAreaAverage(
      image(30, 30, (x) => (x === 1 ? 255 : 0)),
      28,
      28,
    );
    for (let y = 0; y < 28; y++) {
      assert.deepEqual(row(line.pixels, y), [17, 221, ...new Array(26).fill(0)], `row ${y}`);
    }
    // Ink (value x area) is preserved up to each output pixel's rounding of at most 1/2.
    const source = randomImage(30, 30, 99);
    const outputArea = (30 / 28) ** 2;
    const ink = sum(resizeByAreaAverage(source, 28, 28).pixels) * outputArea;
    assert.ok(Math.abs(ink - sum(source.pixels)) <= 784 * 0.5 * outputArea, `${ink} vs ${sum(source.pixels)}`);
  });

  it('upscales a small image by box sampling', () => {
    const quadrants = resizeByAreaAverage(
      image(2, 2, (x, y) => 10 + x + 2 * y),
      28,
      28,
    );
    for (let y = 0; y < 28; y++) {
      assert.deepEqual(
        row(quadrants.pixels, y),
        new Array(28).fill(0).map((_, x) => 10 + (x >= 14 ? 1 : 0) + (y >= 14 ? 2 : 0)),
      );
    }
    const seven = randomImage(7, 7, 3);
    const big = resizeByAreaAverage(seven, 28, 28);
    big.pixels.forEach((value, i) =>
      assert.equal(value, seven.pixels[Math.floor(i / 28 / 4) * 7 + Math.floor((i % 28) / 4)]),
    );
  });

  it('scales bytes to [0, 1] as float32', () => {
    const scaled = scaleToUnit(Uint8Array.of(0, 51, 255));
    assert.ok(scaled instanceof Float32Array);
    assert.deepEqual(Array.from(scaled), [0, Math.fround(0.2), 1]);
  });

  it('refuses RGBA data that does not match the size', () => {
    assert.throws(() => toGrayscale(new Uint8Array(15), 2, 2), RangeError);
    assert.throws(() => preprocessImage(new Uint8Array(0), 0, 0), RangeError);
    assert.throws(
      () =>
        resizeByAreaAverage(
          image(2, 2, () => 0),
          0,
          28,
        ),
      RangeError,
    );
  });
});
