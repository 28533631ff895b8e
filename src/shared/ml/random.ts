// The randomness of a training run, all of it drawn from one run seed, so that a run can be
// repeated bit for bit. The generator is splitmix32 (the 32-bit splitmix of Steele, Lea and
// Flood, "Fast splittable pseudorandom number generators", with the output mix found by
// hash-prospector, as in bryc's collection of JavaScript PRNGs): its n-th value is a hash of
// (state + n × golden ratio), so any value can be drawn
// without the ones before it. That makes it counter-based: the dropout mask of one example in
// one epoch is a function of (seed, epoch, layer, row) alone, whichever batch or worker the
// example lands in.
// Pure: no TF.js, no DOM, no `vscode`.

/** 2^32 / golden ratio, splitmix32's increment. */
const GOLDEN_GAMMA = 0x9e3779b9;
const TWO_TO_32 = 4294967296;

/** What a derived seed is for: the streams of one run seed never share values. */
export const RANDOM_STREAMS = {
  /** The initial weights, one seed per layer. */
  initialWeights: 1,
  /** The order of the training examples, one seed per epoch. */
  shuffle: 2,
  /** Dropout masks, one seed per (epoch, layer, example). */
  dropout: 3,
} as const;

/** splitmix32's output mix (a bijection of 32-bit integers), as an unsigned integer. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * The value number `index` (0-based) of splitmix32 started at `state`, as an unsigned 32-bit
 * integer, computed directly: the same as calling the generator `index + 1` times.
 */
export function splitmix32At(state: number, index: number): number {
  return mix32((state + Math.imul(index + 1, GOLDEN_GAMMA)) | 0);
}

/** splitmix32 started at `state`: each call returns the next unsigned 32-bit integer. */
export function splitmix32(state: number): () => number {
  let index = 0;
  return () => splitmix32At(state, index++);
}

/** An unsigned 32-bit integer as a number in [0, 1). */
export function toUnit(u32: number): number {
  return u32 / TWO_TO_32;
}

/**
 * A seed for one purpose, derived from the run seed and numbers that say which part it is for
 * (a stream of RANDOM_STREAMS, then epoch, layer, row...): each part picks the value at that
 * index of a generator started at the seed so far. For a fixed prefix, different parts give
 * different seeds (the step is a bijection of the part), so no two examples, layers or epochs
 * share a seed.
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let state = seed >>> 0;
  for (const part of parts) {
    state = splitmix32At(state, part >>> 0);
  }
  return state;
}

/**
 * A new random seed for a run whose seed is not set. Drawn below a million, so that the seed a
 * run shows and records is short enough to read and type again; the space is still large enough
 * that runs rarely share one by chance (and a repeat of identical settings asks for distinct
 * seeds explicitly).
 */
export function drawSeed(random: () => number = Math.random): number {
  return Math.floor(random() * 1_000_000);
}

/**
 * The indices 0 to count−1 in an order decided by `seed` alone (Fisher–Yates with splitmix32).
 * An index is picked as floor(u × (i + 1)) from a value u in [0, 1): its bias is below
 * count / 2^32, a millionth part for the 60,000 training images.
 */
export function seededShuffle(count: number, seed: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    order[i] = i;
  }
  const next = splitmix32(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(toUnit(next()) * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}

/** The order of the training examples in epoch `epoch` (1-based) of the run with seed `seed`. */
export function epochOrder(count: number, seed: number, epoch: number): Int32Array {
  return seededShuffle(count, deriveSeed(seed, RANDOM_STREAMS.shuffle, epoch));
}

/**
 * The seed of the initializer of layer number `layer` (its position in the model) in a run with
 * seed `seed`: each layer draws its own values, so two layers of one shape do not start alike.
 */
export function initializerSeed(seed: number, layer: number): number {
  return deriveSeed(seed, RANDOM_STREAMS.initialWeights, layer);
}

/**
 * The settings a run trains with: the seed set, or a new one drawn when none is. The run keeps
 * them (run.json), so its seed can be shown and used again whichever way it came.
 */
export function withRunSeed<S extends { seed: number | null }>(
  settings: S,
  random: () => number = Math.random,
): Omit<S, 'seed'> & { seed: number } {
  return { ...settings, seed: settings.seed ?? drawSeed(random) };
}
