// The numbers of a figure as text: in full (a data attribute that tests and tools read, every
// float32 exactly), in short (what the panel prints), and summed up for a screen reader.
// Pure: no DOM, so unit tests run it in Node.

/**
 * `values` as comma-separated decimals that read back (Number, then Math.fround) to exactly the
 * same float32 numbers: nine significant digits always suffice for a float32.
 */
export function encodeValues(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    parts[i] = String(Number(values[i].toPrecision(9)));
  }
  return parts.join(',');
}

/** The numbers of encodeValues' text. */
export function decodeValues(text: string): Float32Array {
  return text === '' ? new Float32Array() : Float32Array.from(text.split(','), Number);
}

/** A value as the panel prints it: three decimals, a true minus sign, and no "-0.000". */
export function formatValue(value: number, digits = 3): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text.replace('-', '−');
}

export interface ValueSummary {
  count: number;
  min: number;
  max: number;
  negatives: number;
  zeros: number;
}

export function summarize(values: ArrayLike<number>): ValueSummary {
  let min = Infinity;
  let max = -Infinity;
  let negatives = 0;
  let zeros = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    min = Math.min(min, value);
    max = Math.max(max, value);
    negatives += value < 0 ? 1 : 0;
    zeros += value === 0 ? 1 : 0;
  }
  return { count: values.length, min, max, negatives, zeros };
}

/** "256 values from −2.310 to 4.052, 131 negative": a figure's text alternative starts with this. */
export function describeValues(values: ArrayLike<number>): string {
  if (values.length === 0) {
    return 'no values';
  }
  const { count, min, max, negatives } = summarize(values);
  return `${count.toLocaleString('en-US')} values from ${formatValue(min)} to ${formatValue(max)}, ${negatives.toLocaleString('en-US')} negative`;
}

/** The indices of the `count` largest values, largest first (ties keep their order). */
export function largestIndices(values: ArrayLike<number>, count: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((a, b) => values[b] - values[a] || a - b)
    .slice(0, count);
}
