// The walkthrough as VS Code's Welcome page shows it, and the status bar item of a training run,
// read from the workbench's DOM (VS Code 1.139): each step is a button
// `.getting-started-step[data-step-id="<extension>#<walkthrough>#<step>"]` with a checkbox
// `[data-done-step-id=…][aria-checked]`; the status bar item has the id `<extension>.<item id>`.
import type { Locator, Page } from 'playwright-core';
import { extensionId } from '../harness/paths';
import type { Workbench } from '../harness/browser';

const WALKTHROUGH = `${extensionId}#classifyClothing`;
export const STATUS_BAR_ITEM = `[id="${extensionId}.fashionClassifier.training"]`;

/** "Welcome: Open Walkthrough..." and the walkthrough picked by its title, as a person opens it. */
export async function openWalkthrough(workbench: Workbench): Promise<void> {
  await workbench.runCommand('Welcome: Open Walkthrough...');
  await workbench.page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Classify clothing with a neural network' })
    .first()
    .click({ timeout: 30_000 });
  await step(workbench.page, 'getData').waitFor({ timeout: 30_000 });
}

export const step = (page: Page, id: string): Locator =>
  page.locator(`.getting-started-step[data-step-id="${WALKTHROUGH}#${id}"]`);

export const stepDone = (page: Page, id: string): Locator =>
  page.locator(`[data-done-step-id="${WALKTHROUGH}#${id}"][aria-checked="true"]`);

/** Brings the Welcome page (the walkthrough) to the front of its editor group. */
export async function showWelcome(page: Page): Promise<void> {
  await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).click();
  await page.locator('.gettingStartedContainer').first().waitFor({ timeout: 30_000 });
}

/** Expands a step and clicks its link button, e.g. "Go to training". */
export async function clickStepButton(page: Page, id: string, label: string): Promise<void> {
  await step(page, id).click();
  await step(page, id).locator('.button-container a', { hasText: label }).click({ timeout: 10_000 });
}

export interface StatusBarSighting {
  text: string;
  label: string | null;
  spinning: boolean;
  /** Whether any of the extension's webviews was on screen when the item changed. */
  panelVisible: boolean;
}

/**
 * Records every text the training status bar item shows from now on, with whether a panel of the
 * extension was in view at the time: a run can be faster than any polling, a recorder misses nothing.
 */
export async function recordStatusBar(page: Page): Promise<() => Promise<StatusBarSighting[]>> {
  // Runs in the workbench page; this file is type-checked without the DOM's globals, so it
  // reaches them through the status bar element.
  await page.locator('.part.statusbar').evaluate(
    (bar, { selector, extension }) => {
      const document = bar.ownerDocument;
      const window = document.defaultView as unknown as {
        fashionStatusBar: StatusBarSighting[];
        MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
      };
      const seen: StatusBarSighting[] = [];
      window.fashionStatusBar = seen;
      const record = () => {
        const label = document.querySelector(`${selector} .statusbar-item-label`);
        if (!label) {
          return;
        }
        const text = (label.textContent ?? '').trim();
        if (seen[seen.length - 1]?.text === text) {
          return;
        }
        const frames = [...document.querySelectorAll(`iframe.webview[src*="extensionId=${extension}"]`)];
        seen.push({
          text,
          label: label.getAttribute('aria-label'),
          spinning: !!label.querySelector('.codicon-sync.codicon-modifier-spin'),
          panelVisible: frames.some((frame) => frame.checkVisibility({ visibilityProperty: true })),
        });
      };
      new window.MutationObserver(record).observe(bar, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      record();
    },
    { selector: STATUS_BAR_ITEM, extension: extensionId },
  );
  return () =>
    page
      .locator('.part.statusbar')
      .evaluate((bar) =>
        (
          bar.ownerDocument.defaultView as unknown as { fashionStatusBar: StatusBarSighting[] }
        ).fashionStatusBar.slice(),
      );
}
