// Failures a learner meets, each explained where it happens, in whole sentences, with the
// buttons that fix it; and a saved model that stays byte-identical through all of them.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FASHION_MNIST } from '../../src/shared/datasetFiles';
import { systemDatasetDir } from '../harness/paths';
import { seedTrainedModel } from '../harness/seedModel';
import { hashFolder } from './hashFolder';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';
import { runsFolder } from './savedRuns';

/** The four data set files, the training images with one byte changed in the middle. */
function damagedDatasetFolder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const file of FASHION_MNIST) {
    copyFileSync(join(systemDatasetDir, `${file.name}.gz`), join(dir, `${file.name}.gz`));
  }
  const damaged = join(dir, 'train-images-idx3-ubyte.gz');
  const bytes = readFileSync(damaged);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  writeFileSync(damaged, bytes);
  return dir;
}

describe('Failures, explained where they happen', () => {
  let session: EditorSession;
  let damagedFolder: string;
  let modelDir: string;
  let savedModel: Record<string, string>;

  before(async () => {
    session = await startEditorSession('failures', {
      settings: { 'fashionClassifier.datasetPath': '/nonexistent/fashion-mnist' },
      prepareWorkspace: (workspace) => {
        damagedFolder = damagedDatasetFolder(join(workspace, 'damaged-data'));
      },
    });
    modelDir = runsFolder(session.server.globalStorage);
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  it('says in the data section why a missing data set folder cannot be used, with its buttons', async () => {
    const { workbench } = session;
    // A model from an earlier session, which nothing below may touch.
    await seedTrainedModel(session.server.globalStorage);
    savedModel = hashFolder(modelDir);
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const panel = workbench.webview();
    const problem = panel.locator('#data-summary[data-state="failed"] .problem');
    await problem.waitFor({ timeout: 60_000 });
    const text = await problem.locator('.problem-message').innerText();
    assert.match(
      text,
      /^The setting fashionClassifier\.datasetPath points to \/nonexistent\/fashion-mnist, which does not exist\. /,
    );
    assert.match(text, /clear the setting/);
    assert.deepEqual(
      await problem
        .locator('.problem-action')
        .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action'))),
      ['openSetting', 'retryDataset', 'showLog'],
    );
    // The status line points there, instead of "Loading…".
    assert.match(await panel.locator('#status[data-kind="error"]').innerText(), /"1\. Explore the data" says why/);
    assert.equal(await panel.locator('#training-section').getAttribute('data-state'), 'loading');
    await workbench.screenshot('failure-missing-dataset-folder');
  });

  it('opens the setting from its button', async () => {
    const { workbench } = session;
    await workbench.webview().locator('#data-summary .problem-action[data-action="openSetting"]').click();
    const setting = workbench.page.locator(
      '.settings-editor .setting-item-contents[data-key="fashionClassifier.datasetPath"]',
    );
    await setting.waitFor({ timeout: 30_000 });
    await workbench.runCommand('View: Close Editor');
  });

  it('names the damaged file after Retry, for a folder whose training images have one byte changed', async () => {
    const { workbench } = session;
    await workbench.setSetting('fashionClassifier.datasetPath', damagedFolder);
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const panel = workbench.webview();
    await panel.locator('#data-summary .problem-action[data-action="retryDataset"]').click();
    const message = panel.locator('#data-summary[data-state="failed"] .problem-message', {
      hasText: 'train-images-idx3-ubyte',
    });
    await message.waitFor({ timeout: 60_000 });
    const text = await message.innerText();
    assert.match(text, /damaged-data\/train-images-idx3-ubyte\.gz/);
    assert.match(text, /Replace it with a good copy, or clear the setting fashionClassifier\.datasetPath/);
    await workbench.screenshot('failure-damaged-dataset-file');
  });

  it('loads the data set on Retry once the setting is cleared, without closing the panel', async () => {
    const { workbench } = session;
    await workbench.setSetting('fashionClassifier.datasetPath', '');
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const panel = workbench.webview();
    await panel.locator('#data-summary .problem-action[data-action="retryDataset"]').click();
    await panel.locator('#data-summary[data-state="loaded"]').waitFor({ timeout: 60_000 });
    await panel.locator('#sample-grid .sample').nth(24).waitFor({ timeout: 30_000 });
    await panel.locator('#start-training:not([disabled])').waitFor({ timeout: 30_000 });
  });

  it('refuses settings that cannot train before training, naming them and their values', async () => {
    const { workbench } = session;
    await workbench.setSetting('fashionClassifier.validationSplit', '0.9');
    await workbench.setSetting('fashionClassifier.trainSubsetSize', '5');
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const panel = workbench.webview();
    const refusal = panel.locator('#training-problem .problem[data-problem="settings"]');
    await refusal.waitFor({ timeout: 30_000 });
    assert.equal(
      await refusal.locator('.problem-message').innerText(),
      'No training image is left: fashionClassifier.trainSubsetSize is 5 (5 images used) and ' +
        'fashionClassifier.validationSplit is 0.9, which holds out all 5 for validation. ' +
        'Use more images (0 uses all of them) or a smaller validation split.',
    );
    assert.equal(await panel.locator('#training-section').getAttribute('data-state'), 'blocked');
    assert.equal(await panel.locator('#start-training').getAttribute('disabled'), '');
    assert.equal(await refusal.locator('.problem-action').first().getAttribute('data-action'), 'openSetting');
    await workbench.screenshot('failure-settings-refused');
  });

  it('shows the log from a button, with the failures and their details', async () => {
    const { workbench } = session;
    const log = session.extensionLog();
    assert.match(
      log,
      /\[error\] Preparing the data set: DatasetError: The setting fashionClassifier\.datasetPath points to \/nonexistent/,
    );
    assert.match(log, /\[error\] Preparing the data set: DatasetError: .*train-images-idx3-ubyte/);
    await workbench.runCommand('Fashion Classifier: Show Log');
    await workbench.page.locator('.output-view, .panel .output').first().waitFor({ timeout: 30_000 });
    await workbench.page.getByText('Preparing the data set: DatasetError').first().waitFor({ timeout: 30_000 });
    await workbench.screenshot('failure-log');
  });

  it('leaves the saved model byte-identical through every failure', () => {
    assert.deepEqual(hashFolder(modelDir), savedModel);
  });
});
