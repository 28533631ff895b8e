// A run repeated from its seed, as a learner does it: train with a new seed, "Run again with this
// seed" from the history, then a run with another seed typed into the panel. The same seed gives
// a byte-identical weights.bin, another seed other weights; the seeds show in the history, the
// comparison, run.json and the log, and the person's settings are left as they were.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';
import { hashFolder } from './hashFolder';
import { setInPanel } from './hyperparameters';
import { selectedRun } from './savedRuns';

/** Quick runs on one named backend: a seed repeats a run on the same backend. */
const QUICK_RUN = {
  'fashionClassifier.trainSubsetSize': 2000,
  'fashionClassifier.testSubsetSize': 500,
  'fashionClassifier.epochs': 2,
  'fashionClassifier.backend': 'wasm',
};

interface TrainedRun {
  id: string;
  seed: number;
  weightsHash: string;
  testAccuracy: number;
}

describe('Seeds in the classifier panel', () => {
  let session: EditorSession;
  const trained: TrainedRun[] = [];

  before(async () => {
    session = await startEditorSession('seeds', { settings: QUICK_RUN });
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    await panel().locator('#start-training:not([disabled])').waitFor({ timeout: 120_000 });
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  const panel = () => session.workbench.webview();
  const userSettings = () => JSON.parse(readFileSync(session.server.userSettingsFile, 'utf8'));
  const runRows = () => panel().locator('#runs-table tr.run');

  /** Waits for the run `start` begins to be saved and listed; returns what run.json and weights.bin hold. */
  async function trainedBy(start: () => Promise<void>): Promise<TrainedRun> {
    const before = await runRows().count();
    await start();
    await panel().locator('#status[data-kind="success"]').waitFor({ timeout: 300_000 });
    await runRows().nth(before).waitFor({ timeout: 30_000 });
    const saved = await selectedRun(session.server.globalStorage);
    const run = JSON.parse(readFileSync(join(saved.folder, 'run.json'), 'utf8'));
    const result = {
      id: saved.id,
      seed: run.settings.seed,
      weightsHash: hashFolder(saved.folder)['weights.bin'],
      testAccuracy: run.evaluation.accuracy,
    };
    trained.push(result);
    return result;
  }

  it('draws a seed for a run when none is set, and shows it in the history', async () => {
    assert.equal(await panel().locator('#hyperparameters dd[data-key="seed"]').getAttribute('data-value'), '');
    const first = await trainedBy(() => panel().locator('#start-training:not([disabled])').click());
    assert.ok(Number.isInteger(first.seed) && first.seed >= 0, `run.json seed ${first.seed}`);
    const row = panel().locator(`#runs-table tr.run[data-id="${first.id}"]`);
    assert.equal(await row.getAttribute('data-seed'), String(first.seed));
    assert.match(session.extensionLog(), new RegExp(`Training started on wasm: .*"seed":${first.seed}[,}]`));
    assert.equal(userSettings()['fashionClassifier.seed'], undefined, 'the drawn seed is not written to the settings');
  });

  it('trains byte-identical weights with "Run again with this seed", leaving the settings alone', async () => {
    const [first] = trained;
    const again = await trainedBy(() =>
      panel().locator(`#runs-table tr.run[data-id="${first.id}"] .run-again:not([disabled])`).click(),
    );
    assert.notEqual(again.id, first.id, 'a new run is kept');
    assert.equal(again.seed, first.seed);
    assert.equal(again.weightsHash, first.weightsHash, 'weights.bin of the same seed');
    assert.equal(again.testAccuracy, first.testAccuracy);
    assert.equal(userSettings()['fashionClassifier.seed'], undefined);
  });

  it('trains other weights with another seed typed into the panel, and writes that seed to the settings', async () => {
    const [first] = trained;
    const seed = first.seed + 1;
    await setInPanel(panel(), 'seed', String(seed));
    assert.equal(userSettings()['fashionClassifier.seed'], seed);
    const other = await trainedBy(() => panel().locator('#start-training:not([disabled])').click());
    assert.equal(other.seed, seed);
    assert.notEqual(other.weightsHash, first.weightsHash, 'weights.bin of another seed');
  });

  it('marks the seed in the comparison only where the compared runs differ in it', async () => {
    const [first, again, other] = trained;
    const seedCells = panel().locator('#comparison-table tr[data-key="seed"] td');
    const tick = (run: TrainedRun) => panel().locator(`#runs-table tr.run[data-id="${run.id}"] input.compare-run`);
    await tick(first).check();
    await tick(again).check();
    await seedCells.nth(1).waitFor({ timeout: 30_000 });
    assert.deepEqual(await seedCells.allInnerTexts(), [String(again.seed), String(first.seed)]);
    assert.equal(await seedCells.first().getAttribute('data-differs'), 'false');
    await tick(other).check();
    await seedCells.nth(2).waitFor({ timeout: 30_000 });
    assert.equal(await seedCells.first().getAttribute('data-differs'), 'true');
    await panel().locator('#comparison').scrollIntoViewIfNeeded();
    await session.workbench.screenshot('seeds-comparison');
  });

  it('refuses a seed that is no whole number where it was typed, keeping the setting', async () => {
    const input = panel().locator('#hyperparameters input[name="seed"]');
    await input.fill('-5');
    await input.press('Tab');
    assert.match(
      await panel().locator('#hyperparameters dd[data-key="seed"] .field-error').innerText(),
      /whole number from 0 to 4,294,967,295, or leave it empty/,
    );
    assert.equal(userSettings()['fashionClassifier.seed'], trained[0].seed + 1);
    // Emptied, it means a new seed every run again (null, the setting's default).
    await setInPanel(panel(), 'seed', '');
    assert.equal(userSettings()['fashionClassifier.seed'] ?? null, null);
  });
});
