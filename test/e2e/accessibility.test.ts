// Both panels against axe-core's WCAG 2.1 A and AA rules after a run and a classification, in the
// light, dark and high-contrast themes: one editor, the theme switched as a person switches it.
import * as assert from 'node:assert/strict';
import type { Workbench } from '../harness/browser';
import { axeViolations, describeViolations, panelFrameWith } from './axe';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';

const QUICK_RUN = {
  'fashionClassifier.trainSubsetSize': 2000,
  'fashionClassifier.testSubsetSize': 500,
  'fashionClassifier.epochs': 2,
};

/** VS Code's own themes as the theme picker labels them (a row reads "Dark High Contrast" then its id), and what a webview's <body> gets in each. */
const THEMES = [
  { name: 'Light Modern', body: 'body.vscode-light' },
  { name: 'Dark Modern', body: 'body.vscode-dark' },
  { name: 'Dark High Contrast', body: 'body.vscode-high-contrast:not(.vscode-high-contrast-light)' },
  { name: 'Light High Contrast', body: 'body.vscode-high-contrast-light' },
];

/** "Preferences: Color Theme", as a person picks one; the picker's rows when the theme is not among them. */
async function pickTheme(workbench: Workbench, name: string): Promise<void> {
  const { page } = workbench;
  await workbench.runCommand('Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^${name}`) }).first();
  try {
    await row.click({ timeout: 10_000 });
  } catch (error) {
    const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    throw new Error(`No theme "${name}" in the picker: ${JSON.stringify(rows)}`, { cause: error });
  }
}

describe('Accessibility of both panels in every theme (axe-core, WCAG 2.1 A/AA)', () => {
  let session: EditorSession;

  before(async function () {
    // A run, a classification and a saliency map: minutes on a busy machine.
    this.timeout(600_000);
    session = await startEditorSession('accessibility', { settings: QUICK_RUN });
    const { workbench } = session;
    await workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    const panel = workbench.webview();
    await panel.locator('#start-training:not([disabled])').click({ timeout: 120_000 });
    await panel.locator('#status[data-kind="success"]').waitFor({ timeout: 300_000 });
    await workbench.clickContextMenuEntry('shirt.png', 'Classify image');
    const results = await workbench.webviewWith('#results .result[data-name="shirt.png"][data-predicted]', 120_000);
    await results.locator('#results-status', { hasText: 'classified in' }).waitFor({ timeout: 60_000 });
    // What a learner opens next: a saliency map, and the test images behind a mistake.
    await results.locator('#results .result .why-button').first().click();
    await results.locator('#results .result .why-button[aria-pressed="true"]').waitFor({ timeout: 60_000 });
    const classifier = await workbench.webviewWith('#confusion-matrix td.miss[role="button"]');
    await classifier.locator('#confusion-matrix td.miss[role="button"]').first().click();
    await classifier.locator('#confusion-matrix td[aria-pressed="true"]').waitFor({ timeout: 30_000 });
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  for (const theme of THEMES) {
    it(`has no violation in ${theme.name}`, async () => {
      const { workbench } = session;
      await pickTheme(workbench, theme.name);
      const found: string[] = [];
      for (const [panel, selector] of [
        ['classifier', '#test-accuracy[data-value]'],
        ['results', '#results .result[data-predicted]'],
      ]) {
        const frame = await panelFrameWith(workbench.page, `${theme.body} ${selector}`);
        const violations = await axeViolations(frame);
        if (violations.length > 0) {
          found.push(`${panel} panel in ${theme.name}:\n${describeViolations(violations)}`);
        }
      }
      await workbench.screenshot(`accessibility-${theme.name.replace(/ /g, '-')}`);
      if (found.length > 0) {
        console.log(found.join('\n\n'));
      }
      assert.deepEqual(found, [], found.join('\n\n'));
    });
  }
});
