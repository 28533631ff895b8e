// "Draw a Garment" in the real editor, as a person uses it: the pad without a model (and its
// "Train now"), a trouser's outline drawn with the mouse (Pointer Events) whose 28×28 input and
// ten probabilities follow the pen, "Why?", a test-set picture of a bag pasted with Ctrl+V and
// answered as "Classify image" answers that file, and "Save as PNG" writing a picture that
// "Classify image" reads. The pad's stroke-to-bars time is printed.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { FrameLocator } from 'playwright-core';
import { PAD_SIDE } from '../../src/shared/drawing/pad';
import { readImageSize } from '../../src/shared/imageHeader';
import { retry } from '../harness/browser';
import { loadSystemTestSet } from '../harness/fashionSamples';
import { encodeGrayPng } from '../harness/png';
import { seedTrainedModel } from '../harness/seedModel';
import { axeViolations, describeViolations, panelFrameWith } from './axe';
import { drawStroke, TROUSER } from './drawOnPad';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';

const BAG = 8;
const BAG_FILE = 'bag.png';
const BRUSH = 8;

/** The 28×28 input the pad shows, read back from its canvas (the red channel is the gray value). */
async function padInputPixels(pad: FrameLocator): Promise<number[]> {
  // The test bundle has no DOM types: the canvas is described as far as it is used.
  interface Canvas {
    width: number;
    height: number;
    getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
  }
  return pad.locator('#draw-input').evaluate((element) => {
    const canvas = element as unknown as Canvas;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    return Array.from({ length: canvas.width * canvas.height }, (_, i) => data[i * 4]);
  });
}

function inkBox(pixels: number[], side = 28, threshold = 32) {
  const inked = pixels.flatMap((value, i) => (value > threshold ? [[i % side, Math.floor(i / side)]] : []));
  const xs = inked.map(([x]) => x);
  const ys = inked.map(([, y]) => y);
  return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
}

/** The pixels of an 8-bit grayscale PNG without interlacing, as Node can decode it: row filters must be "none". */
function pngRowsOf(bytes: Buffer): { width: number; height: number; inflatedBytes: number } {
  const { width, height, format } = readImageSize(new Uint8Array(bytes));
  assert.equal(format, 'png');
  const chunks: Buffer[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') {
      chunks.push(bytes.subarray(at + 8, at + 8 + length));
    }
    at += 12 + length;
  }
  return { width, height, inflatedBytes: inflateSync(Buffer.concat(chunks)).length };
}

describe('Draw a garment', () => {
  let session: EditorSession;
  let pad: FrameLocator;

  before(async () => {
    session = await startEditorSession('draw-garment', {
      prepareWorkspace: (dir) => {
        const testSet = loadSystemTestSet();
        writeFileSync(join(dir, BAG_FILE), encodeGrayPng(28, 28, testSet.pixelsOf(testSet.firstOfClass(BAG))));
      },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  it('says there is no trained model yet, with "Train now"', async () => {
    const { workbench } = session;
    await workbench.runCommand('Fashion Classifier: Draw a Garment');
    pad = await workbench.webviewWith('#draw-pad', 60_000);
    const problem = pad.locator('#draw-status[data-kind="error"] .problem');
    await problem.waitFor({ timeout: 60_000 });
    assert.match(await problem.innerText(), /no trained model yet/);
    assert.deepEqual(
      await problem
        .locator('.problem-action')
        .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action'))),
      ['trainNow'],
    );
  });

  it('classifies a trouser outline as it is drawn: the 28×28 input matches the drawing and the ten probabilities show', async () => {
    const { workbench } = session;
    // A model saved while the pad is open (as a run finishing in the panel saves one): the pad takes it up.
    const run = await seedTrainedModel(session.server.globalStorage);
    await pad.locator('#draw-status[data-kind="info"]').waitFor({ timeout: 60_000 });
    await pad.locator('#draw-brush').fill(String(BRUSH));
    await drawStroke(workbench, pad, TROUSER);
    const answer = pad.locator('#draw-answer[data-predicted]');
    await answer.waitFor({ timeout: 60_000 });
    await pad.locator('#draw-timing[data-updates]').waitFor({ timeout: 30_000 });
    assert.equal(await pad.locator('#draw-answer .result-bar').count(), 10);
    assert.equal(await pad.locator('#draw-input').getAttribute('data-source'), 'drawing');
    assert.equal(await answer.getAttribute('data-model'), (await runIdOf(session)) ?? undefined);

    // Taller than wide, so the input's every row; as wide as the drawing's proportion says (give
    // or take the soft columns at each edge, which area averaging makes), and centred.
    const pixels = await padInputPixels(pad);
    const ink = inkBox(pixels);
    assert.deepEqual([ink.top, ink.bottom], [0, 27], JSON.stringify(ink));
    const extent = (axis: 0 | 1) => Math.max(...TROUSER.map((p) => p[axis])) - Math.min(...TROUSER.map((p) => p[axis]));
    const expectedWidth = (28 * (extent(0) + BRUSH)) / (extent(1) + BRUSH);
    const width = ink.right - ink.left + 1;
    assert.ok(
      width >= expectedWidth - 1 && width <= expectedWidth + 2,
      `ink ${width} columns wide, drawn ${expectedWidth.toFixed(1)}: ${JSON.stringify(ink)}`,
    );
    assert.ok(Math.abs(ink.left + ink.right - 27) <= 2, `ink off centre: ${JSON.stringify(ink)}`);
    const middle = Math.round((ink.left + ink.right) / 2);
    assert.ok(pixels[27 * 28 + middle] <= 32, 'no ink between the legs at the hem');
    // The waist line, a brush wide, is the input's first row or two.
    assert.ok(Math.max(pixels[middle], pixels[28 + middle]) > 32, 'ink along the waist');

    const timing = pad.locator('#draw-timing');
    const [median, max, updates] = await Promise.all(
      ['data-median-ms', 'data-max-ms', 'data-updates'].map((name) => timing.getAttribute(name)),
    );
    console.log(
      `      stroke to bars: ${median} ms median, ${max} ms at most, over ${updates} updates ` +
        `(answer ${await answer.getAttribute('data-predicted')}, model of ${run.trainCount} images)`,
    );
    assert.match(session.extensionLog(), /Drawing pad: stroke to bars [\d.]+ ms median/);
    await workbench.screenshot('draw-trouser');
  });

  it('has no accessibility violation (axe-core, WCAG 2.1 A/AA)', async () => {
    const frame = await panelFrameWith(session.workbench.page, '#draw-answer[data-predicted]');
    const violations = await axeViolations(frame);
    assert.deepEqual(violations, [], describeViolations(violations));
  });

  it('explains the drawing with "Why?", from the keyboard', async () => {
    await pad.locator('#draw-why').focus();
    await session.workbench.page.keyboard.press('Enter');
    await pad.locator('#draw-why[aria-pressed="true"]').waitFor({ timeout: 10_000 });
    await pad.locator('#draw-saliency[data-ready="true"] .saliency-image').waitFor({ timeout: 60_000 });
  });

  it('pastes a test-set picture of a bag with Ctrl+V and answers as "Classify image" answers the file', async () => {
    const { workbench } = session;
    const { page } = workbench;
    const png = readFileSync(join(session.workspace, BAG_FILE)).toString('base64');
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    // The browser's clipboard, as an image copied from another program fills it.
    await page.evaluate(`(async () => {
      const bytes = Uint8Array.from(atob('${png}'), (c) => c.charCodeAt(0));
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([bytes], { type: 'image/png' }) })]);
    })()`);
    await pad.locator('#draw-pad').focus();
    await page.keyboard.press('Control+V');
    await pad.locator('#draw-input[data-source="pasted"]').waitFor({ timeout: 30_000 });
    const answer = pad.locator('#draw-answer[data-predicted][data-source="pasted"]');
    await answer.waitFor({ timeout: 30_000 });
    const padAnswer = {
      predicted: await answer.getAttribute('data-predicted'),
      confidence: await answer.getAttribute('data-confidence'),
    };
    const pasted = await padInputPixels(pad);
    const testSet = loadSystemTestSet();
    assert.deepEqual(
      pasted,
      Array.from(testSet.pixelsOf(testSet.firstOfClass(BAG))),
      'the pasted bag reaches the model unchanged',
    );

    await workbench.clickContextMenuEntry(BAG_FILE, 'Classify image');
    const results = await workbench.webviewWith(`#results .result[data-name="${BAG_FILE}"][data-predicted]`, 120_000);
    const card = results.locator(`#results .result[data-name="${BAG_FILE}"]`);
    assert.deepEqual(
      { predicted: await card.getAttribute('data-predicted'), confidence: await card.getAttribute('data-confidence') },
      padAnswer,
    );
    console.log(
      `      pasted bag: class ${padAnswer.predicted} at ${padAnswer.confidence}, as "Classify image" answered`,
    );
  });

  it('saves the drawing as a PNG in the workspace, which "Classify image" reads', async () => {
    const { workbench } = session;
    // Back to the trouser drawn before the paste.
    await pad.locator('#draw-undo').click();
    const answer = pad.locator('#draw-answer[data-predicted][data-source="drawing"]');
    await answer.waitFor({ timeout: 30_000 });
    await pad.locator('#draw-save').click();
    // The editor's own save dialog, offering drawing-1.png in the workspace folder.
    const input = workbench.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    // The dialog fills in the folder first, then the offered name.
    await retry(async () => assert.match(await input.inputValue(), /\/workspace\/drawing-1\.png$/), 10_000);
    await input.press('Enter');
    await pad.locator('#draw-status', { hasText: 'Saved as drawing-1.png' }).waitFor({ timeout: 30_000 });
    const saved = join(session.workspace, 'drawing-1.png');
    assert.ok(existsSync(saved));
    const png = pngRowsOf(readFileSync(saved));
    assert.deepEqual(png, { width: PAD_SIDE, height: PAD_SIDE, inflatedBytes: (PAD_SIDE + 1) * PAD_SIDE });

    const padAnswer = {
      predicted: await answer.getAttribute('data-predicted'),
      confidence: await answer.getAttribute('data-confidence'),
    };
    await workbench.clickContextMenuEntry('drawing-1.png', 'Classify image');
    const results = await workbench.webviewWith('#results .result[data-name="drawing-1.png"][data-predicted]', 120_000);
    const card = results.locator('#results .result[data-name="drawing-1.png"]');
    assert.deepEqual(
      { predicted: await card.getAttribute('data-predicted'), confidence: await card.getAttribute('data-confidence') },
      padAnswer,
    );
    await workbench.screenshot('draw-saved-and-classified');
  });
});

async function runIdOf(session: EditorSession): Promise<string | undefined> {
  const pointer = join(session.server.globalStorage, 'runs', 'selected.json');
  return existsSync(pointer) ? (JSON.parse(readFileSync(pointer, 'utf8')) as { id: string }).id : undefined;
}
