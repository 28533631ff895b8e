// Nothing lost, nothing hanging: a trained model the store cannot take stays in the panel until it
// can be saved (and closing the panel asks first); a results panel that reloads in the middle of
// a classification ends the request with a message instead of leaving it spinning.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeGrayPng } from '../harness/png';
import { seedTrainedModel } from '../harness/seedModel';
import { makeUnwritable } from '../harness/unwritableFolder';
import { hashFolder } from './hashFolder';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';
import { runsFolder } from './savedRuns';

const MANY = 'many-photos';
const PHOTOS = 80;

/** 80 copies of a 9-megapixel picture: seconds of decoding, long enough to reload the panel midway. */
function writeManyPhotos(workspace: string): void {
  const dir = join(workspace, MANY);
  mkdirSync(dir, { recursive: true });
  const side = 3000;
  const pixels = new Uint8Array(side * side);
  pixels.forEach((_, i) => (pixels[i] = (i % side) % 256));
  const first = join(dir, 'photo-00.png');
  writeFileSync(first, encodeGrayPng(side, side, pixels));
  for (let i = 1; i < PHOTOS; i++) {
    copyFileSync(first, join(dir, `photo-${String(i).padStart(2, '0')}.png`));
  }
}

const runIds = (runs: string) => readdirSync(runs).filter((name) => /^\d{4}-/.test(name));

describe('Nothing lost, nothing hanging', () => {
  let session: EditorSession;
  let runs: string;
  let restore: (() => void) | undefined;

  before(async () => {
    session = await startEditorSession('nothing-lost', {
      settings: {
        'fashionClassifier.trainSubsetSize': 2000,
        'fashionClassifier.testSubsetSize': 500,
        'fashionClassifier.epochs': 1,
      },
      prepareWorkspace: writeManyPhotos,
    });
    await seedTrainedModel(session.server.globalStorage);
    runs = runsFolder(session.server.globalStorage);
  });

  afterEach(async function () {
    restore?.();
    restore = undefined;
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  /** Starts a run and waits for the panel to say the model could not be saved. */
  async function trainIntoUnwritableStore(): Promise<void> {
    const { workbench } = session;
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const panel = await workbench.webviewWith('#start-training');
    await panel.locator('#start-training:not([disabled])').click({ timeout: 120_000 });
    const problem = panel.locator('#training-problem .problem[data-problem="training"]');
    await problem.waitFor({ timeout: 300_000 });
    assert.match(
      await problem.locator('.problem-message').innerText(),
      new RegExp(`^The trained model could not be saved to ${runs}: .*(EPERM|EACCES).* It is kept in memory`),
    );
    assert.deepEqual(
      await problem.locator('.problem-action').evaluateAll((b) => b.map((e) => e.getAttribute('data-action'))),
      ['saveAgain', 'exportUnsaved', 'showLog'],
    );
    assert.equal(await panel.locator('#status').getAttribute('data-kind'), 'warning');
  }

  it('keeps a model the store cannot take in the panel, and saves it with "Save again" once it can', async () => {
    const { workbench } = session;
    const before = hashFolder(runs);
    restore = makeUnwritable(runs);
    await trainIntoUnwritableStore();
    assert.deepEqual(hashFolder(runs), before, 'nothing written, nothing lost');
    // The panel still shows the trained run's results, from the model in memory.
    const panel = await workbench.webviewWith('#test-accuracy[data-value]');
    assert.ok(Number(await panel.locator('#test-accuracy').getAttribute('data-value')) > 0.5);
    assert.match(session.extensionLog(), /Saving the model failed \(.*\); trying again \(1\)/);
    await workbench.screenshot('unsaved-model');

    restore();
    restore = undefined;
    await panel.locator('#training-problem .problem-action[data-action="saveAgain"]').click();
    await panel
      .locator('#status[data-kind="success"]', { hasText: 'The model is saved now' })
      .waitFor({ timeout: 60_000 });
    assert.equal(await panel.locator('#training-problem .problem').count(), 0);
    assert.equal(runIds(runs).length, 2);
    await panel.locator('#runs-table tr.run').nth(1).waitFor({ timeout: 30_000 });
  });

  it('asks before a closing panel lets an unsaved model go, and saves it when told to', async () => {
    const { workbench } = session;
    restore = makeUnwritable(runs);
    await trainIntoUnwritableStore();
    await workbench.runCommand('View: Close Editor');
    const dialog = workbench.page.locator('.monaco-dialog-box', { hasText: 'was never saved' });
    await dialog.waitFor({ timeout: 30_000 });
    await workbench.screenshot('unsaved-model-closing');
    restore();
    restore = undefined;
    await dialog.locator('.monaco-button', { hasText: 'Save again' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    await workbench.page
      .locator('.notification-toast', { hasText: 'The trained model is saved now' })
      .waitFor({ timeout: 30_000 });
    assert.equal(runIds(runs).length, 3, 'saved after its panel closed');
  });

  it('ends a classification whose results panel reloads midway with a message, instead of spinning', async () => {
    const { workbench } = session;
    await workbench.clickContextMenuEntry(MANY, 'Classify image');
    const results = await workbench.webviewWith('#results-status[data-kind="busy"]', 60_000);
    await results
      .locator('#results-status', { hasText: /Classifying (8|12|16|20|24) of 80/ })
      .waitFor({ timeout: 60_000 });
    const started = Date.now();
    await workbench.runCommand('Developer: Reload Webviews');
    await workbench.page
      .locator('.notification-toast', { hasText: 'The results panel reloaded before it answered' })
      .waitFor({ timeout: 30_000 });
    console.log(`      ended ${Date.now() - started} ms after the reload`);
    assert.match(
      session.extensionLog(),
      /Classifying pictures: RequestEndedError: The results panel reloaded before it answered/,
    );
    await workbench.screenshot('classify-reloaded-midway');
    // The reloaded panel answers the next request.
    await workbench.clickContextMenuEntry('shirt.png', 'Classify image');
    await workbench.webviewWith('#results .result[data-name="shirt.png"][data-predicted]', 60_000);
  });
});
