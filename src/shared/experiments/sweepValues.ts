// The values a sweep proposes for one hyperparameter: 2 to 8 values in the hyperparameter's own
// scale around the value in force, inside the range the settings allow. The learner can change
// them; these are a sensible start. Pure: no DOM, no `vscode`.
import { SETTING_RANGES, type TrainingSettings } from '../settings';

/** The hyperparameters a sweep can vary. */
export const SWEEP_SETTINGS = [
  'learningRate',
  'batchSize',
  'hiddenUnits',
  'dropout',
  'epochs',
  'learningRateDecay',
] as const;
export type SweepSetting = (typeof SWEEP_SETTINGS)[number];

export const MIN_SWEEP_VALUES = 2;
export const MAX_SWEEP_VALUES = 8;

/**
 * The values with as few significant digits as keep them apart (3e-4, 0.002): learning rates
 * are chosen by their order of magnitude, and a short number is one a person reads and types.
 */
function fewestDigits(values: number[]): number[] {
  for (let digits = 1; ; digits++) {
    const rounded = values.map((value) => Number(value.toPrecision(digits)));
    if (new Set(rounded).size === values.length || digits === 6) {
      return rounded;
    }
  }
}

/** `count` values from `from` to `to`, evenly spaced. */
function spaced(from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}

/** `count` consecutive powers of two with the one nearest `current` in the middle, moved inside [min, max]. */
function powersOfTwoAround(current: number, count: number, min: number, max: number): number[] {
  const [lowest, highest] = [Math.ceil(Math.log2(Math.max(1, min))), Math.floor(Math.log2(max))];
  const centre = Math.round(Math.log2(Math.max(1, current)));
  let first = centre - Math.floor((count - 1) / 2);
  first = Math.max(lowest, Math.min(first, highest - count + 1));
  return Array.from({ length: count }, (_, i) => 2 ** (first + i)).filter((v) => v >= min && v <= max);
}

/**
 * How each hyperparameter is swept, and why:
 * - learning rate: log steps over a factor of 10 either side of the current value (0.0001 to
 *   0.01 around the tutorial's 0.001): its effect goes with its order of magnitude, and equal
 *   steps would crowd the small values out;
 * - batch size and hidden units: consecutive powers of two around the current value, how both
 *   are usually chosen (and what the hardware's kernels like);
 * - dropout: from 0 (none) to 0.5 (half the units, the usual upper end), or to the current
 *   value when it is higher, in steps of 0.05;
 * - epochs: whole numbers from 1 to twice the current value: the curve of accuracy against
 *   training time;
 * - learning-rate decay: from 0.7 (strong) to 1 (constant), two decimals.
 */
function proposal(setting: SweepSetting, current: number, count: number): number[] {
  const { min, max } = SETTING_RANGES[setting];
  switch (setting) {
    case 'learningRate': {
      // Two decades, moved inside the range when the current value is near an end of it.
      const [lowest, highest] = [Math.log10(min), Math.log10(max)];
      const low = Math.max(lowest, Math.min(Math.log10(current) - 1, highest - 2));
      return fewestDigits(spaced(low, low + 2, count).map((exponent) => 10 ** exponent));
    }
    case 'batchSize':
    case 'hiddenUnits':
      return powersOfTwoAround(current, count, min, max);
    case 'dropout': {
      const top = Math.max(0.5, Math.min(max, current));
      // Twentieths, rounded down so the last value stays at or below the top.
      const twentieths = Math.max(1, Math.floor((top / (count - 1)) * 20 + 1e-9));
      return Array.from({ length: count }, (_, i) => (i * twentieths) / 20);
    }
    case 'epochs':
      return spaced(1, Math.min(max, Math.max(count, 2 * current)), count).map(Math.round);
    case 'learningRateDecay':
      return spaced(0.7, 1, count).map((value) => Number(value.toFixed(2)));
  }
}

/**
 * The values a sweep of `setting` proposes when it is `settings[setting]` now: `count` (2 to 8)
 * values in increasing order, all distinct and inside the setting's range.
 */
export function proposeSweepValues(setting: SweepSetting, settings: TrainingSettings, count: number): number[] {
  if (!Number.isInteger(count) || count < MIN_SWEEP_VALUES || count > MAX_SWEEP_VALUES) {
    throw new RangeError(`A sweep has ${MIN_SWEEP_VALUES} to ${MAX_SWEEP_VALUES} values, not ${count}.`);
  }
  const { min, max } = SETTING_RANGES[setting];
  const values = proposal(setting, settings[setting], count).filter((value) => value >= min && value <= max);
  return [...new Set(values)].sort((a, b) => a - b);
}
