import * as assert from 'node:assert/strict';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';

describe('Fashion Classifier in the editor', () => {
  let session: EditorSession;

  before(async () => {
    session = await startEditorSession('workbench');
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  it('opens the classifier panel from the Command Palette', async () => {
    const { workbench } = session;
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const panel = workbench.webview();
    await panel.getByRole('heading', { name: 'Fashion Classifier' }).waitFor({ timeout: 60_000 });
    await panel.getByText('Ready to train').waitFor({ timeout: 120_000 });
    assert.equal(await panel.locator('#hyperparameters [data-key="epochs"]').getAttribute('data-value'), '5');
    await workbench.screenshot('panel-opened');
  });

  for (const image of ['shirt.png', 'BOOT.JPG']) {
    it(`offers "Classify image" for ${image}`, async () => {
      const labels = await session.workbench.contextMenuWith(image, 'Classify image');
      assert.ok(labels.includes('Classify image'));
      await session.workbench.screenshot(`context-menu-${image}`);
    });
  }

  it('does not offer "Classify image" for notes.txt', async () => {
    // The image entries above proved the extension's menu items are loaded by now.
    const labels = await session.workbench.contextMenuFor('notes.txt');
    assert.ok(labels.length > 0, 'the context menu opened');
    assert.ok(!labels.includes('Classify image'), labels.join(', '));
    await session.workbench.screenshot('context-menu-notes.txt');
  });
});
