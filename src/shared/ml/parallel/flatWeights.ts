// Weights and gradients as one flat Float32Array: one buffer crosses between threads per message
// (and is transferred, not copied, where the sender no longer needs it), instead of one per
// weight. Pure: shapes and offsets only, so the layout and the sums are unit-tested without TF.js.

/** Where each weight lives in the flat buffer, in the model's weight order. */
export interface FlatLayout {
  shapes: number[][];
  offsets: number[];
  sizes: number[];
  /** Floats in all the weights together. */
  length: number;
}

export function flatLayout(shapes: readonly (readonly number[])[]): FlatLayout {
  const offsets: number[] = [];
  const sizes: number[] = [];
  let length = 0;
  for (const shape of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    offsets.push(length);
    sizes.push(size);
    length += size;
  }
  return { shapes: shapes.map((s) => [...s]), offsets, sizes, length };
}

/** The part of `flat` that holds weight `index`, as a view (nothing is copied). */
export function weightView(flat: Float32Array, layout: FlatLayout, index: number): Float32Array {
  return flat.subarray(layout.offsets[index], layout.offsets[index] + layout.sizes[index]);
}

/**
 * Adds the parts element by element into `into`, always in the parts' order: ((p0 + p1) + p2) + ….
 * Floating-point addition is not associative, so every replica sums in the same order to get the
 * same bits, and the same Adam update keeps the replicas identical.
 */
export function sumInOrder(parts: readonly Float32Array[], into: Float32Array): Float32Array {
  if (parts.length === 0) {
    throw new RangeError('Nothing to sum.');
  }
  for (const part of parts) {
    if (part.length !== into.length) {
      throw new RangeError(`A part of ${part.length} floats cannot be summed into ${into.length}.`);
    }
  }
  into.set(parts[0]);
  for (let p = 1; p < parts.length; p++) {
    const part = parts[p];
    for (let i = 0; i < into.length; i++) {
      into[i] += part[i];
    }
  }
  return into;
}
