import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, Workbench } from '../harness/browser';
import { startCodeServer } from '../harness/codeServer';
import { packageVsix } from '../harness/packageVsix';
import { outputRoot } from '../harness/paths';
import { createSampleWorkspace } from '../harness/sampleWorkspace';
describe('explore', () => {
  it('install from vsix via UI', async () => {
    const vsix = packageVsix(join(outputRoot, 'vsix', 'explore.vsix'));
    const dir = join(outputRoot, 'e2e', 'explore');
    const server = await startCodeServer({
      stateDir: join(dir, 'cs'),
      workspace: createSampleWorkspace(join(dir, 'ws')),
    });
    const browser = await launchBrowser(join(dir, 'browser'));
    try {
      const workbench = new Workbench(browser.page, join(outputRoot, 'screenshots'));
      await workbench.open(server.url);
      const page = workbench.page;
      await workbench.runCommand('Extensions: Install from VSIX...');
      await page.waitForTimeout(3000);
      await workbench.screenshot('explore-vsix-dialog');
      writeFileSync('/tmp/fh/dialog.html', await page.locator('.quick-input-widget').innerHTML());
      const input = page.locator('.quick-input-widget input');
      await input.fill(vsix.path);
      await page.waitForTimeout(1000);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(20000);
      await workbench.screenshot('explore-vsix-installed');
      const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
      console.log('TABS', tabs);
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
