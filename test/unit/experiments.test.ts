// The pure parts of repeats, sweeps and export: proposed sweep values, group summaries, CSV.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { summarizeGroup, formatMeanSd, runResults } from '../../src/shared/experiments/groupSummary';
import { csvField, RUNS_CSV_COLUMNS, runsToCsv, type CsvRun } from '../../src/shared/experiments/runsCsv';
import {
  MAX_SWEEP_VALUES,
  MIN_SWEEP_VALUES,
  proposeSweepValues,
  SWEEP_SETTINGS,
} from '../../src/shared/experiments/sweepValues';
import type { SavedRun } from '../../src/shared/savedRun';
import { DEFAULT_SETTINGS, defaultsFor, normalizeSettings, SETTING_RANGES } from '../../src/shared/settings';

/** A run with these test accuracy, epochs (validation loss, seconds) and seed. */
function run(
  testAccuracy: number,
  epochs: [valLoss: number | null, seconds: number][],
  seed: number | null = 1,
): Omit<SavedRun, 'predictions'> {
  return {
    finishedAt: '2026-12-01T16:50:33.000Z',
    settings: { ...DEFAULT_SETTINGS, epochs: epochs.length, seed },
    backend: 'wasm',
    trainCount: 1600,
    validationCount: 400,
    testCount: 500,
    history: epochs.map(([valLoss, seconds], i) => ({
      epoch: i + 1,
      loss: 1 / (i + 2),
      accuracy: 0.5 + i / 10,
      valLoss,
      valAccuracy: valLoss === null ? null : 0.6 + i / 10,
      seconds,
    })),
    evaluation: { loss: 0.4, accuracy: testAccuracy, confusionMatrix: [] },
  };
}

/**
 * An RFC 4180 reader written apart from the writer: quoted fields may hold commas, quotes
 * (doubled) and line breaks; records end in CRLF.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += char;
    }
  }
  assert.equal(field + record.join(''), '', 'the text ends with a line break');
  return records;
}

describe('Sweeps, groups and export', () => {
  describe('proposed sweep values', () => {
    it('step the learning rate by powers of ten around the current value', () => {
      assert.deepEqual(proposeSweepValues('learningRate', DEFAULT_SETTINGS, 3), [0.0001, 0.001, 0.01]);
      assert.deepEqual(proposeSweepValues('learningRate', DEFAULT_SETTINGS, 5), [0.0001, 0.0003, 0.001, 0.003, 0.01]);
      assert.deepEqual(proposeSweepValues('learningRate', defaultsFor('cnn'), 3), [0.0002, 0.002, 0.02]);
      // At the top of the range the two decades move down.
      assert.deepEqual(proposeSweepValues('learningRate', { ...DEFAULT_SETTINGS, learningRate: 1 }, 3), [0.01, 0.1, 1]);
    });

    it('take batch sizes and hidden units as powers of two around the current value', () => {
      assert.deepEqual(proposeSweepValues('batchSize', DEFAULT_SETTINGS, 5), [8, 16, 32, 64, 128]);
      assert.deepEqual(proposeSweepValues('batchSize', DEFAULT_SETTINGS, 2), [32, 64]);
      assert.deepEqual(proposeSweepValues('hiddenUnits', DEFAULT_SETTINGS, 3), [128, 256, 512]);
      assert.deepEqual(
        proposeSweepValues('hiddenUnits', { ...DEFAULT_SETTINGS, hiddenUnits: 4096 }, 3),
        [1024, 2048, 4096],
      );
      assert.deepEqual(proposeSweepValues('batchSize', { ...DEFAULT_SETTINGS, batchSize: 100 }, 3), [64, 128, 256]);
    });

    it('spread dropout from none to a half, epochs from 1 to twice the current, decay from 0.7 to constant', () => {
      assert.deepEqual(proposeSweepValues('dropout', DEFAULT_SETTINGS, 3), [0, 0.25, 0.5]);
      assert.deepEqual(proposeSweepValues('dropout', DEFAULT_SETTINGS, 6), [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
      assert.deepEqual(proposeSweepValues('epochs', DEFAULT_SETTINGS, 4), [1, 4, 7, 10]);
      assert.deepEqual(proposeSweepValues('learningRateDecay', DEFAULT_SETTINGS, 4), [0.7, 0.8, 0.9, 1]);
    });

    it('give as many distinct values as asked, increasing and in range, for any settings', () => {
      const anySettings = fc
        .record({
          learningRate: fc.double({ min: 1e-7, max: 2, noNaN: true }),
          batchSize: fc.integer({ min: 0, max: 5000 }),
          hiddenUnits: fc.integer({ min: 0, max: 5000 }),
          dropout: fc.double({ min: 0, max: 1, noNaN: true }),
          epochs: fc.integer({ min: 0, max: 200 }),
          learningRateDecay: fc.double({ min: 0.4, max: 1.1, noNaN: true }),
        })
        .map((raw) => normalizeSettings(raw));
      fc.assert(
        fc.property(
          anySettings,
          fc.constantFrom(...SWEEP_SETTINGS),
          fc.integer({ min: MIN_SWEEP_VALUES, max: MAX_SWEEP_VALUES }),
          (settings, setting, count) => {
            const values = proposeSweepValues(setting, settings, count);
            const { min, max, integer } = SETTING_RANGES[setting];
            assert.equal(values.length, count, `${setting} ${settings[setting]}: ${values}`);
            values.forEach((value, i) => {
              assert.ok(value >= min && value <= max, `${setting}: ${value} out of range`);
              assert.ok(!integer || Number.isInteger(value), `${setting}: ${value} is no whole number`);
              assert.ok(i === 0 || value > values[i - 1], `${setting}: ${values} not increasing`);
              assert.equal(normalizeSettings({ [setting]: value })[setting], value, 'the settings keep it as it is');
            });
          },
        ),
      );
    });

    it('refuse fewer than 2 or more than 8 values', () => {
      assert.throws(() => proposeSweepValues('epochs', DEFAULT_SETTINGS, 1), /2 to 8 values/);
      assert.throws(() => proposeSweepValues('epochs', DEFAULT_SETTINGS, 9), /2 to 8 values/);
    });
  });

  describe('a group of runs', () => {
    it('has the mean ± sample sd of test accuracy, final validation loss and time, with the single values', () => {
      const group = summarizeGroup([
        run(0.87, [
          [0.5, 3],
          [0.4, 3],
        ]),
        run(0.86, [
          [0.6, 4],
          [0.45, 4],
        ]),
        run(0.88, [
          [0.55, 5],
          [0.35, 6],
        ]),
      ]);
      assert.equal(group.runs, 3);
      assert.deepEqual(group.testAccuracy.values, [0.87, 0.86, 0.88]);
      assert.ok(Math.abs(group.testAccuracy.mean - 0.87) < 1e-12);
      assert.ok(Math.abs(group.testAccuracy.standardDeviation! - 0.01) < 1e-12);
      assert.deepEqual(group.finalValidationLoss!.values, [0.4, 0.45, 0.35]);
      assert.ok(Math.abs(group.finalValidationLoss!.standardDeviation! - 0.05) < 1e-12);
      assert.deepEqual(group.seconds.values, [6, 8, 11]);
      assert.equal(formatMeanSd(group.testAccuracy), '0.8700 ± 0.0100');
      assert.equal(formatMeanSd(group.seconds, 1), '8.3 ± 2.5');
    });

    it('takes the validation loss of the weights early stopping kept, and none without validation', () => {
      const stopped = {
        ...run(0.87, [
          [0.5, 1],
          [0.3, 1],
          [0.4, 1],
        ]),
        earlyStop: { bestEpoch: 2, stoppedAfterEpoch: 3 },
      };
      assert.equal(runResults(stopped).finalValidationLoss, 0.3);
      const group = summarizeGroup([run(0.8, [[null, 2]])]);
      assert.equal(group.finalValidationLoss, null);
      assert.equal(group.testAccuracy.standardDeviation, null);
      assert.equal(formatMeanSd(group.testAccuracy), '0.8000');
      assert.throws(() => summarizeGroup([]), /at least one run/);
    });
  });

  describe('CSV of runs', () => {
    const runs: CsvRun[] = [
      {
        id: '20261201-165033-a1',
        run: run(0.8712, [
          [0.5, 3.25],
          [0.41, 3.5],
        ]),
      },
      { id: '20261201-165107-b2', run: { ...run(0.86, [[null, 2]], null), backend: 'cpu' } },
    ];

    it('has a row per run and epoch with the settings, the seed, the curves and the results', () => {
      const records = parseCsv(runsToCsv(runs));
      assert.deepEqual(records[0], [...RUNS_CSV_COLUMNS]);
      assert.equal(records.length, 1 + 2 + 1);
      const rows = records.slice(1).map((cells) => Object.fromEntries(cells.map((cell, i) => [records[0][i], cell])));
      assert.deepEqual(
        rows.map((r) => [r.run, r.epoch, r.seed, r.hiddenUnits, r.backend, r.trainedOn]),
        [
          ['20261201-165033-a1', '1', '1', '256', 'auto', 'wasm'],
          ['20261201-165033-a1', '2', '1', '256', 'auto', 'wasm'],
          ['20261201-165107-b2', '1', '', '256', 'auto', 'cpu'],
        ],
      );
      assert.deepEqual(
        rows.map((r) => [r.valLoss, r.valAccuracy, r.epochSeconds, r.testAccuracy, r.earlyStoppingBestEpoch]),
        [
          ['0.5', '0.6', '3.25', '0.8712', ''],
          ['0.41', '0.7', '3.5', '0.8712', ''],
          ['', '', '2', '0.86', ''],
        ],
      );
      assert.ok(RUNS_CSV_COLUMNS.includes('seed'), 'every setting has a column, the seed among them');
    });

    it('quotes fields with commas, quotes and line breaks, and keeps formulas from running', () => {
      assert.equal(csvField('plain'), 'plain');
      assert.equal(csvField('a,b'), '"a,b"');
      assert.equal(csvField('say "hi"'), '"say ""hi"""');
      assert.equal(csvField('two\nlines'), '"two\nlines"');
      assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
      assert.equal(csvField(-0.5), '-0.5');
      assert.equal(csvField(null), '');
      assert.equal(csvField(Number.NaN), '');
      const tricky = runsToCsv([{ id: 'a,"b"\r\nc', run: run(0.5, [[0.1, 1]]) }]);
      assert.equal(parseCsv(tricky)[1][0], 'a,"b"\r\nc');
    });

    it('is only the header for no runs', () => {
      assert.equal(runsToCsv([]), RUNS_CSV_COLUMNS.join(',') + '\r\n');
    });
  });
});
