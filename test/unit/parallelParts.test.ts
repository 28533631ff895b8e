// The pure parts of data-parallel training: cutting batches, the flat layout, the sums, the checksum.
import * as assert from 'node:assert/strict';
import { weightChecksum } from '../../src/shared/ml/parallel/checksum';
import { flatLayout, sumInOrder, weightView } from '../../src/shared/ml/parallel/flatWeights';
import { batchRanges, evenRanges } from '../../src/shared/ml/parallel/slices';

const sizes = (ranges: { start: number; end: number }[]) => ranges.map((r) => r.end - r.start);

describe('Data-parallel training: pure parts', () => {
  describe('cutting a batch among workers', () => {
    it('gives slices that differ by at most one row, the larger first, covering the batch in order', () => {
      assert.deepEqual(sizes(evenRanges(7, 3)), [3, 2, 2]);
      assert.deepEqual(sizes(evenRanges(64, 2)), [32, 32]);
      assert.deepEqual(sizes(evenRanges(33, 4)), [9, 8, 8, 8]);
      for (let count = 0; count <= 40; count++) {
        for (let parts = 1; parts <= 16; parts++) {
          const ranges = evenRanges(count, parts);
          assert.equal(ranges.length, parts);
          assert.equal(ranges[0].start, 0);
          assert.equal(ranges.at(-1)!.end, count);
          ranges.slice(1).forEach((r, i) => assert.equal(r.start, ranges[i].end));
          assert.ok(Math.max(...sizes(ranges)) - Math.min(...sizes(ranges)) <= 1);
        }
      }
    });

    it('leaves workers without rows when the batch is smaller than their number', () => {
      assert.deepEqual(sizes(evenRanges(2, 4)), [1, 1, 0, 0]);
      assert.deepEqual(sizes(evenRanges(0, 3)), [0, 0, 0]);
    });

    it('refuses impossible cuts', () => {
      assert.throws(() => evenRanges(5, 0), RangeError);
      assert.throws(() => evenRanges(-1, 2), RangeError);
      assert.throws(() => evenRanges(2.5, 2), RangeError);
    });

    it('cuts an epoch into batches as trainModel does, the last one short', () => {
      assert.deepEqual(sizes(batchRanges(100, 32)), [32, 32, 32, 4]);
      assert.deepEqual(batchRanges(0, 32), []);
    });
  });

  describe('weights as one flat buffer', () => {
    it('lays the weights end to end in their order', () => {
      const layout = flatLayout([[784, 256], [256], [256, 10], [10]]);
      assert.deepEqual(layout.offsets, [0, 200_704, 200_960, 203_520]);
      assert.equal(layout.length, 203_530);
      const flat = Float32Array.from({ length: layout.length }, (_, i) => i);
      const bias = weightView(flat, layout, 1);
      assert.equal(bias.length, 256);
      assert.equal(bias[0], 200_704);
      assert.equal(bias.buffer, flat.buffer, 'a view, not a copy');
    });

    it('sums the parts element by element into the target', () => {
      const parts = [Float32Array.of(1, 2, 3), Float32Array.of(10, 20, 30), Float32Array.of(0.5, -2, 0)];
      const into = new Float32Array(3);
      assert.equal(sumInOrder(parts, into), into);
      assert.deepEqual([...into], [11.5, 20, 33]);
    });

    it('gives the same bits wherever the same parts are summed, whichever buffer each replica started from', () => {
      const parts = Array.from({ length: 5 }, (_, p) =>
        Float32Array.from({ length: 1000 }, (_, i) => Math.sin(p * 1000 + i) * 10 ** ((i % 7) - 3)),
      );
      const first = sumInOrder(parts, new Float32Array(1000));
      const second = sumInOrder(
        parts.map((p) => p.slice()),
        new Float32Array(1000).fill(7),
      );
      assert.equal(weightChecksum(first), weightChecksum(second));
    });

    it('refuses parts of another length', () => {
      assert.throws(() => sumInOrder([new Float32Array(3), new Float32Array(4)], new Float32Array(3)), RangeError);
      assert.throws(() => sumInOrder([], new Float32Array(3)), RangeError);
    });
  });

  describe('the weight checksum', () => {
    it('is the same for the same bits, and changes with one flipped bit, a sign of zero or the length', () => {
      const weights = Float32Array.from({ length: 5000 }, (_, i) => Math.cos(i));
      const checksum = weightChecksum(weights);
      assert.match(checksum, /^[0-9a-f]{8}$/);
      assert.equal(weightChecksum(weights.slice()), checksum);
      const flipped = weights.slice();
      new Uint32Array(flipped.buffer)[1234] ^= 1;
      assert.notEqual(weightChecksum(flipped), checksum);
      assert.notEqual(weightChecksum(Float32Array.of(-0)), weightChecksum(Float32Array.of(0)));
      assert.notEqual(weightChecksum(new Float32Array(3)), weightChecksum(new Float32Array(4)));
    });

    it('reads a view at an offset of a larger buffer', () => {
      const whole = Float32Array.of(9, 1, 2, 3);
      assert.equal(weightChecksum(whole.subarray(1)), weightChecksum(Float32Array.of(1, 2, 3)));
    });

    it('is FNV-1a over the 32-bit words (so a script elsewhere can compute it on weights.bin)', () => {
      // By hand: FNV-1a's offset basis, each word xor-ed in and multiplied by its prime, then the length.
      let hash = 0x811c9dc5;
      for (const word of [0x3f800000, 0x40000000]) {
        hash = Math.imul(hash ^ word, 0x01000193);
      }
      hash = Math.imul(hash ^ 2, 0x01000193);
      assert.equal(weightChecksum(Float32Array.of(1, 2)), (hash >>> 0).toString(16).padStart(8, '0'));
    });
  });
});
