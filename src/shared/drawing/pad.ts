// The drawing pad's content as data: the steps a person took (strokes, eraser strokes, a clear, a
// pasted picture), the undo stack over them, and the ink they leave on a square raster. The
// model's input is what "Classify image" would make of that raster saved as a PNG (dark ink on
// white, through preprocessImage), so a saved drawing gets the answer the pad showed.
// Pure: no DOM, so the page and the unit tests share it.
import { MODEL_IMAGE_SIDE, preprocessImage } from '../preprocess';

/** The pad's raster side in pixels: ten per pixel of the model's 28×28 input. */
export const PAD_SIDE = 280;
/** Raster pixels per input pixel, for showing a pasted 28×28 picture on the pad. */
const UPSCALE = PAD_SIDE / MODEL_IMAGE_SIDE;
/** Brush diameters the pad offers, in raster pixels. */
export const BRUSH_SIZES = { min: 4, max: 48, initial: 20 } as const;

export interface Point {
  x: number;
  y: number;
}

/** One stroke of the brush (or the eraser), in raster coordinates. */
export interface Stroke {
  points: Point[];
  /** Brush diameter in raster pixels. */
  size: number;
  erase: boolean;
}

/** What a person did to the pad; each is one undo. */
export type PadStep =
  | { kind: 'stroke'; stroke: Stroke }
  | { kind: 'clear' }
  /** A picture pasted from the clipboard, as the 28×28 input "Classify image" makes of it (784 bytes). */
  | { kind: 'paste'; pixels28: number[] };

/** Where a raster's content starts from: empty, or the picture last pasted. */
function baseOf(steps: readonly PadStep[]): { start: number; pasted?: number[] } {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step.kind === 'clear') {
      return { start: i + 1 };
    }
    if (step.kind === 'paste') {
      return { start: i + 1, pasted: step.pixels28 };
    }
  }
  return { start: 0 };
}

/**
 * The steps that make up the pad, with undo: `push` adds one, `undo` takes the last away. Plain
 * data in and out (`steps`), so the page keeps them in its state across reloads.
 */
export class PadHistory {
  private readonly list: PadStep[];

  // Every step back to the first can be undone: a stroke is a few hundred points, and a clear
  // ends what the raster has to replay.
  constructor(steps: readonly PadStep[] = []) {
    this.list = [...steps];
  }

  get steps(): readonly PadStep[] {
    return this.list;
  }

  get canUndo(): boolean {
    return this.list.length > 0;
  }

  push(step: PadStep): void {
    this.list.push(step);
  }

  /** Takes the last step away; false when there is none. */
  undo(): boolean {
    return this.list.pop() !== undefined;
  }
}

/** Ink 0-255 per raster pixel, row-major: 0 = paper, 255 = full ink (the model's polarity). */
export type InkRaster = Uint8Array;

export function emptyRaster(): InkRaster {
  return new Uint8Array(PAD_SIDE * PAD_SIDE);
}

/** A pasted 28×28 picture on the pad, each of its pixels a square of UPSCALE × UPSCALE. */
function pastedRaster(pixels28: readonly number[]): InkRaster {
  const raster = emptyRaster();
  for (let y = 0; y < PAD_SIDE; y++) {
    const row = Math.floor(y / UPSCALE) * MODEL_IMAGE_SIDE;
    for (let x = 0; x < PAD_SIDE; x++) {
      raster[y * PAD_SIDE + x] = pixels28[row + Math.floor(x / UPSCALE)];
    }
  }
  return raster;
}

/**
 * Paints the segment from `a` to `b` with a round brush of diameter `size`: each pixel whose
 * centre lies within the radius gets full ink (or, erasing, none), with one pixel of soft edge
 * so lines do not look jagged. A one-point stroke (a = b) is a dot.
 */
export function paintSegment(raster: InkRaster, a: Point, b: Point, size: number, erase: boolean): void {
  const radius = size / 2;
  const reach = radius + 1;
  const left = Math.max(0, Math.floor(Math.min(a.x, b.x) - reach));
  const right = Math.min(PAD_SIDE - 1, Math.ceil(Math.max(a.x, b.x) + reach));
  const top = Math.max(0, Math.floor(Math.min(a.y, b.y) - reach));
  const bottom = Math.min(PAD_SIDE - 1, Math.ceil(Math.max(a.y, b.y) + reach));
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / lengthSquared));
      const distance = Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
      const coverage = Math.max(0, Math.min(1, radius + 0.5 - distance));
      if (coverage === 0) {
        continue;
      }
      const i = y * PAD_SIDE + x;
      raster[i] = erase
        ? Math.min(raster[i], Math.round(255 * (1 - coverage)))
        : Math.max(raster[i], Math.round(255 * coverage));
    }
  }
}

/** Paints the segments of `stroke` from point `from` on (all of it by default). */
export function paintStroke(raster: InkRaster, stroke: Stroke, from = 0): void {
  const { points, size, erase } = stroke;
  if (points.length === 1 && from === 0) {
    paintSegment(raster, points[0], points[0], size, erase);
  }
  for (let i = Math.max(1, from); i < points.length; i++) {
    paintSegment(raster, points[i - 1], points[i], size, erase);
  }
}

/** The pad as the steps leave it. */
export function rasterize(steps: readonly PadStep[]): InkRaster {
  const { start, pasted } = baseOf(steps);
  const raster = pasted ? pastedRaster(pasted) : emptyRaster();
  for (const step of steps.slice(start)) {
    if (step.kind === 'stroke') {
      paintStroke(raster, step.stroke);
    }
  }
  return raster;
}

/** The raster as a picture on paper: dark ink on white, one byte per pixel (what "Save as PNG" writes). */
export function paperImage(raster: InkRaster): Uint8Array {
  return raster.map((ink) => 255 - ink);
}

function paperRgba(raster: InkRaster): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(raster.length * 4);
  for (let i = 0; i < raster.length; i++) {
    const paper = 255 - raster[i];
    rgba[i * 4] = paper;
    rgba[i * 4 + 1] = paper;
    rgba[i * 4 + 2] = paper;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

export function hasInk(raster: InkRaster): boolean {
  return raster.some((ink) => ink > 0);
}

export type PadInput =
  /** Nothing on the pad: nothing to classify. */
  | { kind: 'empty' }
  /** The 28×28 input the model sees (784 bytes), from the drawing or from the picture pasted last. */
  | { kind: 'drawing' | 'pasted'; pixels28: Uint8Array };

/**
 * What the model sees of the pad. A pasted picture with nothing drawn over it is exactly the
 * input "Classify image" made of it; anything drawn goes through the same preprocessing as a
 * saved PNG of the pad would (inverted to light on dark, trimmed to the ink, centred, 28×28).
 */
export function padInput(steps: readonly PadStep[], raster: InkRaster): PadInput {
  const { start, pasted } = baseOf(steps);
  if (pasted && steps.slice(start).every((step) => step.kind !== 'stroke')) {
    return { kind: 'pasted', pixels28: Uint8Array.from(pasted) };
  }
  if (!hasInk(raster)) {
    return { kind: 'empty' };
  }
  return { kind: 'drawing', pixels28: preprocessImage(paperRgba(raster), PAD_SIDE, PAD_SIDE).pixels28 };
}
