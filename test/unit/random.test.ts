import * as assert from 'node:assert/strict';
import {
  deriveSeed,
  drawSeed,
  epochOrder,
  initializerSeed,
  seededShuffle,
  splitmix32,
  splitmix32At,
  toUnit,
  withRunSeed,
} from '../../src/shared/ml/random';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: number[]): number {
  const expected = counts.reduce((a, b) => a + b, 0) / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe('seeded randomness', () => {
  describe('splitmix32', () => {
    // Reference values from a separate implementation of the same arithmetic in Python (integers
    // masked to 32 bits, no Math.imul): they pin the JavaScript integer arithmetic down.
    it('gives the values of splitmix32 with its published constants', () => {
      const first = (seed: number) => Array.from({ length: 4 }, splitmix32(seed));
      assert.deepEqual(first(0), [1684164658, 3653269916, 2939563536, 2141751570]);
      assert.deepEqual(first(42), [551831576, 144025891, 322543647, 3034809370]);
      assert.deepEqual(first(4294967295), [3950124170, 4293442868, 1302505678, 2762329221]);
    });

    it('draws any value directly, as the generator gives it in turn', () => {
      const next = splitmix32(123);
      for (let i = 0; i < 1000; i++) {
        assert.equal(splitmix32At(123, i), next());
      }
    });

    it('spreads its values evenly over [0, 1)', () => {
      const buckets = Array(16).fill(0);
      const next = splitmix32(7);
      for (let i = 0; i < 160_000; i++) {
        buckets[Math.floor(toUnit(next()) * 16)]++;
      }
      // 15 degrees of freedom: a statistic above 37.7 happens by chance once in a thousand.
      assert.ok(chiSquare(buckets) < 37.7, `chi-square ${chiSquare(buckets)}`);
    });
  });

  describe('derived seeds', () => {
    it('match the reference implementation', () => {
      assert.equal(deriveSeed(42, 2, 1), 1280393939);
      assert.equal(deriveSeed(7, 1, 3), 636867973);
    });

    it('differ for every part, so streams, epochs, layers and rows never share one', () => {
      const seeds = new Set<number>();
      for (let stream = 1; stream <= 3; stream++) {
        for (let epoch = 1; epoch <= 20; epoch++) {
          for (let row = 0; row < 500; row++) {
            seeds.add(deriveSeed(99, stream, epoch, row));
          }
        }
      }
      assert.equal(seeds.size, 3 * 20 * 500);
      assert.notEqual(initializerSeed(99, 1), initializerSeed(99, 3));
      assert.notEqual(initializerSeed(99, 1), initializerSeed(100, 1));
    });
  });

  describe('the order of the examples', () => {
    it('is a permutation, the same for the same seed and epoch', () => {
      const order = epochOrder(1000, 5, 1);
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        Array.from({ length: 1000 }, (_, i) => i),
      );
      assert.deepEqual(epochOrder(1000, 5, 1), order);
    });

    it('matches the reference implementation of Fisher–Yates with splitmix32', () => {
      assert.deepEqual([...epochOrder(10, 42, 1)], [8, 3, 5, 4, 6, 9, 0, 2, 7, 1]);
    });

    it('differs from epoch to epoch and from seed to seed', () => {
      const order = [...epochOrder(1000, 5, 1)];
      assert.notDeepEqual([...epochOrder(1000, 5, 2)], order);
      assert.notDeepEqual([...epochOrder(1000, 6, 1)], order);
    });

    it('makes every order of three examples about equally likely', () => {
      const counts = new Map<string, number>();
      for (let seed = 0; seed < 6000; seed++) {
        const key = seededShuffle(3, seed).join('');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      assert.equal(counts.size, 6);
      // 5 degrees of freedom: above 20.5 once in a thousand by chance.
      assert.ok(chiSquare([...counts.values()]) < 20.5, JSON.stringify([...counts]));
    });

    it('puts each example at each place about equally often', () => {
      const places = Array(10).fill(0);
      for (let seed = 0; seed < 10_000; seed++) {
        places[seededShuffle(10, seed).indexOf(0)]++;
      }
      // 9 degrees of freedom: above 27.9 once in a thousand.
      assert.ok(chiSquare(places) < 27.9, String(places));
    });
  });

  describe('the run seed', () => {
    it('is the one set, or a new one below a million when none is', () => {
      assert.equal(withRunSeed({ ...DEFAULT_SETTINGS, seed: 17 }).seed, 17);
      assert.equal(withRunSeed({ ...DEFAULT_SETTINGS, seed: 0 }).seed, 0);
      assert.equal(withRunSeed({ ...DEFAULT_SETTINGS, seed: null }, () => 0.123456789).seed, 123456);
      assert.equal(
        drawSeed(() => 0.9999999999),
        999_999,
      );
      const drawn = new Set(Array.from({ length: 50 }, () => withRunSeed(DEFAULT_SETTINGS).seed));
      assert.ok(drawn.size > 45, `${drawn.size} distinct seeds of 50`);
    });

    it('leaves the other settings as they are', () => {
      const settings = { ...DEFAULT_SETTINGS, epochs: 3 };
      assert.deepEqual(
        withRunSeed(settings, () => 0.5),
        { ...settings, seed: 500_000 },
      );
      assert.equal(settings.seed, null);
    });
  });
});
