// The learner's lab: hyperparameters in the panel, curves within the epoch, run history and
// comparison, the model Classify image uses, the images behind a confusion cell, early stopping.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { setInPanel } from './hyperparameters';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';

/** Quick runs; the panel's controls change the rest. */
const LAB = {
  'fashionClassifier.trainSubsetSize': 3000,
  'fashionClassifier.testSubsetSize': 1000,
};

describe("The learner's lab", () => {
  let session: EditorSession;

  before(async () => {
    session = await startEditorSession('lab', {
      settings: LAB,
      // The runs are the person's, kept for every workspace: a repository cannot prune them.
      prepareWorkspace: (workspace) => {
        mkdirSync(join(workspace, '.vscode'), { recursive: true });
        writeFileSync(
          join(workspace, '.vscode', 'settings.json'),
          JSON.stringify({ 'fashionClassifier.runHistoryLimit': 1 }),
        );
      },
    });
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    await session.workbench.webview().locator('#start-training:not([disabled])').waitFor({ timeout: 120_000 });
    await findPanel();
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  /** The classifier panel (the results panel may be open beside it). */
  let classifier: FrameLocator;
  const panel = () => classifier;
  const findPanel = async () => {
    classifier = await session.workbench.webviewWith('#hyperparameters', 60_000);
  };
  const userSettings = () => JSON.parse(readFileSync(session.server.userSettingsFile, 'utf8'));

  /** Types `value` into a hyperparameter's field as a person does, then leaves the field. */
  async function train(): Promise<void> {
    const before = await panel().locator('#runs-table tr.run').count();
    await panel().locator('#start-training:not([disabled])').click();
    await panel().locator('#status[data-kind="success"]').waitFor({ timeout: 300_000 });
    await panel().locator('#runs-table tr.run').nth(before).waitFor({ timeout: 30_000 });
  }

  it('writes the hyperparameters changed in the panel to the settings, and shows each range', async () => {
    await setInPanel(panel(), 'epochs', '3');
    await setInPanel(panel(), 'learningRate', '0.003');
    assert.equal(userSettings()['fashionClassifier.epochs'], 3);
    assert.equal(userSettings()['fashionClassifier.learningRate'], 0.003);
    assert.equal(await panel().locator('#hyperparameters dd[data-key="epochs"] [data-range]').innerText(), '1–100');
    // A value out of range is refused where it was typed, and the setting keeps its value.
    const epochs = panel().locator('#hyperparameters input[name="epochs"]');
    await epochs.fill('500');
    await epochs.press('Tab');
    assert.equal(
      await panel().locator('#hyperparameters dd[data-key="epochs"] .field-error').innerText(),
      'Type a number from 1 to 100.',
    );
    assert.equal(userSettings()['fashionClassifier.epochs'], 3);
  });

  it('shows a change made in the Settings editor', async () => {
    await session.workbench.setSetting('fashionClassifier.batchSize', '64');
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    await panel().locator('#hyperparameters dd[data-key="batchSize"][data-value="64"]').waitFor({ timeout: 30_000 });
    assert.equal(await panel().locator('#hyperparameters input[name="batchSize"]').inputValue(), '64');
  });

  it('draws the batch curve during the first epoch, on an axis of whole epochs', async () => {
    // The whole training set, so that an epoch lasts a few seconds.
    await setInPanel(panel(), 'trainSubsetSize', '0');
    await panel().locator('#start-training:not([disabled])').click();
    await panel().locator('#history-chart[data-epochs="0"][data-drawn="true"]').waitFor({ timeout: 60_000 });
    assert.ok(Number(await panel().locator('#history-chart').getAttribute('data-batch-points')) > 0);
    // Controls are disabled during a run.
    assert.equal(await panel().locator('#hyperparameters input[name="epochs"]').isDisabled(), true);
    await session.workbench.screenshot('lab-batch-curve');
    await panel().locator('#status[data-kind="success"]').waitFor({ timeout: 300_000 });
    // The epoch axis (vega labels it in its aria-label) has whole numbers only.
    const ticks = await panel()
      .locator('#loss-chart svg [aria-label^="X-axis"] .role-axis-label text')
      .allTextContents();
    assert.ok(ticks.length > 1 && ticks.every((tick) => /^\d+$/.test(tick)), ticks.join(' '));
    await setInPanel(panel(), 'trainSubsetSize', '3000');
  });

  it('keeps every run (a workspace limit of 1 changes nothing), compares two with their differences marked, and shows the storage used', async () => {
    await setInPanel(panel(), 'learningRate', '0.0003');
    await train();
    await setInPanel(panel(), 'learningRate', '0.01');
    await train();
    const runs = panel().locator('#runs-table tr.run');
    assert.equal(await runs.count(), 3);
    assert.match(
      await panel().locator('#runs-usage').innerText(),
      /^3 run\(s\) kept, [\d.]+ MB \(the last 20 are kept/,
    );
    await runs.nth(0).locator('input.compare-run').check();
    await runs.nth(1).locator('input.compare-run').check();
    await panel().locator('#comparison-table').waitFor({ timeout: 30_000 });
    assert.equal(
      await panel().locator('#comparison-table tr[data-key="learningRate"] td').first().getAttribute('data-differs'),
      'true',
    );
    assert.equal(
      await panel().locator('#comparison-table tr[data-key="model"] td').first().getAttribute('data-differs'),
      'false',
    );
    await panel().locator('#comparison-loss[data-drawn="true"]').waitFor({ timeout: 30_000 });
    await panel().locator('#comparison-section, #comparison').first().scrollIntoViewIfNeeded();
    await session.workbench.screenshot('lab-comparison');
  });

  it('classifies with the run chosen for it: another run gives other probabilities', async () => {
    const { workbench } = session;
    // The results panel stays open between the two requests, so wait for the run asked for.
    const confidenceWith = async (runId: string): Promise<string> => {
      await workbench.clickContextMenuEntry('shirt.png', 'Classify image');
      const result = `#results[data-model="${runId}"] .result[data-name="shirt.png"][data-confidence]`;
      const results = await workbench.webviewWith(result, 60_000);
      const value = (await results.locator(result).getAttribute('data-confidence'))!;
      await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
      await findPanel();
      return value;
    };
    const runs = panel().locator('#runs-table tr.run');
    const newest = await confidenceWith((await runs.nth(0).getAttribute('data-id'))!);
    const oldestId = (await runs.nth(2).getAttribute('data-id'))!;
    await runs.nth(2).locator('.use-run').click();
    // The row asked for, not any selected row: until the store answers, the newest is still the selected one.
    await panel()
      .locator(`#runs-table tr.run[data-id="${oldestId}"][data-selected="true"]`)
      .waitFor({ timeout: 30_000 });
    const oldest = await confidenceWith(oldestId);
    assert.notEqual(oldest, newest);
  });

  it('shows why: a saliency map over a classified picture and over a prediction card', async () => {
    const { workbench } = session;
    await workbench.clickContextMenuEntry('shirt.png', 'Classify image');
    const results = await workbench.webviewWith('#results .result[data-name="shirt.png"] .why-button', 60_000);
    await results.locator('#results .result[data-name="shirt.png"] .why-button').click();
    const map = results.locator('#results .result[data-name="shirt.png"] .saliency[data-ready="true"]');
    await map.waitFor({ timeout: 30_000 });
    console.log(`      saliency of a classified picture: ${await map.getAttribute('data-ms')} ms`);
    await workbench.screenshot('lab-saliency-classified');
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    await findPanel();
    const card = panel().locator('#predictions .prediction').first();
    await card.locator('.why-button').click();
    await card.locator('.saliency[data-ready="true"]').waitFor({ timeout: 30_000 });
    console.log(`      saliency of a prediction card: ${await card.locator('.saliency').getAttribute('data-ms')} ms`);
  });

  it('shows the test images behind a confusion-matrix cell, as many as the cell counts', async () => {
    const cell = panel().locator('#confusion-matrix td[data-true="6"][data-predicted="0"]');
    const count = Number(await cell.getAttribute('data-value'));
    assert.ok(count > 0, 'some shirts are taken for T-shirts');
    await cell.click();
    const images = panel().locator(`#confusion-images[data-true="6"][data-predicted="0"][data-count="${count}"]`);
    await images.waitFor({ timeout: 60_000 });
    assert.equal(await images.locator('.prediction').count(), Math.min(12, count));
    assert.equal(await images.locator('.prediction[data-true="6"][data-predicted="0"]').count(), Math.min(12, count));
    await images.scrollIntoViewIfNeeded();
    await session.workbench.screenshot('lab-confusion-images');
  });

  it('ends a run by early stopping before its epochs, says why and marks it on the curves', async () => {
    await setInPanel(panel(), 'earlyStoppingPatience', '1');
    await setInPanel(panel(), 'epochs', '40');
    await panel().locator('#start-training:not([disabled])').click();
    await panel().locator('#status[data-kind="success"]').waitFor({ timeout: 300_000 });
    const text = await panel().locator('#training-progress-text').innerText();
    assert.match(
      text,
      /^Early stopping: no lower validation loss for 1 epoch\(s\), so training ended after epoch (\d+) of 40/,
    );
    const epochs = Number(await panel().locator('#history-chart').getAttribute('data-epochs'));
    assert.ok(epochs < 40, `${epochs} epochs`);
    assert.ok((await panel().locator('#loss-chart svg text', { hasText: 'stopped' }).count()) > 0, 'a "stopped" mark');
    await session.workbench.screenshot('lab-early-stopping');
  });
});
