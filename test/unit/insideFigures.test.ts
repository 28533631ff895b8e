import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { divergingColor, fullScale, grayColor, type Palette } from '../../webview/views/inside/colorScale';
import {
  featureMapLayout,
  filterLayout,
  matrixLayout,
  paintTiles,
  tileGrid,
  tileOrigin,
} from '../../webview/views/inside/tileGrid';
import {
  decodeValues,
  describeValues,
  encodeValues,
  formatValue,
  largestIndices,
} from '../../webview/views/inside/valueText';

const palette: Palette = { negative: [0, 0, 200], zero: [20, 20, 20], positive: [220, 0, 0] };

describe('The colour scale inside the network', () => {
  it('is the background at zero and full colour at ± the scale, and beyond', () => {
    assert.deepEqual(divergingColor(0, 2, palette), [20, 20, 20]);
    assert.deepEqual(divergingColor(2, 2, palette), [220, 0, 0]);
    assert.deepEqual(divergingColor(-5, 2, palette), [0, 0, 200]);
    assert.deepEqual(divergingColor(1, 2, palette), [120, 10, 10]);
    assert.deepEqual(divergingColor(-1, 2, palette), [10, 10, 110]);
  });

  it('takes the largest magnitude as its full scale, 1 when every value is 0', () => {
    assert.equal(fullScale([0.5, -3, 2]), 3);
    assert.equal(fullScale([0, 0]), 1);
    assert.equal(fullScale([]), 1);
  });

  it('draws pixel values in gray, 0 black and 1 white', () => {
    assert.deepEqual(grayColor(0), [0, 0, 0]);
    assert.deepEqual(grayColor(1), [255, 255, 255]);
    assert.deepEqual(grayColor(0.5), [128, 128, 128]);
    assert.deepEqual(grayColor(7), [255, 255, 255]);
  });
});

describe('The tiles of a figure', () => {
  it('fill a grid row by row with a one-pixel gap', () => {
    const grid = tileGrid(5, 3, 2, 2);
    assert.deepEqual(grid, { columns: 2, rows: 3, tileWidth: 3, tileHeight: 2, gap: 1, width: 7, height: 8 });
    assert.deepEqual(tileOrigin(grid, 0), { x: 0, y: 0 });
    assert.deepEqual(tileOrigin(grid, 1), { x: 4, y: 0 });
    assert.deepEqual(tileOrigin(grid, 4), { x: 0, y: 6 });
    assert.equal(tileGrid(3, 5, 5, 16).width, 17, 'fewer tiles than columns make one short row');
  });

  it("place feature maps one channel per tile, reading TF.js' [height, width, channels] order", () => {
    const layout = featureMapLayout([26, 26, 32]);
    assert.equal(layout.tiles, 32);
    assert.equal(layout.grid.columns, 16);
    assert.equal(layout.grid.rows, 2);
    // Channel 5 at row 2, column 3 of the map.
    assert.equal(layout.valueIndex(5, 2, 3), (2 * 26 + 3) * 32 + 5);
  });

  it('place filters one column per filter and one row per input channel, reading [height, width, in, out]', () => {
    const layout = filterLayout([3, 3, 32, 64]);
    assert.equal(layout.tiles, 32 * 64);
    assert.equal(layout.grid.columns, 64);
    assert.equal(layout.grid.rows, 32);
    // Filter 10 on input channel 4, at (1, 2): tile 4 · 64 + 10.
    assert.equal(layout.valueIndex(4 * 64 + 10, 1, 2), ((1 * 3 + 2) * 32 + 4) * 64 + 10);
    assert.equal(filterLayout([3, 3, 1, 32]).grid.rows, 1);
  });

  it('draw every stored value exactly once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        (height, width, channels, filters) => {
          for (const layout of [
            featureMapLayout([height, width, channels]),
            filterLayout([height, width, channels, filters]),
          ]) {
            const seen = new Set<number>();
            for (let tile = 0; tile < layout.tiles; tile++) {
              for (let y = 0; y < layout.grid.tileHeight; y++) {
                for (let x = 0; x < layout.grid.tileWidth; x++) {
                  seen.add(layout.valueIndex(tile, y, x));
                }
              }
            }
            const count = layout.tiles * layout.grid.tileWidth * layout.grid.tileHeight;
            assert.equal(seen.size, count);
            assert.equal(Math.max(...seen), count - 1);
          }
        },
      ),
    );
  });

  it('paint each pixel of a tile in the colour of its value, leaving the gaps', () => {
    const layout = featureMapLayout([2, 2, 2]);
    const rgba = new Uint8ClampedArray(layout.grid.width * layout.grid.height * 4);
    paintTiles(rgba, layout, (index) => [index, 100 + index, 0]);
    const pixel = (x: number, y: number) =>
      Array.from(rgba.subarray((y * layout.grid.width + x) * 4, (y * layout.grid.width + x) * 4 + 4));
    // Channel 1 is the second tile, from x = 3; its (1, 0) is stored at (0 · 2 + 1) · 2 + 1 = 3.
    assert.deepEqual(pixel(4, 0), [3, 103, 0, 255]);
    assert.deepEqual(pixel(2, 0), [0, 0, 0, 0], 'the gap');
    const matrix = matrixLayout(2, 3);
    assert.equal(matrix.valueIndex(0, 1, 2), 5);
  });
});

describe('The numbers of a figure as text', () => {
  it('read back to exactly the same float32 values', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true })), (numbers) => {
        // The sign of a zero is not kept: -0 reads back as 0.
        const values = Float32Array.from(numbers, (n) => (n === 0 ? 0 : n));
        assert.deepEqual(decodeValues(encodeValues(values)), values);
      }),
    );
    assert.equal(encodeValues(Float32Array.from([0.1, -2, 0])), '0.100000001,-2,0');
    assert.deepEqual(decodeValues(''), new Float32Array());
  });

  it('print three decimals with a true minus sign and no negative zero', () => {
    assert.equal(formatValue(-1.23456), '−1.235');
    assert.equal(formatValue(-0.0001), '0.000');
    assert.equal(formatValue(2), '2.000');
  });

  it('sum up a figure for a screen reader', () => {
    assert.equal(describeValues([-1, 0, 2.5, -0.25]), '4 values from −1.000 to 2.500, 2 negative');
    assert.equal(describeValues([]), 'no values');
  });

  it('find the largest values, largest first', () => {
    assert.deepEqual(largestIndices([1, 5, 3, 5], 3), [1, 3, 2]);
  });
});
