// The colour scale of weights and activations: diverging around zero, so the sign reads at a
// glance. Zero is the panel's background (the value "says nothing" and disappears), positive
// values shade to the theme's chart red, negative ones to its chart blue, the strongest value of
// the figure at full colour. One scale for a whole figure, so its parts compare.
// Pure: no DOM (the theme's colours are read by palette.ts), so unit tests run it in Node.

export type Rgb = readonly [number, number, number];

export interface Palette {
  negative: Rgb;
  zero: Rgb;
  positive: Rgb;
}

/** The value drawn at full colour: the largest magnitude among `values` (1 when all are 0, so nothing divides by 0). */
export function fullScale(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const size = Math.abs(values[i]);
    if (size > largest) {
      largest = size;
    }
  }
  return largest > 0 ? largest : 1;
}

function mix(from: Rgb, to: Rgb, amount: number): Rgb {
  return [
    from[0] + (to[0] - from[0]) * amount,
    from[1] + (to[1] - from[1]) * amount,
    from[2] + (to[2] - from[2]) * amount,
  ];
}

/** The colour of `value` on a scale whose full colour is reached at ±`scale`; beyond it, full colour. */
export function divergingColor(value: number, scale: number, palette: Palette): Rgb {
  const amount = Math.min(1, Math.abs(value) / scale);
  return mix(palette.zero, value < 0 ? palette.negative : palette.positive, Number.isFinite(amount) ? amount : 0);
}

/** A picture's gray for a pixel value in [0, 1], as the data set draws it: 0 black, 1 white. */
export function grayColor(value: number): Rgb {
  const level = Math.round(Math.max(0, Math.min(1, value)) * 255);
  return [level, level, level];
}
