// Where the small pictures of a figure go on its one canvas: feature maps (one tile per channel)
// and convolution filters (one tile per filter and input channel), in a grid with a one-pixel
// gap, and which stored value each pixel of a tile shows. One canvas per figure rather than a
// canvas per tile: a convolution of 64 filters over 32 channels has 2,048 tiles.
// Pure: no DOM, so unit tests run it in Node.

export interface TileGrid {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  /** Pixels between neighbouring tiles. */
  gap: number;
  /** The whole canvas. */
  width: number;
  height: number;
}

/** `count` tiles of `tileWidth` × `tileHeight`, `columns` to a row (fewer when there are fewer tiles). */
export function tileGrid(count: number, tileWidth: number, tileHeight: number, columns: number, gap = 1): TileGrid {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(columns) || columns < 1) {
    throw new RangeError(`A grid needs at least one tile and one column, not ${count} tiles in ${columns} columns.`);
  }
  const used = Math.min(columns, count);
  const rows = Math.ceil(count / used);
  return {
    columns: used,
    rows,
    tileWidth,
    tileHeight,
    gap,
    width: used * tileWidth + (used - 1) * gap,
    height: rows * tileHeight + (rows - 1) * gap,
  };
}

/** The canvas position of tile `index`'s top-left pixel; tiles fill the grid row by row. */
export function tileOrigin(grid: TileGrid, index: number): { x: number; y: number } {
  const column = index % grid.columns;
  const row = Math.floor(index / grid.columns);
  return { x: column * (grid.tileWidth + grid.gap), y: row * (grid.tileHeight + grid.gap) };
}

/** A figure's tiles: where they go, and which stored value each pixel shows. */
export interface TileLayout {
  grid: TileGrid;
  tiles: number;
  valueIndex: (tile: number, y: number, x: number) => number;
}

/** A matrix stored row-major as one picture: `rows` × `cols` pixels, value (y, x) at y · cols + x. */
export function matrixLayout(rows: number, cols: number): TileLayout {
  return { grid: tileGrid(1, cols, rows, 1), tiles: 1, valueIndex: (_tile, y, x) => y * cols + x };
}

/** How many feature maps go in a row: 16 keeps a 26 × 26 map about 50 CSS pixels wide in the panel. */
export const MAPS_PER_ROW = 16;

/**
 * Feature maps of one picture, [height, width, channels] as TF.js stores them: one tile per
 * channel. The value at (channel, y, x) is at ((y · width) + x) · channels + channel.
 */
export function featureMapLayout(shape: readonly number[]): TileLayout {
  const [height, width, channels] = shape;
  return {
    grid: tileGrid(channels, width, height, MAPS_PER_ROW),
    tiles: channels,
    valueIndex: (channel, y, x) => (y * width + x) * channels + channel,
  };
}

/**
 * A convolution's kernel, [kernel height, kernel width, input channels, filters] as TF.js stores
 * it: one column per filter, one row per input channel, so a filter reads down its column. The
 * value of filter f on input channel c at (y, x) is at ((y · kernel width + x) · channels + c) · filters + f.
 */
export function filterLayout(kernelShape: readonly number[]): TileLayout {
  const [kernelHeight, kernelWidth, channels, filters] = kernelShape;
  return {
    grid: tileGrid(channels * filters, kernelWidth, kernelHeight, filters),
    tiles: channels * filters,
    valueIndex: (tile, y, x) => {
      const channel = Math.floor(tile / filters);
      const filter = tile % filters;
      return ((y * kernelWidth + x) * channels + channel) * filters + filter;
    },
  };
}

/** Paints every tile's pixels into `rgba` (the canvas' bytes) with `color(valueIndex)`; the gaps stay as they are. */
export function paintTiles(
  rgba: Uint8ClampedArray,
  layout: TileLayout,
  color: (valueIndex: number) => readonly [number, number, number],
): void {
  const { grid } = layout;
  for (let tile = 0; tile < layout.tiles; tile++) {
    const origin = tileOrigin(grid, tile);
    for (let y = 0; y < grid.tileHeight; y++) {
      for (let x = 0; x < grid.tileWidth; x++) {
        const [r, g, b] = color(layout.valueIndex(tile, y, x));
        const at = ((origin.y + y) * grid.width + origin.x + x) * 4;
        rgba[at] = r;
        rgba[at + 1] = g;
        rgba[at + 2] = b;
        rgba[at + 3] = 255;
      }
    }
  }
}
