// The walkthrough in a new editor where a person installs the VSIX with "Extensions: Install from
// VSIX...": it opens by itself, with its steps and its pictures read from the installed copy.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EditorSession, screenshotOnFailure, startEditorSession } from '../e2e/editorSession';
import { step } from '../e2e/walkthroughPage';
import { retry } from '../harness/browser';
import { packageVsix, PackagedVsix } from '../harness/packageVsix';
import { extensionId, extensionVersion, outputRoot } from '../harness/paths';

const TITLE = 'Classify clothing with a neural network';

describe('The walkthrough of a VSIX installed from the Extensions view', () => {
  let vsix: PackagedVsix;
  let session: EditorSession;

  before(async () => {
    vsix = packageVsix(join(outputRoot, 'vsix', `${extensionId}-${extensionVersion}.vsix`));
    // The Welcome page at start-up, as a new editor shows it.
    session = await startEditorSession('vsix-walkthrough', {
      install: 'none',
      settings: { 'workbench.startupEditor': 'welcomePage' },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  it('opens by itself once the VSIX is installed, with its five steps', async function () {
    // The install waits for the editor's extension management, then unpacks 1.7 MB.
    this.timeout(420_000);
    const { workbench } = session;
    const { page } = workbench;
    // The command appears once the editor has its extension management ready, which took over
    // 30 s on a busy machine.
    await retry(() => workbench.runCommand('Extensions: Install from VSIX...'), 120_000, 1000);
    // The file dialog fills in its starting folder a moment after it opens: type the path once
    // that has happened, or the dialog replaces it.
    const path = page.locator('.quick-input-widget input');
    await retry(async () => {
      assert.notEqual(await path.inputValue(), '');
      await path.fill(vsix.path);
      await page.waitForTimeout(500);
      assert.equal(await path.inputValue(), vsix.path);
    }, 30_000);
    await path.press('Enter');
    await retry(async () => {
      assert.ok(existsSync(join(session.server.extensionsDir, `${extensionId}-${extensionVersion}`, 'package.json')));
    }, 120_000);
    // Nothing clicked: VS Code opens a newly installed extension's walkthrough.
    await page
      .locator('.gettingStartedDetailsContent h2.category-title', { hasText: TITLE })
      .waitFor({ timeout: 60_000 });
    for (const id of ['getData', 'train', 'lookInside', 'classify', 'compare']) {
      await step(page, id).waitFor({ timeout: 30_000 });
    }
    await workbench.screenshot('vsix-walkthrough-on-install');
  });

  it("draws the first step's picture from the installed files", async () => {
    const { page } = session.workbench;
    // The selected step's SVG is drawn inline in a webview of the Welcome page.
    const title = await retry(async () => {
      for (const outer of await page.locator('iframe.webview.ready').elementHandles()) {
        const frame = await (await (await outer.contentFrame())?.$('#active-frame'))?.contentFrame();
        const text = await frame?.$eval('svg > title', (element) => element.textContent).catch(() => undefined);
        if (text) {
          return text;
        }
      }
      throw new Error('No step picture drawn yet');
    }, 60_000);
    assert.equal(title, 'Ten pictures of the data set, one of each class');
    await session.workbench.screenshot('vsix-walkthrough');
  });
});
