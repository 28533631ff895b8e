// The extension as a user gets it: packaged by `vsce package`, installed into a plain editor with
// --install-extension, and used in Restricted Mode (a folder the user has not trusted). A file
// that the VSIX lacks (.vscodeignore, bundling) fails here, not on a user's machine.
import * as assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EditorSession, screenshotOnFailure, startEditorSession } from '../e2e/editorSession';
import { packageVsix, PackagedVsix } from '../harness/packageVsix';
import { extensionId, extensionVersion, outputRoot, repoRoot } from '../harness/paths';

/** Enough data for curves worth a screenshot, still seconds of training. */
const SMOKE_RUN = {
  'fashionClassifier.trainSubsetSize': 6000,
  'fashionClassifier.testSubsetSize': 1000,
  'fashionClassifier.epochs': 5,
  // Named, not `auto`: the run must use the packaged WebAssembly binaries, not fall back to WebGL.
  'fashionClassifier.backend': 'wasm',
};

describe('The packaged extension (VSIX), installed as a user installs it', () => {
  let vsix: PackagedVsix;
  let session: EditorSession;
  let installed: string;

  before(async () => {
    vsix = packageVsix(join(outputRoot, 'vsix', `${extensionId}-${extensionVersion}.vsix`));
    session = await startEditorSession('vsix', {
      install: { vsix: vsix.path },
      restrictedMode: true,
      settings: SMOKE_RUN,
    });
    installed = join(session.server.extensionsDir, `${extensionId}-${extensionVersion}`);
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  it('packages without a warning', () => {
    assert.doesNotMatch(vsix.output, /WARNING/, vsix.output);
  });

  it('is installed as a copy holding every asset and bundle, and no sources', () => {
    assert.ok(
      lstatSync(installed).isDirectory() && !lstatSync(installed).isSymbolicLink(),
      `${installed} is an installed copy`,
    );
    for (const folder of ['media', join('dist', 'wasm')]) {
      // Recursive: the walkthrough's pictures sit in media/walkthrough.
      const listing = (root: string) => readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' }).sort();
      assert.deepEqual(listing(installed), listing(repoRoot), `${folder} is complete`);
    }
    for (const bundle of ['extension.js', 'webview.js', 'results.js']) {
      assert.ok(existsSync(join(installed, 'dist', bundle)), bundle);
    }
    for (const absent of ['src', 'webview', 'test', 'node_modules', 'tsconfig.json']) {
      assert.ok(!existsSync(join(installed, absent)), `${absent} is not shipped`);
    }
  });

  it('opens in Restricted Mode', async () => {
    await session.workbench.page
      .locator('.statusbar-item', { hasText: 'Restricted Mode' })
      .waitFor({ timeout: 30_000 });
  });

  it('trains from the Command Palette on WebAssembly and says "Done" with a test accuracy', async () => {
    const { workbench } = session;
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const panel = workbench.webview();
    // The panel's stylesheet from media/ applies: the status line sticks to the top.
    assert.equal(
      await panel
        .locator('#status')
        .evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).position),
      'sticky',
    );
    await panel.locator('#start-training:not([disabled])').click({ timeout: 120_000 });
    const done = panel.locator('#status[data-kind="success"]');
    await done.waitFor({ timeout: 300_000 });
    assert.match(await done.innerText(), /^Done: test accuracy 0\.\d{4}\./);
    assert.match(await panel.locator('#backend').innerText(), /^Backend: wasm/);
    await panel.locator('#training-section').scrollIntoViewIfNeeded();
    // The README's picture comes from a full default run instead: npm run screenshots.
    await workbench.screenshot('vsix-trained');
  });

  it('classifies a right-clicked image and shows the result', async () => {
    const { workbench } = session;
    await workbench.clickContextMenuEntry('shirt.png', 'Classify image');
    const results = await workbench.webviewWith('#results .result[data-name="shirt.png"][data-predicted]', 60_000);
    const predicted = Number(
      await results.locator('#results .result[data-name="shirt.png"]').getAttribute('data-predicted'),
    );
    assert.ok(Number.isInteger(predicted) && predicted >= 0 && predicted < 10, `predicted class ${predicted}`);
    await workbench.screenshot('vsix-classified');
  });
});
