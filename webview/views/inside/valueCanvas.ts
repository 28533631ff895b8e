// The canvases of "Inside the network": pictures of values (a picture, feature maps, filters,
// weight maps) and bar charts of a layer's units. Each canvas keeps its native size, a pixel or
// a bar per value (CSS scales it up without smoothing), can take the keyboard focus and carries a
// text alternative. The figure around it holds the values in full (see valueText.ts).
import { h } from '../dom';
import { divergingColor, fullScale, grayColor } from './colorScale';
import { paintThemed, type ThemePalette } from './palette';
import { paintTiles, type TileLayout } from './tileGrid';

export interface ValueCanvasOptions {
  /** The text alternative: what the figure is and what its values are. */
  label: string;
  /** Pixel values in [0, 1] drawn in gray, as the data set's pictures are; otherwise the diverging scale. */
  gray?: boolean;
  /** The value drawn at full colour; by default the largest magnitude among `values`. */
  scale?: number;
  /**
   * CSS pixels per value: a picture keeps this size (never wider than its column) instead of
   * filling the width, so one 28 × 28 map is not drawn as large as a row of 32.
   */
  zoom?: number;
}

/** A focusable canvas with its text alternative. */
function figureCanvas(width: number, height: number, label: string): HTMLCanvasElement {
  const canvas = h('canvas', { class: 'value-canvas', role: 'img', tabindex: 0, 'aria-label': label, title: label });
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** `values` drawn tile by tile as `layout` places them. */
export function createTileCanvas(
  layout: TileLayout,
  values: ArrayLike<number>,
  options: ValueCanvasOptions,
): HTMLCanvasElement {
  const canvas = figureCanvas(layout.grid.width, layout.grid.height, options.label);
  paintTileCanvas(canvas, layout, values, options);
  return canvas;
}

/**
 * Draws `values` into a canvas that createTileCanvas made with the same layout: the weights
 * redrawn during training change pixels and labels only, no element, so the page need not lay
 * itself out again.
 */
export function paintTileCanvas(
  canvas: HTMLCanvasElement,
  layout: TileLayout,
  values: ArrayLike<number>,
  options: ValueCanvasOptions,
): void {
  const { width, height } = layout.grid;
  canvas.setAttribute('aria-label', options.label);
  canvas.title = options.label;
  if (options.zoom) {
    canvas.style.width = `${width * options.zoom}px`;
  }
  const scale = options.gray ? 1 : (options.scale ?? fullScale(values));
  canvas.dataset.scale = String(scale);
  paintThemed(canvas, (palette) => {
    const image = new ImageData(width, height);
    // The gaps between tiles in the background's colour, like zero.
    const [r, g, b] = palette.zero;
    new Uint32Array(image.data.buffer).fill(packRgba(r, g, b));
    const color = options.gray
      ? (index: number) => grayColor(values[index])
      : (index: number) => divergingColor(values[index], scale, palette);
    paintTiles(image.data, layout, color);
    canvas.getContext('2d')?.putImageData(image, 0, 0);
  });
}

/** One opaque pixel as the 32-bit word ImageData holds on a little-endian machine (every browser's). */
function packRgba(r: number, g: number, b: number): number {
  return ((255 << 24) | (Math.round(b) << 16) | (Math.round(g) << 8) | Math.round(r)) >>> 0;
}

export interface BarChartOptions extends ValueCanvasOptions {
  /** The value range the chart's height spans; charts that are compared share one. */
  range: { min: number; max: number };
  /** Values drawn faintly behind the bars where a bar is zero: what an activation cut away. */
  ghosts?: ArrayLike<number>;
  /** Units marked under the chart (a unit Dropout switched off), one flag per unit. */
  marks?: ArrayLike<number>;
}

/** Pixels per unit: a 2-pixel bar and a 1-pixel gap, so 256 units make a 768-pixel chart. */
const BAR_PITCH = 3;
const CHART_HEIGHT = 60;
const MARK_ROW = 5;

/** One bar per value, up from the zero line when positive (red), down when negative (blue). */
export function createBarChart(values: ArrayLike<number>, options: BarChartOptions): HTMLCanvasElement {
  const width = values.length * BAR_PITCH;
  const height = CHART_HEIGHT + (options.marks ? MARK_ROW : 0);
  const canvas = figureCanvas(width, height, options.label);
  canvas.classList.add('bar-chart');
  const max = Math.max(options.range.max, 0);
  const min = Math.min(options.range.min, 0);
  const span = max - min || 1;
  const zeroY = Math.round((max / span) * (CHART_HEIGHT - 1));
  const barTop = (value: number) => Math.round(((max - value) / span) * (CHART_HEIGHT - 1));
  paintThemed(canvas, (palette) => {
    const context = canvas.getContext('2d');
    if (!context) {
      return;
    }
    context.clearRect(0, 0, width, height);
    const bar = (i: number, value: number, color: string) => {
      const top = barTop(value);
      context.fillStyle = color;
      context.fillRect(i * BAR_PITCH, Math.min(top, zeroY), BAR_PITCH - 1, Math.abs(top - zeroY) || 1);
    };
    for (let i = 0; i < values.length; i++) {
      const ghost = options.ghosts?.[i];
      if (values[i] === 0 && ghost !== undefined && ghost !== 0) {
        bar(i, ghost, css(ghost < 0 ? palette.negative : palette.positive, 0.3));
      }
      if (values[i] !== 0) {
        bar(i, values[i], css(values[i] < 0 ? palette.negative : palette.positive));
      }
      if (options.marks?.[i]) {
        context.fillStyle = css(palette.mark);
        context.fillRect(i * BAR_PITCH, CHART_HEIGHT + 1, BAR_PITCH - 1, MARK_ROW - 1);
      }
    }
    context.fillStyle = css(palette.axis, 0.6);
    context.fillRect(0, zeroY, width, 1);
  });
  return canvas;
}

function css([r, g, b]: ThemePalette['axis'], alpha = 1): string {
  return `rgba(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)}, ${alpha})`;
}
