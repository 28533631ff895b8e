import * as assert from 'node:assert/strict';
import { dropoutMasks, type DropoutDraw } from '../../src/shared/ml/dropoutMasks';

const DRAW: DropoutDraw = { seed: 42, epoch: 1, layer: 2 };
const UNITS = 256;

/** The mask of one row out of masks drawn for several. */
function rowOf(masks: Float32Array, index: number, units = UNITS): number[] {
  return [...masks.subarray(index * units, (index + 1) * units)];
}

describe('dropout masks', () => {
  it('switch off about `rate` of the units and scale the others by 1 / (1 − rate)', () => {
    const rows = Int32Array.from({ length: 2000 }, (_, i) => i);
    for (const rate of [0.1, 0.2, 0.5, 0.9]) {
      const masks = dropoutMasks(DRAW, rows, UNITS, rate);
      const kept = Math.fround(1 / (1 - rate));
      assert.ok(
        masks.every((m) => m === 0 || m === kept),
        `rate ${rate}: values other than 0 and ${kept}`,
      );
      const off = masks.filter((m) => m === 0).length / masks.length;
      // 512,000 draws: the standard error of the fraction is below 0.0007; 5 of them is 0.0035.
      assert.ok(Math.abs(off - rate) < 0.0035, `rate ${rate}: ${off} switched off`);
    }
  });

  it('switch off different units in different examples, with no unit favoured', () => {
    const rows = Int32Array.from({ length: 4000 }, (_, i) => i);
    const masks = dropoutMasks(DRAW, rows, 8, 0.5);
    const offPerUnit = Array(8).fill(0);
    masks.forEach((m, i) => (offPerUnit[i % 8] += m === 0 ? 1 : 0));
    // Each unit off in 2,000 ± 32 (one standard error) of 4,000 examples.
    offPerUnit.forEach((count, unit) => assert.ok(Math.abs(count - 2000) < 160, `unit ${unit}: ${count}`));
    const distinct = new Set(Array.from({ length: 4000 }, (_, r) => rowOf(masks, r, 8).join()));
    // 256 possible masks of 8 units: 4,000 examples show nearly all of them.
    assert.ok(distinct.size > 250, `${distinct.size} distinct masks`);
  });

  it("give an example the same mask whatever batch it is in and wherever in it, as a worker's share of a batch", () => {
    const whole = dropoutMasks(DRAW, [17, 3, 40_000, 8], UNITS, 0.2);
    const alone = dropoutMasks(DRAW, [40_000], UNITS, 0.2);
    const otherBatch = dropoutMasks(DRAW, [8, 99, 17, 5], UNITS, 0.2);
    assert.deepEqual(rowOf(whole, 2), rowOf(alone, 0));
    assert.deepEqual(rowOf(whole, 0), rowOf(otherBatch, 2));
    assert.deepEqual(rowOf(whole, 3), rowOf(otherBatch, 0));
    // Two workers with half a batch each draw what one draws for the whole.
    const [first, second] = [dropoutMasks(DRAW, [17, 3], UNITS, 0.2), dropoutMasks(DRAW, [40_000, 8], UNITS, 0.2)];
    assert.deepEqual([...first, ...second], [...whole]);
  });

  it('differ from epoch to epoch, seed to seed, layer to layer and example to example', () => {
    const base = rowOf(dropoutMasks(DRAW, [5], UNITS, 0.5), 0);
    for (const other of [
      { ...DRAW, epoch: 2 },
      { ...DRAW, seed: 43 },
      { ...DRAW, layer: 3 },
    ]) {
      assert.notDeepEqual(rowOf(dropoutMasks(other, [5], UNITS, 0.5), 0), base, JSON.stringify(other));
    }
    assert.notDeepEqual(rowOf(dropoutMasks(DRAW, [6], UNITS, 0.5), 0), base);
    assert.deepEqual(rowOf(dropoutMasks(DRAW, [5], UNITS, 0.5), 0), base, 'the same draw again');
  });

  it('keep every unit at a rate of 0 and refuse a rate outside [0, 1)', () => {
    assert.ok(dropoutMasks(DRAW, [1, 2], UNITS, 0).every((m) => m === 1));
    assert.throws(() => dropoutMasks(DRAW, [1], UNITS, 1), /\[0, 1\)/);
    assert.throws(() => dropoutMasks(DRAW, [1], UNITS, -0.1), /\[0, 1\)/);
  });
});
