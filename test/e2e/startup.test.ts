// How long a learner waits from "Train Fashion Classifier" to the first trained batch, in a new
// editor: first with nothing prepared (the data set still to be found, checked and copied into
// the extension's storage), then in another new editor once it is. Prints where the time goes;
// the figures are for reading, not asserted (this machine's speed varies).
import * as assert from 'node:assert/strict';
import { freePort } from '../harness/codeServer';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';

/** The page's own marks (webview/startupTimings.ts), as milliseconds since 1970. */
async function pageMarks(session: EditorSession): Promise<Record<string, number>> {
  const data = await session.workbench
    .webview()
    .locator('#startup-timings')
    .evaluate((element) => ({ ...(element as unknown as { dataset: Record<string, string> }).dataset }));
  const origin = Number(data.origin);
  return Object.fromEntries(
    Object.entries(data)
      .filter(([key]) => key !== 'origin')
      .map(([key, ms]) => [key, origin + Number(ms)]),
  );
}

/**
 * A window keeps starting up for several seconds after it shows (extension host, services);
 * a webview created meanwhile took 3 s longer to load here. A person opens the editor and then
 * runs the command, so the clock starts once the window has settled.
 */
const SETTLE_MS = 10_000;

async function measure(session: EditorSession, label: string): Promise<void> {
  const { workbench } = session;
  // A panel left open last time comes back with the window; the measure is of opening it anew.
  await workbench.runCommand('View: Close All Editors');
  await workbench.page.waitForTimeout(SETTLE_MS);
  await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
  // The palette has run the command: the clock starts here.
  const command = Date.now();
  const panel = workbench.webview();
  await panel.locator('#start-training:not([disabled])').click({ timeout: 120_000 });
  await panel.locator('#training-progress[data-active="true"]').waitFor({ timeout: 60_000 });
  const marks = await pageMarks(session);
  // "auto" times the backends once per editor; the second editor keeps the first one's figures.
  const calibration = await panel.locator('#backend').getAttribute('data-calibration');
  await panel.locator('#stop-training:not([disabled])').click();
  const since = (mark: string) => `${((marks[mark] - command) / 1000).toFixed(2)} s`;
  assert.ok(marks.firstBatch > command, 'the first batch came after the command');
  console.log(
    `      ${label}: command → page ${since('page')}, backend ready ${since('backendReady')}, ` +
      `data set loaded ${since('datasetLoaded')}, Start enabled ${since('startEnabled')}, ` +
      `backends timed ${since('backendsTimed')} (${calibration}), ` +
      `clicked ${since('startClicked')}, first batch ${since('firstBatch')}`,
  );
}

describe('Start-up: from the command to the first trained batch', () => {
  let session: EditorSession | undefined;
  let port: number;

  before(async () => {
    port = await freePort();
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
    await session?.stop();
    session = undefined;
  });

  it('in a new editor, with the data set still to prepare', async () => {
    session = await startEditorSession('startup', { port });
    await measure(session, 'nothing prepared');
  });

  it('in another new editor, in the same browser, with the data set prepared', async () => {
    session = await startEditorSession('startup', { keepState: true, port });
    await measure(session, 'data set prepared');
  });
});
