// How a batch, or a set to evaluate, is shared out among the workers of data-parallel training.
// Pure arithmetic on counts, so the rules are unit-tested without TF.js.
import type { IndexRange } from '../split';

/**
 * `count` items cut into `parts` contiguous ranges whose sizes differ by at most one, the larger
 * first (7 into 3: 3, 2, 2). A range is empty when there are fewer items than parts: a batch of 2
 * on 4 workers leaves two of them idle for that batch.
 */
export function evenRanges(count: number, parts: number): IndexRange[] {
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(parts) || parts < 1) {
    throw new RangeError(`Cannot cut ${count} items into ${parts} parts.`);
  }
  const base = Math.floor(count / parts);
  const larger = count % parts;
  const ranges: IndexRange[] = [];
  let start = 0;
  for (let part = 0; part < parts; part++) {
    const end = start + base + (part < larger ? 1 : 0);
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}

/** The batches of an epoch of `examples` in batches of `batchSize` (the last one may be short). */
export function batchRanges(examples: number, batchSize: number): IndexRange[] {
  const ranges: IndexRange[] = [];
  for (let start = 0; start < examples; start += batchSize) {
    ranges.push({ start, end: Math.min(examples, start + batchSize) });
  }
  return ranges;
}
