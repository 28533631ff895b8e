// A learner's first hour, through VS Code's own surfaces: the walkthrough opened from the Welcome
// page, each step completed by doing what it asks; the status bar during a run with the panel in
// the background; and the Settings editor, which shows no number for what depends on the model.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { CLASS_NAMES } from '../../src/shared/classNames';
import { PRESET_DEFAULTS } from '../../src/shared/settings';
import { loadSystemTestSet } from '../harness/fashionSamples';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';
import { setInPanel } from './hyperparameters';
import { selectedRun } from './savedRuns';
import {
  clickStepButton,
  openWalkthrough,
  recordStatusBar,
  showWelcome,
  STATUS_BAR_ITEM,
  step,
  stepDone,
} from './walkthroughPage';

/** Long enough to switch tabs during the first epoch on a fast machine, short on a slow one. */
const FIRST_RUN = {
  'fashionClassifier.trainSubsetSize': 10000,
  'fashionClassifier.testSubsetSize': 500,
  'fashionClassifier.epochs': 3,
};

const STEPS = ['getData', 'train', 'lookInside', 'classify', 'compare'];

/** The grey pixels of a 28×28 8-bit grayscale PNG without interlacing, as the extension writes it. */
function grayPngPixels(png: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.deepEqual([png[24], png[25]], [8, 0], 'an 8-bit grayscale PNG');
  const chunks: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.toString('ascii', offset + 4, offset + 8) === 'IDAT') {
      chunks.push(png.subarray(offset + 8, offset + 8 + length));
    }
    offset += length + 12;
  }
  const rows = inflateSync(Buffer.concat(chunks));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    assert.equal(rows[y * (width + 1)], 0, 'rows unfiltered');
    pixels.set(rows.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, pixels };
}

describe('The first hour: walkthrough, status bar and settings', () => {
  let session: EditorSession;

  before(async () => {
    session = await startEditorSession('first-hour', { settings: FIRST_RUN });
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  const page = () => session.workbench.page;

  it('opens from "Welcome: Open Walkthrough" with five steps, none done', async () => {
    await openWalkthrough(session.workbench);
    for (const id of STEPS) {
      await step(page(), id).waitFor({ timeout: 10_000 });
      assert.equal(await stepDone(page(), id).count(), 0, `${id} not done yet`);
    }
    // The step's picture is drawn in the theme's colours.
    await session.workbench.screenshot('walkthrough-opened');
  });

  it('completes "Get the data set" once the panel, opened at its data section, has the data set', async () => {
    await clickStepButton(page(), 'getData', 'Open the panel');
    const panel = await session.workbench.webviewWith('body[data-revealed-section="data"]', 120_000);
    await panel.locator('#sample-grid .sample').nth(24).waitFor({ timeout: 120_000 });
    assert.equal(await panel.locator('#data-section-title').evaluate((h) => h === h.ownerDocument.activeElement), true);
    await showWelcome(page());
    await stepDone(page(), 'getData').waitFor({ timeout: 30_000 });
    assert.equal(await stepDone(page(), 'train').count(), 0);
  });

  it('shows the epoch and accuracy in the status bar while the panel trains in the background, then the test accuracy', async () => {
    await clickStepButton(page(), 'train', 'Go to training');
    const panel = await session.workbench.webviewWith('body[data-revealed-section="training"]', 60_000);
    const sightings = await recordStatusBar(page());
    await panel.locator('#start-training:not([disabled])').click({ timeout: 120_000 });
    // The panel goes to the background; the run goes on.
    await showWelcome(page());
    const item = page().locator(STATUS_BAR_ITEM);
    await item
      .locator('.statusbar-item-label', { hasText: /epoch [23]\/3 · acc 0\.\d\d$/ })
      .waitFor({ timeout: 300_000 })
      .then(
        () => session.workbench.screenshot('status-bar-while-training'),
        () => undefined,
      );
    await item.locator('.statusbar-item-label', { hasText: /test accuracy 0\.\d{4}$/ }).waitFor({ timeout: 300_000 });
    const seen = await sightings();
    const during = seen.filter((s) => /epoch/.test(s.text));
    assert.ok(
      during.some(
        (s) => /^Fashion Classifier: epoch [23]\/3 · acc 0\.\d\d$/.test(s.text) && s.spinning && !s.panelVisible,
      ),
      `status bar texts: ${JSON.stringify(seen)}`,
    );
    for (const sighting of during) {
      assert.match(sighting.label ?? '', /^Fashion Classifier: Training the MLP on \w+: epoch \d of 3/);
      assert.doesNotMatch(sighting.label ?? '', /\$\(/);
    }
    const { run } = await selectedRun(session.server.globalStorage);
    const done = seen[seen.length - 1];
    assert.equal(done.text, `Fashion Classifier: test accuracy ${run.evaluation.accuracy.toFixed(4)}`);
    assert.equal(done.spinning, false);
    await stepDone(page(), 'train').waitFor({ timeout: 30_000 });
    // Clicking the item brings the panel forward.
    await item.click();
    await session.workbench.webviewWith('#test-accuracy[data-value]', 30_000);
    // Nothing is shown once the run is a few seconds behind.
    await item.waitFor({ state: 'hidden', timeout: 30_000 });
  });

  it('completes "Look inside the network" from its button, which opens the inside section', async () => {
    await showWelcome(page());
    await clickStepButton(page(), 'lookInside', 'Look inside');
    await session.workbench.webviewWith('body[data-revealed-section="inside"]', 60_000);
    await showWelcome(page());
    await stepDone(page(), 'lookInside').waitFor({ timeout: 30_000 });
  });

  it('adds a picture of the test set to the workspace and completes "Classify a picture" when it is classified', async () => {
    await clickStepButton(page(), 'classify', 'Add a sample picture');
    const folder = join(session.workspace, 'fashion-samples');
    const name = await retryUntil(() => readdirSync(folder).find((file) => file.endsWith('.png')), 60_000);
    const [, stem, index] = /^([a-z-]+)-(\d+)\.png$/.exec(name) ?? [];
    const testSet = loadSystemTestSet();
    const label = testSet.labels.labels[Number(index)];
    assert.equal(stem, CLASS_NAMES[label].toLowerCase().replace(/[^a-z0-9]+/g, '-'), name);
    const picture = grayPngPixels(readFileSync(join(folder, name)));
    assert.deepEqual([picture.width, picture.height], [28, 28]);
    assert.deepEqual([...picture.pixels], [...testSet.pixelsOf(Number(index))], 'the test image itself');
    // It opens in the editor, whose title offers "Classify image"; a person may use the explorer too.
    await page().locator('.tabs-container .tab', { hasText: name }).waitFor({ timeout: 30_000 });
    await session.workbench.clickContextMenuEntry(name, 'Classify image');
    const results = await session.workbench.webviewWith(
      `#results .result[data-name$="${name}"][data-predicted]`,
      120_000,
    );
    const predicted = Number(await results.locator('#results .result').first().getAttribute('data-predicted'));
    assert.ok(predicted >= 0 && predicted < 10);
    await showWelcome(page());
    await stepDone(page(), 'classify').waitFor({ timeout: 30_000 });
  });

  it('completes "Compare two runs" once a second run is kept', async () => {
    assert.equal(await stepDone(page(), 'compare').count(), 0);
    await clickStepButton(page(), 'compare', 'Go to the run history');
    const panel = await session.workbench.webviewWith('body[data-revealed-section="runs"]', 60_000);
    await setInPanel(panel, 'epochs', '1');
    // The panel still says "Done" for the run before: wait for this run's row in the history.
    const runRows = panel.locator('#runs-table tr.run');
    const before = await runRows.count();
    await panel.locator('#start-training:not([disabled])').click({ timeout: 60_000 });
    await runRows.nth(before).waitFor({ timeout: 300_000 });
    await panel.locator('#status[data-kind="success"]').waitFor({ timeout: 60_000 });
    const { run } = await selectedRun(session.server.globalStorage);
    assert.equal(run.settings.epochs, 1, 'run.json has the setting the panel showed');
    await showWelcome(page());
    for (const id of STEPS) {
      await stepDone(page(), id).waitFor({ timeout: 30_000 });
    }
    await session.workbench.screenshot('walkthrough-completed');
  });

  it("shows no number for epochs in the Settings editor when the model is the CNN, but both models' values", async () => {
    const { workbench } = session;
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    // The results panel is open too: find the classifier's page by what only it has.
    const panel = await workbench.webviewWith('#reset-hyperparameters', 30_000);
    await panel.locator('#reset-hyperparameters').click();
    await panel.locator('#hyperparameters dd[data-key="epochs"][data-value="5"]').waitFor({ timeout: 30_000 });
    await panel.locator('#model-preset').click();
    await panel.locator('#model-preset vscode-option', { hasText: 'CNN' }).click();
    await panel.locator('#model-section[data-model="cnn"]').waitFor({ timeout: 30_000 });
    const cnn = PRESET_DEFAULTS.cnn;
    for (const key of ['epochs', 'batchSize', 'learningRate', 'learningRateDecay'] as const) {
      await panel
        .locator(`#hyperparameters dd[data-key="${key}"][data-value="${cnn[key]}"]`)
        .waitFor({ timeout: 30_000 });
    }

    await workbench.runCommand('Preferences: Open User Settings');
    const editor = page().locator('.settings-editor');
    await editor.waitFor({ timeout: 30_000 });
    // The list renders only the rows in view: search each setting by its name.
    const search = async (text: string) => {
      await editor.locator('.settings-header .suggest-input-container').click();
      await page().keyboard.press('ControlOrMeta+a');
      await page().keyboard.type(text);
    };
    for (const key of ['learningRateDecay', 'learningRate', 'batchSize', 'epochs'] as const) {
      await search(`fashionClassifier.${key}`);
      const item = editor.locator(`.setting-item-contents[data-key="fashionClassifier.${key}"]`);
      await item.waitFor({ timeout: 30_000 });
      assert.equal(await item.locator('input').inputValue(), '', `${key} shows no number`);
      const description = await item.locator('.setting-item-description').innerText();
      assert.ok(description.includes(`${PRESET_DEFAULTS.mlp[key]} for the MLP`), `${key}: ${description}`);
      assert.ok(description.includes(`${cnn[key]} for the CNN`), `${key}: ${description}`);
    }
    await workbench.screenshot('settings-editor-cnn');

    // A number typed there is what the panel trains with; cleared, the model's own again.
    const epochs = editor.locator('.setting-item-contents[data-key="fashionClassifier.epochs"] input');
    await epochs.fill('7');
    await epochs.press('Tab');
    const settingsFile = () => JSON.parse(readFileSync(session.server.userSettingsFile, 'utf8'));
    await retryUntil(() => settingsFile()['fashionClassifier.epochs'] === 7 || undefined, 30_000);
    await epochs.fill('');
    await epochs.press('Tab');
    await retryUntil(() => !('fashionClassifier.epochs' in settingsFile()) || undefined, 30_000);
    // The Settings editor opens as a modal here: Escape closes it.
    await page().keyboard.press('Escape');
    await page().keyboard.press('Escape');
    await editor.waitFor({ state: 'hidden', timeout: 10_000 });
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const shown = await workbench.webviewWith('#hyperparameters', 30_000);
    await shown
      .locator(`#hyperparameters dd[data-key="epochs"][data-value="${cnn.epochs}"]`)
      .waitFor({ timeout: 30_000 });
  });
});

/** Polls `read` until it gives a value, or fails after `timeoutMs`. */
async function retryUntil<T>(read: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = read();
      if (value !== undefined) {
        return value;
      }
    } catch {
      // Not there yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`Nothing after ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
