// Which hidden units to draw when there are too many to show: those with the largest incoming
// weights. A unit's weights are a column of its Dense layer's kernel ([inputs, units], row-major,
// as TF.js stores it); their size is the column's Euclidean norm. Large weights are what the
// training moved furthest from the small random start, so those units show the clearest
// patterns; a unit whose weights stayed near zero draws as noise.
// Pure: no TF.js, no DOM.

export interface RankedUnit {
  unit: number;
  /** The Euclidean norm of the unit's incoming weights. */
  norm: number;
}

/** Every unit of a [inputs, units] kernel, largest incoming weights first; equal norms keep their order. */
export function unitsByIncomingNorm(kernel: Float32Array, inputs: number, units: number): RankedUnit[] {
  if (kernel.length !== inputs * units) {
    throw new RangeError(`A kernel of ${inputs} × ${units} has ${inputs * units} weights, got ${kernel.length}.`);
  }
  const squares = new Float64Array(units);
  for (let row = 0; row < inputs; row++) {
    const offset = row * units;
    for (let unit = 0; unit < units; unit++) {
      squares[unit] += kernel[offset + unit] * kernel[offset + unit];
    }
  }
  return Array.from(squares, (sum, unit) => ({ unit, norm: Math.sqrt(sum) })).sort(
    (a, b) => b.norm - a.norm || a.unit - b.unit,
  );
}

/** The incoming weights of `unit`: its column of a [inputs, units] kernel. */
export function incomingWeights(kernel: Float32Array, inputs: number, units: number, unit: number): Float32Array {
  const column = new Float32Array(inputs);
  for (let row = 0; row < inputs; row++) {
    column[row] = kernel[row * units + unit];
  }
  return column;
}

/** A [rows, cols] matrix (row-major) turned to [cols, rows]: the output layer's kernel as one row per class. */
export function transpose(matrix: Float32Array, rows: number, cols: number): Float32Array {
  const result = new Float32Array(matrix.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      result[c * rows + r] = matrix[r * cols + c];
    }
  }
  return result;
}
