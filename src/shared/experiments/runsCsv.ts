// Runs as CSV for a spreadsheet or pandas: one row per run and epoch ("long" form), each row
// carrying the run's group (repeat or sweep), settings, seed and results beside the epoch's figures, so the file can be
// filtered and pivoted without joins. RFC 4180: fields with a comma, quote or line break are
// quoted with quotes doubled, lines end in CRLF. Pure: no DOM, no `vscode`.
import type { SavedRun } from '../savedRun';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../settings';

/** A run as the history lists it. */
export interface CsvRun {
  id: string;
  run: Omit<SavedRun, 'predictions'>;
}

/** Every training setting, in the order the settings declare them: a new setting gets its column. */
const SETTING_COLUMNS = Object.keys(DEFAULT_SETTINGS) as (keyof TrainingSettings)[];

export const RUNS_CSV_COLUMNS = [
  'run',
  'finishedAt',
  'group',
  'groupKind',
  'groupLabel',
  'groupIndex',
  ...SETTING_COLUMNS,
  'trainedOn',
  'trainCount',
  'validationCount',
  'testCount',
  'epoch',
  'loss',
  'accuracy',
  'valLoss',
  'valAccuracy',
  'epochSeconds',
  'earlyStoppingBestEpoch',
  'testLoss',
  'testAccuracy',
] as const;

type Cell = string | number | null | undefined;

/**
 * One field: numbers as JavaScript prints them (every digit kept), nothing for null, text quoted
 * when it must be. Text that a spreadsheet would run as a formula (=, +, -, @ first) gets an
 * apostrophe first, the usual guard, since run labels may come from a person.
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : '';
  }
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',');
}

/** The runs' settings, epoch curves and results as one CSV text, a header line first. */
export function runsToCsv(runs: readonly CsvRun[]): string {
  const lines = [csvLine(RUNS_CSV_COLUMNS)];
  for (const { id, run } of runs) {
    const settings = SETTING_COLUMNS.map((key) => run.settings[key]);
    for (const epoch of run.history) {
      lines.push(
        csvLine([
          id,
          run.finishedAt,
          run.group?.id,
          run.group?.kind,
          run.group?.label,
          run.group?.index,
          ...settings,
          run.backend,
          run.trainCount,
          run.validationCount,
          run.testCount,
          epoch.epoch,
          epoch.loss,
          epoch.accuracy,
          epoch.valLoss,
          epoch.valAccuracy,
          epoch.seconds,
          run.earlyStop?.bestEpoch,
          run.evaluation.loss,
          run.evaluation.accuracy,
        ]),
      );
    }
  }
  return lines.join('\r\n') + '\r\n';
}
