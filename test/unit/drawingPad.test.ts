import * as assert from 'node:assert/strict';
import {
  BRUSH_SIZES,
  emptyRaster,
  hasInk,
  PAD_SIDE,
  PadHistory,
  padInput,
  paintSegment,
  paintStroke,
  paperImage,
  rasterize,
  type InkRaster,
  type PadStep,
  type Stroke,
} from '../../src/shared/drawing/pad';
import { summariseTimes } from '../../src/shared/drawing/timing';
import { MODEL_IMAGE_SIDE, preprocessImage } from '../../src/shared/preprocess';

/** The box around pixels above `threshold`, inclusive; undefined when there are none. */
function inkBox(pixels: Uint8Array, side: number, threshold = 32) {
  let left = side;
  let right = -1;
  let top = side;
  let bottom = -1;
  pixels.forEach((value, i) => {
    if (value > threshold) {
      const x = i % side;
      const y = Math.floor(i / side);
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  });
  return right < 0 ? undefined : { left, right, top, bottom };
}

const inked = (raster: InkRaster, threshold = 127) => raster.filter((value) => value > threshold).length;

const stroke = (points: [number, number][], size = 10, erase = false): PadStep => ({
  kind: 'stroke',
  stroke: { points: points.map(([x, y]) => ({ x, y })), size, erase },
});

/** A trouser's outline as a person draws it on the pad: waist, outer legs, inner legs to the crotch. */
const TROUSER: [number, number][] = [
  [100, 40],
  [180, 40],
  [190, 240],
  [155, 240],
  [140, 110],
  [125, 240],
  [90, 240],
  [100, 40],
];

describe('the drawing pad', () => {
  describe('painting strokes on the raster', () => {
    it('paints a dot as a disc of the brush diameter', () => {
      const raster = emptyRaster();
      paintSegment(raster, { x: 50, y: 50 }, { x: 50, y: 50 }, 10, false);
      // π r² = 78.5 for r = 5; the soft edge counts half.
      assert.ok(Math.abs(inked(raster) - Math.PI * 25) < 8, `${inked(raster)} inked pixels`);
      assert.deepEqual(inkBox(raster, PAD_SIDE, 127), { left: 45, right: 54, top: 45, bottom: 54 });
    });

    it('paints a segment as a band of the brush width between its ends', () => {
      const raster = emptyRaster();
      paintSegment(raster, { x: 20, y: 100 }, { x: 200, y: 100 }, 10, false);
      assert.deepEqual(inkBox(raster, PAD_SIDE, 127), { left: 15, right: 204, top: 95, bottom: 104 });
      assert.equal(raster[100 * PAD_SIDE + 110], 255);
      assert.equal(raster[120 * PAD_SIDE + 110], 0);
    });

    it('keeps strokes inside the raster when the pen leaves it', () => {
      const raster = emptyRaster();
      paintSegment(raster, { x: -50, y: -50 }, { x: PAD_SIDE + 50, y: PAD_SIDE + 50 }, 20, false);
      assert.equal(raster.length, PAD_SIDE * PAD_SIDE);
      assert.equal(raster[0], 255);
      assert.equal(raster[raster.length - 1], 255);
    });

    it('rubs ink out with the eraser', () => {
      const raster = emptyRaster();
      paintSegment(raster, { x: 20, y: 100 }, { x: 200, y: 100 }, 10, false);
      paintSegment(raster, { x: 110, y: 60 }, { x: 110, y: 140 }, 20, true);
      assert.equal(raster[100 * PAD_SIDE + 110], 0);
      assert.equal(raster[100 * PAD_SIDE + 50], 255);
    });

    it('paints a growing stroke piece by piece to the same raster as all at once', () => {
      const whole = emptyRaster();
      const pieces = emptyRaster();
      const growing: Stroke = { points: [], size: 14, erase: false };
      const all = TROUSER.map(([x, y]) => ({ x, y }));
      paintStroke(whole, { ...growing, points: all });
      for (const point of all) {
        const from = growing.points.length;
        growing.points.push(point);
        paintStroke(pieces, growing, from);
      }
      assert.deepEqual(pieces, whole);
    });
  });

  describe('steps and undo', () => {
    it('undoes the last step, and knows when there is none', () => {
      const history = new PadHistory();
      assert.equal(history.canUndo, false);
      assert.equal(history.undo(), false);
      history.push(stroke([[10, 10]]));
      history.push({ kind: 'clear' });
      assert.equal(history.steps.length, 2);
      assert.equal(history.undo(), true);
      assert.deepEqual(
        history.steps.map((s) => s.kind),
        ['stroke'],
      );
      assert.equal(history.canUndo, true);
    });

    it('shows nothing drawn before a clear, and everything again once the clear is undone', () => {
      const history = new PadHistory([stroke(TROUSER)]);
      const drawn = rasterize(history.steps);
      history.push({ kind: 'clear' });
      assert.equal(hasInk(rasterize(history.steps)), false);
      history.undo();
      assert.deepEqual(rasterize(history.steps), drawn);
    });

    it('undoes an eraser stroke back to the ink it rubbed out', () => {
      const history = new PadHistory([stroke(TROUSER)]);
      const before = rasterize(history.steps);
      history.push(
        stroke(
          [
            [140, 40],
            [140, 240],
          ],
          40,
          true,
        ),
      );
      assert.ok(inked(rasterize(history.steps)) < inked(before));
      history.undo();
      assert.deepEqual(rasterize(history.steps), before);
    });

    it('comes back from its plain-data copy (the page state) as the same pad', () => {
      const history = new PadHistory([
        stroke(TROUSER),
        { kind: 'clear' },
        stroke(
          [
            [50, 50],
            [60, 200],
          ],
          24,
        ),
      ]);
      const copy = new PadHistory(JSON.parse(JSON.stringify(history.steps)) as PadStep[]);
      assert.deepEqual(rasterize(copy.steps), rasterize(history.steps));
    });
  });

  describe("the model's 28×28 input", () => {
    it('is empty for an empty pad', () => {
      assert.deepEqual(padInput([], emptyRaster()), { kind: 'empty' });
      const cleared: PadStep[] = [stroke(TROUSER), { kind: 'clear' }];
      assert.deepEqual(padInput(cleared, rasterize(cleared)), { kind: 'empty' });
    });

    it("fills the input's height with a trouser's outline, centred, its legs apart, as the data set frames garments", () => {
      const steps: PadStep[] = [stroke(TROUSER, 12)];
      const input = padInput(steps, rasterize(steps));
      assert.equal(input.kind, 'drawing');
      const pixels = (input as { pixels28: Uint8Array }).pixels28;
      assert.equal(pixels.length, MODEL_IMAGE_SIDE * MODEL_IMAGE_SIDE);
      const box = inkBox(pixels, MODEL_IMAGE_SIDE)!;
      // Drawn 100 + 12 wide and 200 + 12 tall: 28 rows, about 15 columns, centred.
      assert.deepEqual([box.top, box.bottom], [0, 27]);
      const width = box.right - box.left + 1;
      assert.ok(Math.abs(width - (28 * 112) / 212) <= 1.5, `width ${width}`);
      assert.ok(Math.abs(box.left + box.right - 27) <= 1, `left ${box.left}, right ${box.right}`);
      // Between the legs, at the hem, there is no ink; on each leg's outer line there is.
      const middle = Math.round((box.left + box.right) / 2);
      assert.ok(pixels[27 * 28 + middle] < 32, 'no ink between the legs');
      assert.ok(pixels[20 * 28 + box.left] > 32 || pixels[20 * 28 + box.left + 1] > 32, 'the left leg');
    });

    it('is what "Classify image" makes of the drawing saved as a PNG', () => {
      const steps: PadStep[] = [
        stroke(TROUSER, 12),
        stroke(
          [
            [30, 30],
            [60, 90],
          ],
          30,
        ),
      ];
      const raster = rasterize(steps);
      const saved = paperImage(raster);
      const rgba = new Uint8ClampedArray(saved.length * 4);
      saved.forEach((value, i) => rgba.set([value, value, value, 255], i * 4));
      const fromFile = preprocessImage(rgba, PAD_SIDE, PAD_SIDE);
      assert.equal(fromFile.inverted, true, 'dark ink on white is inverted like a photo on white');
      assert.deepEqual((padInput(steps, raster) as { pixels28: Uint8Array }).pixels28, fromFile.pixels28);
    });

    it('is the pasted picture itself until something is drawn over it, then the drawing', () => {
      const pasted = Array.from({ length: 784 }, (_, i) => (i % 28 > 8 && i % 28 < 20 ? 200 : 0));
      const steps: PadStep[] = [stroke(TROUSER), { kind: 'paste', pixels28: pasted }];
      const input = padInput(steps, rasterize(steps));
      assert.deepEqual(input, { kind: 'pasted', pixels28: Uint8Array.from(pasted) });
      // The pad shows it ten pad pixels to one input pixel.
      const raster = rasterize(steps);
      assert.equal(raster[5 * PAD_SIDE + 95], 200);
      assert.equal(raster[5 * PAD_SIDE + 85], 0);
      steps.push(
        stroke(
          [
            [10, 270],
            [270, 270],
          ],
          8,
        ),
      );
      assert.equal(padInput(steps, rasterize(steps)).kind, 'drawing');
      steps.pop();
      steps.push({ kind: 'clear' });
      assert.equal(padInput(steps, rasterize(steps)).kind, 'empty');
    });
  });

  it('offers brush sizes that fit the pad', () => {
    assert.ok(BRUSH_SIZES.min < BRUSH_SIZES.initial && BRUSH_SIZES.initial < BRUSH_SIZES.max);
    assert.ok(BRUSH_SIZES.max < PAD_SIDE / 4);
  });

  it('sums up a stroke’s times: median and worst', () => {
    assert.deepEqual(summariseTimes([30, 10, 20]), { medianMs: 20, maxMs: 30, updates: 3 });
    assert.deepEqual(summariseTimes([40, 10, 20, 30]), { medianMs: 25, maxMs: 40, updates: 4 });
    assert.throws(() => summariseTimes([]), RangeError);
  });
});
