import * as assert from 'node:assert/strict';
import {
  assertDatasetCardsMatch,
  DATASET_IMAGE_COUNT,
  datasetImageName,
  EXCLUDE_SETTING,
  writeClassifyFixtures,
  writeLinkFixtures,
} from './classifyFixtures';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';
import { selectedRun } from './savedRuns';

const FOLDER = 'pictures';
const LINKS = 'links';
const TROUSER = '1';

describe('Classify image from the explorer', () => {
  let session: EditorSession;

  before(async () => {
    session = await startEditorSession('classify', {
      settings: {
        'fashionClassifier.trainSubsetSize': 3000,
        'fashionClassifier.testSubsetSize': 500,
        'fashionClassifier.epochs': 3,
        'files.exclude': EXCLUDE_SETTING,
      },
      prepareWorkspace: (dir) => {
        writeClassifyFixtures(dir, FOLDER);
        writeLinkFixtures(dir, LINKS);
      },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  it('offers to train first when there is no model yet', async () => {
    const { workbench } = session;
    await workbench.clickContextMenuEntry('shirt.png', 'Classify image');
    await workbench.page
      .locator('.notification-toast', { hasText: 'no trained Fashion Classifier model yet' })
      .waitFor({ timeout: 30_000 });
    assert.ok(await workbench.page.locator('.notification-toast .monaco-button', { hasText: 'Train now' }).isVisible());
    await workbench.screenshot('classify-no-model');
    await workbench.page.locator('.notification-toast .monaco-button', { hasText: 'Train now' }).click();
    const panel = await workbench.webviewWith('#start-training');
    await panel.locator('#start-training:not([disabled])').click({ timeout: 120_000 });
    await panel.locator('#status[data-kind="success"]').waitFor({ timeout: 300_000 });
  });

  it('classifies a folder: data-set images as the evaluation did, a product photo, and errors for corrupt, empty and huge files', async () => {
    const { workbench } = session;
    const { run } = await selectedRun(session.server.globalStorage);
    await workbench.runCommand('View: Close All Editors');
    const started = Date.now();
    await workbench.clickContextMenuEntry(FOLDER, 'Classify image');
    const results = await workbench.webviewWith(`#results .result:nth-child(${DATASET_IMAGE_COUNT + 4})`, 120_000);
    console.log(
      `      folder of ${DATASET_IMAGE_COUNT + 4} files: ${Date.now() - started} ms from click to results (model loaded from cold)`,
    );
    await assertDatasetCardsMatch(results, FOLDER, run);
    const photo = results.locator(`#results .result[data-name="${FOLDER}/product-photo.png"]`);
    assert.equal(await photo.getAttribute('data-predicted'), TROUSER);
    assert.match(
      (await results.locator(`#results .result[data-name="${FOLDER}/corrupt.png"]`).getAttribute('data-error'))!,
      /damaged|not an image|PNG/,
    );
    assert.match(
      (await results.locator(`#results .result[data-name="${FOLDER}/empty.jpg"]`).getAttribute('data-error'))!,
      /empty/,
    );
    assert.match(
      (await results.locator(`#results .result[data-name="${FOLDER}/huge.png"]`).getAttribute('data-error'))!,
      /40-megapixel/,
    );
    await workbench.screenshot('classify-folder');
  });

  it('classifies a single image with the model already loaded, printing the time from click to result', async () => {
    const { workbench } = session;
    const image = workbench.page.getByRole('treeitem', { name: datasetImageName(0), exact: true });
    if (!(await image.isVisible())) {
      await workbench.page.getByRole('treeitem', { name: FOLDER, exact: true }).click();
    }
    await image.waitFor();
    const started = Date.now();
    await workbench.clickContextMenuEntry(datasetImageName(0), 'Classify image');
    const results = await workbench.webviewWith(
      `#results .result[data-name="${FOLDER}/${datasetImageName(0)}"]:only-child`,
      30_000,
    );
    const elapsed = Date.now() - started;
    console.log(`      one image: ${elapsed} ms from click to result (model loaded)`);
    assert.ok(await results.locator('#results .result').count(), 'a result is shown');
    await workbench.screenshot('classify-single');
  });
  it('classifies a folder without following its symbolic links out of it or round in a loop, or what files.exclude hides', async () => {
    const { workbench } = session;
    await workbench.clickContextMenuEntry(LINKS, 'Classify image');
    const results = await workbench.webviewWith(`#results .result[data-name="${LINKS}/inside.png"]`, 60_000);
    await results.locator('#results-status', { hasText: 'classified in' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(
      await results.locator('#results .result').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-name'))),
      [`${LINKS}/inside.png`],
    );
    await workbench.page
      .locator('.notification-toast', { hasText: '3 symbolic link(s) were not followed.' })
      .waitFor({ timeout: 30_000 });
    assert.match(session.extensionLog(), /Classify image: 3 symbolic link\(s\) were not followed\./);
    assert.match(session.extensionLog(), /1 picture\(s\) hidden by the files\.exclude setting were left out\./);
  });

  it('brings both panels back after a window reload, and classifies again', async () => {
    const { workbench } = session;
    await workbench.clickContextMenuEntry(datasetImageName(1), 'Classify image');
    const name = `${FOLDER}/${datasetImageName(1)}`;
    await workbench.webviewWith(`#results .result[data-name="${name}"]`, 30_000);
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    await workbench.webviewWith('#test-accuracy[data-value]', 60_000);
    await workbench.reloadWindow();
    // No command runs: VS Code restores both panels, and each shows what it showed before.
    const classifier = await workbench.webviewWith('#test-accuracy[data-value]', 60_000);
    const { run } = await selectedRun(session.server.globalStorage);
    assert.equal(
      await classifier.locator('#test-accuracy').getAttribute('data-value'),
      run.evaluation.accuracy.toFixed(4),
    );
    // A hidden tab's page loads when it is shown.
    await workbench.page.locator('.tabs-container .tab', { hasText: 'Classification results' }).click();
    const results = await workbench.webviewWith(`#results[data-restored="true"] .result[data-name="${name}"]`, 60_000);
    assert.match((await results.locator('#results-status').innerText())!, /restored after a reload/);
    await workbench.screenshot('classify-restored-after-reload');
    await workbench.page.getByRole('tree').first().waitFor({ timeout: 60_000 });
    const image = workbench.page.getByRole('treeitem', { name: datasetImageName(2), exact: true });
    if (!(await image.isVisible())) {
      await workbench.page.getByRole('treeitem', { name: FOLDER, exact: true }).click();
    }
    await workbench.clickContextMenuEntry(datasetImageName(2), 'Classify image');
    const again = await workbench.webviewWith(
      `#results[data-restored="false"] .result[data-name="${FOLDER}/${datasetImageName(2)}"]`,
      60_000,
    );
    assert.equal(
      await again.locator('.result').first().getAttribute('data-predicted'),
      String(run.predictions[2].predictedClass),
    );
  });
});
