// Draws a Fashion-MNIST image as the data set stores it: one byte per pixel, 0 = background
// (black), 255 = ink (white). The canvas keeps the native 28×28 size; CSS scales it up with
// `image-rendering: pixelated` so the pixels stay sharp squares instead of a blur.

/** Creates a canvas showing `pixels` (rows × cols bytes, row-major). `label` is its accessible name. */
export function createPixelCanvas(pixels: Uint8Array, label: string, rows = 28, cols = 28): HTMLCanvasElement {
  if (pixels.length !== rows * cols) {
    throw new RangeError(`An image of ${rows}×${cols} needs ${rows * cols} pixels, got ${pixels.length}.`);
  }
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  canvas.className = 'pixel-image';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const image = new ImageData(cols, rows);
  for (let i = 0; i < pixels.length; i++) {
    const value = pixels[i];
    image.data[i * 4] = value;
    image.data[i * 4 + 1] = value;
    image.data[i * 4 + 2] = value;
    image.data[i * 4 + 3] = 255;
  }
  canvas.getContext('2d')?.putImageData(image, 0, 0);
  return canvas;
}
