// The runs an experiment will train, decided before the first starts: a repeat (the settings in
// force, N seeds), a sweep (one hyperparameter at 2-8 values, each repeated, on a subset), or
// "repeat each" (the settings of runs that were compared alone, so that the comparison can tell).
// Every planned run carries its seed and its group, which run.json keeps. Pure: no DOM, no `vscode`.
import { drawSeed } from '../ml/random';
import { normalizeSettings, SEED_RANGE, type TrainingSettings } from '../settings';
import { MAX_GROUP_SIZE, type RunGroup } from './runGroup';
import { MAX_SWEEP_VALUES, MIN_SWEEP_VALUES, type SweepSetting } from './sweepValues';

export const MIN_REPEATS = 2;
export const MAX_REPEATS = 10;
/** A sweep may run each value once: its chart then shows the values without their spread. */
export const MIN_SWEEP_REPEATS = 1;
export const MAX_SWEEP_REPEATS = 10;
/** A sweep's default subset: quick enough to try several values in minutes, large enough to rank them. */
export const QUICK_SUBSET = { train: 10_000, test: 2_000 } as const;

/** Which images a sweep trains and tests on: the quick subset, the settings' own, or all. */
export type SweepSubset = 'quick' | 'settings' | 'full';

/** The training and test images (0 = all) a sweep on `subset` uses. */
export function sweepSubsetSizes(
  subset: SweepSubset,
  settings: Pick<TrainingSettings, 'trainSubsetSize' | 'testSubsetSize'>,
): { train: number; test: number } {
  switch (subset) {
    case 'quick':
      return { ...QUICK_SUBSET };
    case 'settings':
      return { train: settings.trainSubsetSize, test: settings.testSubsetSize };
    case 'full':
      return { train: 0, test: 0 };
  }
}

/** The hyperparameters in words, for labels and messages. */
export const SWEEP_LABELS: Record<SweepSetting, string> = {
  learningRate: 'learning rate',
  batchSize: 'batch size',
  hiddenUnits: 'hidden units',
  dropout: 'dropout',
  epochs: 'epochs',
  learningRateDecay: 'learning-rate decay',
};

/** The hyperparameters only one model preset has. */
const PRESET_ONLY: Partial<Record<SweepSetting, TrainingSettings['model']>> = { hiddenUnits: 'mlp', dropout: 'mlp' };

/** A run the experiment will train: its settings (seed included) and its group. */
export interface PlannedRun {
  settings: TrainingSettings & { seed: number };
  group: RunGroup;
}

export interface ExperimentPlan {
  /** What the learner asked for, e.g. "Repeat ×3" or "Sweep of learning rate". */
  label: string;
  runs: PlannedRun[];
}

/** Where new group ids and seeds come from; tests pass fixed ones. */
export interface PlanSource {
  now: () => number;
  random: () => number;
}

export const REAL_SOURCE: PlanSource = { now: () => Date.now(), random: Math.random };

/** A new group id: the time (so ids sort as groups were made) and a random part. */
export function newGroupId(source: PlanSource): string {
  const random = Math.floor(source.random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
  return `g${source.now().toString(36)}-${random}`;
}

/**
 * `count` distinct seeds: from `first` on (first, first + 1, …, wrapping within the seed range)
 * when a seed is set, so that the whole repeat can be run again; drawn anew otherwise.
 */
export function repeatSeeds(first: number | null, count: number, random: () => number): number[] {
  if (first !== null) {
    const span = SEED_RANGE.max - SEED_RANGE.min + 1;
    return Array.from({ length: count }, (_, i) => SEED_RANGE.min + ((first - SEED_RANGE.min + i) % span));
  }
  const seeds = new Set<number>();
  while (seeds.size < count) {
    seeds.add(drawSeed(random));
  }
  return [...seeds];
}

function checkCount(what: string, count: number, min: number, max: number): void {
  if (!Number.isInteger(count) || count < min || count > max) {
    throw new RangeError(`${what} is a whole number from ${min} to ${max}, not ${count}.`);
  }
}

/** "Repeat ×N": the settings in force, trained with N seeds in a row, as one group. */
export function planRepeat(settings: TrainingSettings, count: number, source = REAL_SOURCE): ExperimentPlan {
  checkCount('A repeat', count, MIN_REPEATS, MAX_REPEATS);
  const label = `Repeat ×${count}`;
  const id = newGroupId(source);
  const runs = repeatSeeds(settings.seed, count, source.random).map((seed, index) => ({
    settings: { ...settings, seed },
    group: { id, kind: 'repeat' as const, label, index, size: count },
  }));
  return { label, runs };
}

/**
 * "Repeat each ×N" after a comparison that could not tell: each run's own settings again, N
 * times, each run's repeats a group of their own. The seeds follow the run's own (seed + 1, …),
 * so the same comparison repeated gives the same runs; a run without a seed gets drawn ones.
 */
export function planRepeatEach(
  runs: readonly { settings: TrainingSettings }[],
  count: number,
  source = REAL_SOURCE,
): ExperimentPlan {
  checkCount('A repeat', count, MIN_REPEATS, MAX_REPEATS);
  const label = `Repeat ×${count}`;
  return {
    label: runs.length === 1 ? label : `Repeat each of ${runs.length} runs ×${count}`,
    runs: runs.flatMap(({ settings }) => {
      const id = newGroupId(source);
      const first = settings.seed === null ? null : (settings.seed + 1) % (SEED_RANGE.max + 1);
      return repeatSeeds(first, count, source.random).map((seed, index) => ({
        settings: { ...settings, seed },
        group: { id, kind: 'repeat' as const, label, index, size: count },
      }));
    }),
  };
}

/** What a sweep varies, over which values, how often, on which subset. */
export interface SweepRequest {
  settings: TrainingSettings;
  parameter: SweepSetting;
  values: readonly number[];
  repeats: number;
  /** 0 = all images, as in the settings. */
  trainSubsetSize: number;
  testSubsetSize: number;
}

/** Whether `parameter` means anything for `model` (hidden units and dropout are the MLP's). */
export function sweepsModel(parameter: SweepSetting, model: TrainingSettings['model']): boolean {
  const only = PRESET_ONLY[parameter];
  return only === undefined || only === model;
}

/** A value the settings would keep as typed: in range, whole where it must be. */
function keeps<K extends keyof TrainingSettings>(key: K, value: number): boolean {
  return normalizeSettings({ [key]: value })[key] === value;
}

/**
 * Values typed for a sweep, separated by commas, semicolons or spaces: 2 to 8 distinct numbers
 * the setting takes, in increasing order; or the reason they are not.
 */
export function parseSweepValues(parameter: SweepSetting, text: string): { values: number[] } | { reason: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const values = parts.map(Number);
  const bad = parts.find((part, i) => !Number.isFinite(values[i]) || !keeps(parameter, values[i]));
  if (bad !== undefined) {
    return { reason: `${bad} is not a value ${SWEEP_LABELS[parameter]} can take (see its range in section 2).` };
  }
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length < MIN_SWEEP_VALUES || distinct.length > MAX_SWEEP_VALUES) {
    return {
      reason: `Type ${MIN_SWEEP_VALUES} to ${MAX_SWEEP_VALUES} different values, separated by commas; ${distinct.length} given.`,
    };
  }
  return { values: distinct };
}

/** Why `request` cannot run, in a sentence; undefined when it can. */
export function sweepProblem(request: SweepRequest): string | undefined {
  const { parameter, settings } = request;
  if (!sweepsModel(parameter, settings.model)) {
    return `The ${settings.model.toUpperCase()} has no ${SWEEP_LABELS[parameter]}: choose another hyperparameter, or the MLP.`;
  }
  const parsed = parseSweepValues(parameter, request.values.join(','));
  if ('reason' in parsed) {
    return parsed.reason;
  }
  if (
    !Number.isInteger(request.repeats) ||
    request.repeats < MIN_SWEEP_REPEATS ||
    request.repeats > MAX_SWEEP_REPEATS
  ) {
    return `Repeats per value are a whole number from ${MIN_SWEEP_REPEATS} to ${MAX_SWEEP_REPEATS}.`;
  }
  if (parsed.values.length * request.repeats > MAX_GROUP_SIZE) {
    return `${parsed.values.length} values × ${request.repeats} repeats is more than the ${MAX_GROUP_SIZE} runs a sweep may have.`;
  }
  for (const key of ['trainSubsetSize', 'testSubsetSize'] as const) {
    if (!keeps(key, request[key])) {
      return `The ${key === 'trainSubsetSize' ? 'training' : 'test'} images used are a whole number from 0 (all) to ${key === 'trainSubsetSize' ? '60,000' : '10,000'}.`;
    }
  }
  return undefined;
}

/**
 * The sweep's runs. Each repeat uses the same seeds at every value ("common random numbers"):
 * the values then start from the same weights and see the same orders, so what differs between
 * them is the value. The repeats come round by round (every value once, then every value again),
 * so a sweep stopped early has tried every value, and a machine that slows down meanwhile slows
 * every value alike.
 */
export function planSweep(request: SweepRequest, source = REAL_SOURCE): ExperimentPlan {
  const problem = sweepProblem(request);
  if (problem) {
    throw new RangeError(problem);
  }
  const { settings, parameter, repeats } = request;
  const values = [...new Set(request.values)].sort((a, b) => a - b);
  const label = `Sweep of ${SWEEP_LABELS[parameter]}`;
  const id = newGroupId(source);
  const size = values.length * repeats;
  const seeds = repeatSeeds(settings.seed, repeats, source.random);
  const runs = seeds.flatMap((seed, round) =>
    values.map((value, i) => ({
      settings: {
        ...settings,
        trainSubsetSize: request.trainSubsetSize,
        testSubsetSize: request.testSubsetSize,
        [parameter]: value,
        seed,
      },
      group: { id, kind: 'sweep' as const, label, index: round * values.length + i, size, parameter, value },
    })),
  );
  return { label, runs };
}
