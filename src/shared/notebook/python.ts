// Values written into generated Python code as literals. Pure.

/**
 * A Python string literal. JSON's string syntax is a subset of Python's (the same escapes, `\uXXXX`
 * included), so a JSON string is read back by Python as the same text, backslashes of Windows
 * paths and quotes in names included.
 */
export function pyString(text: string): string {
  return JSON.stringify(text);
}

/** A finite number as Python writes it: `0.001`, `1e-05`, `256`. */
export function pyNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${value} has no Python literal here.`);
  }
  return String(value);
}

export function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}

/** A tuple of numbers: `(28, 28, 1)`, and `(5,)` for one. */
export function pyTuple(values: readonly number[]): string {
  const items = values.map(pyNumber);
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** Keyword arguments, leaving out those whose value is undefined. */
export function pyKeywords(args: Record<string, string | undefined>): string[] {
  return Object.entries(args).flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${value}`]));
}
