// The seed a run records: kept in run.json and used by "Run again with this seed"; runs saved
// before runs recorded it still load. (The history and the comparison show it: test/e2e/seeds.)
import * as assert from 'node:assert/strict';
import { checkClassifierMessage } from '../../src/shared/messageChecks';
import { parseSavedRun, settingsToRunAgain, type SavedRun } from '../../src/shared/savedRun';
import { DEFAULT_SETTINGS, parseSeedText } from '../../src/shared/settings';
import { savedRunFixture } from './runFixtures';

const savedRun = (seed: number | null): SavedRun =>
  savedRunFixture({ settings: { ...DEFAULT_SETTINGS, backend: 'auto', seed } });

describe("A run's seed", () => {
  it('is kept in run.json as the run trained with it', () => {
    const parsed = parseSavedRun(JSON.parse(JSON.stringify(savedRun(48213))));
    assert.equal(parsed?.settings.seed, 48213);
  });

  it('is null in a run saved before runs recorded it, which still loads', () => {
    const older = JSON.parse(JSON.stringify(savedRun(null)));
    delete older.settings.seed;
    const parsed = parseSavedRun(older);
    assert.ok(parsed, 'the older run loads');
    assert.equal(parsed.settings.seed, null);
    assert.equal(parsed.evaluation.accuracy, 0.5);
  });

  it('trains again with the run’s settings and seed on the backend it trained on, or not at all without a seed', () => {
    assert.deepEqual(settingsToRunAgain(savedRun(7)), { ...DEFAULT_SETTINGS, backend: 'wasm', seed: 7 });
    assert.equal(settingsToRunAgain(savedRun(null)), undefined);
  });

  it('reaches the host from the panel as a whole number in range, or null for a new seed every run', () => {
    for (const value of [0, 42, 4294967295, null]) {
      assert.deepEqual(checkClassifierMessage({ type: 'updateSetting', key: 'seed', value }), {
        type: 'updateSetting',
        key: 'seed',
        value,
      });
    }
    for (const value of [-1, 4.5, 2 ** 32, '42']) {
      assert.equal(checkClassifierMessage({ type: 'updateSetting', key: 'seed', value }), undefined, String(value));
    }
  });

  describe('typed into the panel', () => {
    it('is a whole number in range, or empty for a new seed every run', () => {
      assert.deepEqual(parseSeedText(''), { value: null });
      assert.deepEqual(parseSeedText('  '), { value: null });
      assert.deepEqual(parseSeedText('42'), { value: 42 });
      assert.deepEqual(parseSeedText(' 0 '), { value: 0 });
      assert.deepEqual(parseSeedText('4294967295'), { value: 4294967295 });
    });

    it('is refused with what to type when it is not one', () => {
      for (const text of ['-1', '4.5', '4294967296', '1e3', 'abc', '0x10']) {
        const parsed = parseSeedText(text);
        assert.ok('reason' in parsed, text);
        assert.match(parsed.reason, /whole number from 0 to 4,294,967,295, or leave it empty/);
      }
    });
  });
});
