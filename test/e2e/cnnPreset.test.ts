// The convolutional preset end to end: picked in the panel, trained, evaluated, saved with its own
// topology, used by "Classify image", and brought back after a window reload.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertDatasetCardsMatch, datasetImageName, writeClassifyFixtures } from './classifyFixtures';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';
import { selectedRun } from './savedRuns';

const FOLDER = 'pictures';

/** A short run: the preset's layers in full, on a subset. */
const QUICK_CNN_RUN = {
  'fashionClassifier.trainSubsetSize': 3000,
  'fashionClassifier.testSubsetSize': 500,
  'fashionClassifier.epochs': 2,
};

interface WeightsManifest {
  weights: { name: string; shape: number[] }[];
}

/** The number of weights a saved model.json declares, counted from its manifest's shapes. */
function savedParameterCount(modelJson: { weightsManifest: WeightsManifest[] }): number {
  return modelJson.weightsManifest
    .flatMap((group) => group.weights)
    .reduce((sum, weight) => sum + weight.shape.reduce((product, side) => product * side, 1), 0);
}

/** The class names of the layers in a saved model.json's topology. */
function savedLayerClasses(modelJson: { modelTopology: unknown }): string[] {
  // TF.js writes the Sequential model itself; Keras' files wrap it in model_config.
  interface Sequential {
    config: { layers: { class_name: string }[] };
  }
  const topology = modelJson.modelTopology as Sequential & { model_config?: Sequential };
  return (topology.model_config ?? topology).config.layers.map((layer) => layer.class_name);
}

describe('The convolutional preset', () => {
  let session: EditorSession;
  let cnnParams: string;

  before(async () => {
    session = await startEditorSession('cnn', {
      settings: QUICK_CNN_RUN,
      prepareWorkspace: (dir) => writeClassifyFixtures(dir, FOLDER),
    });
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  const userSettings = () => JSON.parse(readFileSync(session.server.userSettingsFile, 'utf8'));

  it('is picked in the panel, which writes the setting and shows the convolution layers', async () => {
    const panel = await session.workbench.webviewWith('#model-section[data-model="mlp"] #total-params', 120_000);
    assert.equal(await panel.locator('#total-params').getAttribute('data-value'), '203530');
    await panel.locator('#model-preset').click();
    await panel.locator('#model-preset vscode-option', { hasText: 'CNN' }).click();
    await panel.locator('#model-section[data-model="cnn"] #total-params').waitFor({ timeout: 30_000 });
    assert.equal(userSettings()['fashionClassifier.model'], 'cnn');
    const layerTypes = await panel.locator('#model-summary tr.layer td:nth-child(2)').allTextContents();
    assert.ok(layerTypes.filter((type) => type === 'Conv2D').length >= 2, layerTypes.join(', '));
    assert.ok(layerTypes.includes('MaxPooling2D'), layerTypes.join(', '));
    cnnParams = (await panel.locator('#total-params').getAttribute('data-value'))!;
    assert.notEqual(cnnParams, '203530');
    await session.workbench.screenshot('cnn-summary');
  });

  it('trains and evaluates, and saves a model whose topology and run record say it is the CNN', async () => {
    const panel = session.workbench.webview();
    await panel.locator('#start-training:not([disabled])').click();
    await panel.locator('#status[data-kind="success"]').waitFor({ timeout: 300_000 });
    const accuracy = Number(await panel.locator('#test-accuracy').getAttribute('data-value'));
    assert.ok(accuracy > 0.6, `test accuracy ${accuracy}`);
    assert.equal(await panel.locator('#history-table tr[data-epoch]').count(), 2);
    assert.equal(await panel.locator('#predictions .prediction').first().locator('.probability').count(), 10);
    const { folder, run } = await selectedRun(session.server.globalStorage);
    assert.equal(run.settings.model, 'cnn');
    assert.equal(run.evaluation.accuracy.toFixed(4), accuracy.toFixed(4));
    const modelJson = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
    assert.ok(savedLayerClasses(modelJson).includes('Conv2D'), savedLayerClasses(modelJson).join(', '));
    assert.equal(String(savedParameterCount(modelJson)), cnnParams);
    assert.match(session.extensionLog(), /Training started on \w+: .*settings \{"model":"cnn",/);
    await session.workbench.screenshot('cnn-trained');
  });

  it('classifies pictures with the saved CNN as the evaluation did', async () => {
    const { workbench } = session;
    const { run } = await selectedRun(session.server.globalStorage);
    await workbench.clickContextMenuEntry(FOLDER, 'Classify image');
    const results = await workbench.webviewWith(
      `#results .result[data-name="${FOLDER}/${datasetImageName(0)}"]`,
      120_000,
    );
    await results.locator('#results-status', { hasText: 'classified in' }).waitFor({ timeout: 60_000 });
    await assertDatasetCardsMatch(results, FOLDER, run);
  });

  it('comes back after a window reload with the CNN, its summary and its results', async () => {
    const { workbench } = session;
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    await workbench.webviewWith('#test-accuracy[data-value]', 60_000);
    await workbench.reloadWindow();
    const panel = await workbench.webviewWith('#test-accuracy[data-value]', 120_000);
    await panel.locator('#model-section[data-model="cnn"]').waitFor({ state: 'attached', timeout: 30_000 });
    const { run } = await selectedRun(session.server.globalStorage);
    assert.equal(await panel.locator('#test-accuracy').getAttribute('data-value'), run.evaluation.accuracy.toFixed(4));
    assert.equal(await panel.locator('#total-params').getAttribute('data-value'), cnnParams);
    assert.equal(await panel.locator('#model-preset').getAttribute('data-value'), 'cnn');
  });
});
