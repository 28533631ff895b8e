// The group a run belongs to: a repeat (the same settings with several seeds) or a sweep (one
// hyperparameter at several values, each repeated). Kept in the run's run.json, so the history
// shows the runs of a group together after a restart; runs trained alone have none. Pure: no
// DOM, no `vscode`.
import { SETTING_RANGES, type TrainingSettings } from '../settings';
import { SWEEP_SETTINGS, type SweepSetting } from './sweepValues';

export const GROUP_KINDS = ['repeat', 'sweep'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

/** Most runs one group may plan: a sweep of 8 values repeated 10 times. */
export const MAX_GROUP_SIZE = 80;

export interface RunGroup {
  /** Shared by every run of the group; the store's run ids and these use the same characters. */
  id: string;
  kind: GroupKind;
  /** How the learner knows the group, e.g. "Repeat ×3" or "Sweep of learning rate". */
  label: string;
  /** This run's place in the group's plan, from 0. */
  index: number;
  /** The runs the group planned (a stopped group has fewer). */
  size: number;
  /** For a sweep: the hyperparameter it varies. */
  parameter?: SweepSetting;
  /** For a sweep: this run's value of `parameter` (its settings hold the same). */
  value?: number;
}

/** Group ids: letters, digits, dot, dash and underscore, as run ids. */
export const GROUP_ID_PATTERN = /^[\w.-]{1,80}$/;
const MAX_LABEL = 200;

/**
 * A group read from run.json or sent by a panel, checked against `settings` (a sweep run's value
 * is the one its settings trained with): the group, `undefined` when there is none (a run trained
 * alone, or saved before runs had groups), or `false` when it is damaged.
 */
export function parseRunGroup(value: unknown, settings: TrainingSettings): RunGroup | undefined | false {
  if (value === undefined) {
    return undefined;
  }
  const group = value as RunGroup;
  if (typeof group !== 'object' || group === null) {
    return false;
  }
  const shapeOk =
    typeof group.id === 'string' &&
    GROUP_ID_PATTERN.test(group.id) &&
    (GROUP_KINDS as readonly unknown[]).includes(group.kind) &&
    typeof group.label === 'string' &&
    group.label.length <= MAX_LABEL &&
    Number.isInteger(group.size) &&
    group.size >= 1 &&
    group.size <= MAX_GROUP_SIZE &&
    Number.isInteger(group.index) &&
    group.index >= 0 &&
    group.index < group.size;
  if (!shapeOk) {
    return false;
  }
  const base = { id: group.id, kind: group.kind, label: group.label, index: group.index, size: group.size };
  if (group.kind === 'repeat') {
    return group.parameter === undefined && group.value === undefined ? base : false;
  }
  const parameter = group.parameter;
  if (!(SWEEP_SETTINGS as readonly unknown[]).includes(parameter)) {
    return false;
  }
  const { min, max } = SETTING_RANGES[parameter!];
  const sweepValue = group.value;
  const valueOk =
    typeof sweepValue === 'number' && sweepValue >= min && sweepValue <= max && sweepValue === settings[parameter!];
  return valueOk ? { ...base, parameter, value: sweepValue } : false;
}
