// Dropout masks drawn per example: which units of a Dropout layer one training example switches
// off depends on (run seed, epoch, layer, the example's row in the training set) and nothing
// else. TF.js' Dropout draws a mask for the whole batch from an unseeded generator (or, given a
// seed, the same mask every step), so a run could not be repeated; and a mask per batch position
// would change with the batch's composition, so splitting a batch across workers would change
// what the network sees. Pure: no TF.js, no DOM.
import { deriveSeed, RANDOM_STREAMS, splitmix32At, toUnit } from './random';

/** Which masks to draw: the run, the epoch (1-based) and the layer's position in the model. */
export interface DropoutDraw {
  seed: number;
  epoch: number;
  layer: number;
}

/**
 * The masks of `rows` (row indices into the training set, in batch order) for a Dropout layer
 * of `rate` whose input has `units` values per example: `rows.length × units` values, row-major,
 * each 0 (switched off, with probability `rate`) or 1 / (1 − rate) (kept, scaled so the expected
 * sum is unchanged), as TF.js' dropout multiplies by. Row r's mask is the same in any batch.
 * A rate of 0 keeps everything (TF.js' Dropout then passes its input through).
 */
export function dropoutMasks(draw: DropoutDraw, rows: ArrayLike<number>, units: number, rate: number): Float32Array {
  if (!(rate >= 0 && rate < 1)) {
    throw new RangeError(`A dropout rate must be in [0, 1), got ${rate}.`);
  }
  const masks = new Float32Array(rows.length * units);
  const kept = 1 / (1 - rate);
  // Seeded per (epoch, layer) once, then per row: the per-value cost is one splitmix32 value.
  const layerSeed = deriveSeed(draw.seed, RANDOM_STREAMS.dropout, draw.epoch, draw.layer);
  for (let i = 0; i < rows.length; i++) {
    const rowSeed = deriveSeed(layerSeed, rows[i]);
    const offset = i * units;
    for (let unit = 0; unit < units; unit++) {
      // Kept when u ≥ rate, as TF.js' dropout keeps floor(u + 1 − rate) = 1.
      masks[offset + unit] = toUnit(splitmix32At(rowSeed, unit)) >= rate ? kept : 0;
    }
  }
  return masks;
}
