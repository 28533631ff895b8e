// The kept runs seen as groups: a repeat's runs together, a sweep's runs at each value together
// (a "cell"), each with its mean ± sd. Runs ticked for comparison become sides (a cell's runs
// one side, a run trained alone its own), and each pair of sides gets a noise verdict. A sweep
// becomes a series of test accuracy against its value. Pure: no DOM, no `vscode`.
import type { SavedRun } from '../savedRun';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../settings';
import { compareAccuracies, type NoiseVerdict } from '../stats/noiseVerdict';
import { summarizeGroup, type GroupSummary } from './groupSummary';
import type { RunGroup } from './runGroup';
import type { SweepSetting } from './sweepValues';

/** A kept run as the history lists it. */
export interface HistoryRun {
  id: string;
  run: Omit<SavedRun, 'predictions'>;
}

/** The runs of one repeat, or of one value of a sweep. */
export interface GroupCell {
  /** The group's id, with "@value" for a sweep's value. */
  key: string;
  group: Omit<RunGroup, 'index'>;
  /** In the order they were trained. */
  runs: HistoryRun[];
  summary: GroupSummary;
}

/** The cell a grouped run belongs to. */
export function cellKey(group: Pick<RunGroup, 'id' | 'kind' | 'value'>): string {
  return group.kind === 'sweep' ? `${group.id}@${group.value}` : group.id;
}

/** What the runs of a group share: the group without a run's own place in it. */
function withoutIndex(group: RunGroup): Omit<RunGroup, 'index'> {
  const shared: Partial<RunGroup> = { ...group };
  delete shared.index;
  return shared as Omit<RunGroup, 'index'>;
}

/** The cells of `runs` (newest first, as the history lists them), newest cell first. */
export function groupCells(runs: readonly HistoryRun[]): GroupCell[] {
  const cells = new Map<string, HistoryRun[]>();
  for (const entry of runs) {
    const group = entry.run.group;
    if (group) {
      const key = cellKey(group);
      cells.set(key, [...(cells.get(key) ?? []), entry]);
    }
  }
  return [...cells.entries()].map(([key, members]) => {
    const ordered = [...members].sort((a, b) => a.run.group!.index - b.run.group!.index);
    return {
      key,
      group: withoutIndex(ordered[0].run.group!),
      runs: ordered,
      summary: summarizeGroup(ordered.map((m) => m.run)),
    };
  });
}

/** One side of a comparison: a cell's ticked runs, or one run. */
export interface ComparisonSide {
  key: string;
  runs: HistoryRun[];
  /** The cell's group, when the side is one. */
  group?: Omit<RunGroup, 'index'>;
}

/**
 * The ticked runs as sides: the runs of one cell together (in the order they trained), each other
 * run alone; the sides in the order first met.
 */
export function comparisonSides(chosen: readonly HistoryRun[]): ComparisonSide[] {
  const sides = new Map<string, ComparisonSide>();
  for (const entry of chosen) {
    const group = entry.run.group;
    const key = group ? cellKey(group) : `run:${entry.id}`;
    const side = sides.get(key);
    if (side) {
      side.runs.push(entry);
    } else {
      sides.set(key, { key, runs: [entry], ...(group ? { group: withoutIndex(group) } : {}) });
    }
  }
  // A group's runs in the order they trained, as the groups table lists them.
  const byIndex = (a: HistoryRun, b: HistoryRun) => (a.run.group?.index ?? 0) - (b.run.group?.index ?? 0);
  return [...sides.values()].map((side) => ({ ...side, runs: [...side.runs].sort(byIndex) }));
}

const SETTING_NAMES: Record<Exclude<keyof TrainingSettings, 'seed'>, string> = {
  model: 'model',
  epochs: 'epochs',
  batchSize: 'batch size',
  hiddenUnits: 'hidden units',
  dropout: 'dropout',
  learningRate: 'learning rate',
  learningRateDecay: 'learning-rate decay',
  validationSplit: 'validation split',
  trainSubsetSize: 'training images',
  testSubsetSize: 'test images',
  backend: 'backend',
  earlyStoppingPatience: 'early stopping patience',
  workers: 'training threads',
};

/** Settings keys in the order the settings declare them, the seed left out (repeats differ in it by design). */
const COMPARED_KEYS = (Object.keys(DEFAULT_SETTINGS) as (keyof TrainingSettings)[]).filter(
  (key): key is Exclude<keyof TrainingSettings, 'seed'> => key !== 'seed',
);

/** The settings a side's runs share; a key whose value differs within the side is left out. */
function sharedSettings(side: ComparisonSide): Partial<TrainingSettings> {
  const shared: Partial<Record<keyof TrainingSettings, unknown>> = {};
  for (const key of COMPARED_KEYS) {
    const values = new Set(side.runs.map((entry) => entry.run.settings[key]));
    if (values.size === 1) {
      shared[key] = [...values][0];
    }
  }
  return shared as Partial<TrainingSettings>;
}

/**
 * A name for each side from the settings that set the sides apart ("hidden units 8"), at most
 * `most` of them; `fallback` names a side whose settings are those of every other side.
 */
export function sideLabels(
  sides: readonly ComparisonSide[],
  fallback: (side: ComparisonSide, index: number) => string,
  most = 2,
): string[] {
  const shared = sides.map(sharedSettings);
  const differing = COMPARED_KEYS.filter((key) => new Set(shared.map((settings) => settings[key])).size > 1);
  return sides.map((side, i) => {
    const parts = differing
      .filter((key) => shared[i][key] !== undefined)
      .map((key) => `${SETTING_NAMES[key]} ${String(shared[i][key])}`);
    if (parts.length === 0) {
      return fallback(side, i);
    }
    return parts.length > most ? `${parts.slice(0, most).join(', ')}, …` : parts.join(', ');
  });
}

/** Most sides compared pairwise: 15 verdicts for 6 sides is as many as a person reads. */
export const MAX_COMPARED_SIDES = 6;

export interface SideVerdict {
  first: number;
  second: number;
  verdict: NoiseVerdict;
}

/** A noise verdict for every pair of sides (at most MAX_COMPARED_SIDES), in order. */
export function sideVerdicts(sides: readonly ComparisonSide[], labels: readonly string[]): SideVerdict[] {
  const compared = sides.slice(0, MAX_COMPARED_SIDES);
  const verdicts: SideVerdict[] = [];
  for (let first = 0; first < compared.length; first++) {
    for (let second = first + 1; second < compared.length; second++) {
      const side = (i: number) => ({
        label: labels[i],
        accuracies: compared[i].runs.map((entry) => entry.run.evaluation.accuracy),
      });
      verdicts.push({ first, second, verdict: compareAccuracies(side(first), side(second)) });
    }
  }
  return verdicts;
}

/** The runs a "cannot tell" verdict offers to repeat: each side with a single run, by its run. */
export function runsToRepeat(sides: readonly ComparisonSide[], verdict: SideVerdict): HistoryRun[] {
  if (verdict.verdict.kind !== 'cannot-tell') {
    return [];
  }
  return [sides[verdict.first], sides[verdict.second]]
    .filter((side) => side.runs.length < 2)
    .map((side) => side.runs[0]);
}

export interface SweepPoint {
  value: number;
  summary: GroupSummary;
  runIds: string[];
}

export interface SweepSeries {
  groupId: string;
  label: string;
  parameter: SweepSetting;
  /** Runs the sweep planned (a stopped sweep has fewer kept). */
  planned: number;
  /** When its newest run finished. */
  finishedAt: string;
  /** One per value, in increasing order of the value. */
  points: SweepPoint[];
}

/** Every sweep among `runs` (newest first), newest sweep first, with test accuracy per value. */
export function sweepSeries(runs: readonly HistoryRun[]): SweepSeries[] {
  const series = new Map<string, SweepSeries>();
  for (const cell of groupCells(runs)) {
    const { group } = cell;
    if (group.kind !== 'sweep' || group.parameter === undefined || group.value === undefined) {
      continue;
    }
    const newest = cell.runs
      .map((entry) => entry.run.finishedAt)
      .sort()
      .at(-1)!;
    const sweep = series.get(group.id) ?? {
      groupId: group.id,
      label: group.label,
      parameter: group.parameter,
      planned: group.size,
      finishedAt: newest,
      points: [],
    };
    sweep.finishedAt = newest > sweep.finishedAt ? newest : sweep.finishedAt;
    sweep.points.push({ value: group.value, summary: cell.summary, runIds: cell.runs.map((entry) => entry.id) });
    series.set(group.id, sweep);
  }
  return [...series.values()]
    .map((sweep) => ({ ...sweep, points: sweep.points.sort((a, b) => a.value - b.value) }))
    .sort((a, b) => (a.finishedAt < b.finishedAt ? 1 : a.finishedAt > b.finishedAt ? -1 : 0));
}
