// Takes the README's pictures from a full default run, as a person makes it: a fresh editor (not
// in Restricted Mode), the walkthrough, the tutorial's model trained on the whole data set with
// its default settings, the network looked into, and a sample picture classified.
//
//   npm run --silent screenshots
//
// Writes media/screenshot.png (the finished run), media/inside.png, media/classify.png,
// media/draw.png (the drawing pad) and media/walkthrough.png, and fails rather than write a picture of anything but a full default run.
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEditorSession } from '../e2e/editorSession';
import { drawStroke, TROUSER } from '../e2e/drawOnPad';
import { selectedRun } from '../e2e/savedRuns';
import { clickStepButton, openWalkthrough, showWelcome, stepDone } from '../e2e/walkthroughPage';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { retry } from './browser';
import { repoRoot } from './paths';

/** Far longer than the tutorial's run anywhere (about a minute on two cores). */
const RUN_TIMEOUT_MS = 30 * 60_000;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<void> {
  const session = await startEditorSession('readme-screenshots');
  const { workbench } = session;
  const { page } = workbench;
  const keep = async (name: string) => {
    const taken = await workbench.screenshot(`readme-${name}`);
    copyFileSync(taken, join(repoRoot, 'media', `${name}.png`));
    log(`media/${name}.png`);
  };
  try {
    await openWalkthrough(workbench);
    await clickStepButton(page, 'getData', 'Open the panel');
    const panel = await workbench.webviewWith('#sample-grid .sample', 120_000);
    await showWelcome(page);
    await clickStepButton(page, 'train', 'Go to training');
    await panel.locator('#start-training:not([disabled])').click({ timeout: 120_000 });
    log('training the tutorial’s model on the whole data set…');
    await panel.locator('#status[data-kind="success"]').waitFor({ timeout: RUN_TIMEOUT_MS });

    const { run } = await selectedRun(session.server.globalStorage);
    const full =
      run.settings.model === DEFAULT_SETTINGS.model &&
      run.settings.trainSubsetSize === 0 &&
      run.testCount === 10_000 &&
      run.history.length === DEFAULT_SETTINGS.epochs;
    if (!full) {
      throw new Error(
        `Not a full default run: ${JSON.stringify({ settings: run.settings, testCount: run.testCount })}`,
      );
    }
    log(`test accuracy ${run.evaluation.accuracy.toFixed(4)} on ${run.backend}`);

    // The curves, then the evaluation: what the run learned. (Its timings above depend on the machine.)
    await panel.locator('#history-chart').evaluate((chart) => {
      chart.scrollIntoView({ block: 'start' });
      // Clear of the sticky status line.
      chart.ownerDocument.defaultView?.scrollBy(0, -60);
    });
    await page.waitForTimeout(1000);
    await keep('screenshot');

    await showWelcome(page);
    await clickStepButton(page, 'lookInside', 'Look inside');
    await panel.locator('#inside-trace[data-ready="true"]').waitFor({ timeout: 120_000 });
    await panel.locator('#inside-section').evaluate((section) => section.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(1000);
    await keep('inside');

    await showWelcome(page);
    await clickStepButton(page, 'classify', 'Add a sample picture');
    // Where "Add a Sample Picture" writes (src/commands/addSamplePicture.ts).
    const samples = join(session.workspace, 'fashion-samples');
    const name = await retry(async () => {
      const png = readdirSync(samples).find((file) => file.endsWith('.png'));
      if (!png) {
        throw new Error(`No sample picture in ${samples}`);
      }
      return png;
    }, 60_000);
    await workbench.clickContextMenuEntry(name, 'Classify image');
    const results = await workbench.webviewWith('#results .result[data-predicted]', 120_000);
    await results.locator('#results .result .why-button').first().click();
    await results.locator('#results .result .why-button[aria-pressed="true"]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000);
    await keep('classify');

    await results.locator('#draw-garment').click();
    const pad = await workbench.webviewWith('#draw-status[data-kind="info"]', 60_000);
    await drawStroke(workbench, pad, TROUSER);
    await pad.locator('#draw-answer[data-predicted]').waitFor({ timeout: 60_000 });
    await pad.locator('#draw-why').click();
    await pad.locator('#draw-saliency[data-ready="true"]').waitFor({ timeout: 60_000 });
    await keep('draw');

    await showWelcome(page);
    await stepDone(page, 'classify').waitFor({ timeout: 30_000 });
    await keep('walkthrough');
  } finally {
    await session.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
