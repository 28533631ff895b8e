// Drives the VS Code workbench in Debian's Chromium the way a person would: palette, explorer
// context menu, reading a webview's content, screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserContext, chromium, FrameLocator, Page } from 'playwright-core';
import { chromiumPath, extensionId } from './paths';

export interface WorkbenchBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Launches Chromium headless with a profile under `stateDir` that outlives it, as a person's
 * browser keeps its storage: a later launch on the same folder finds what the pages stored.
 */
export async function launchBrowser(stateDir: string): Promise<WorkbenchBrowser> {
  const home = join(stateDir, 'home');
  mkdirSync(home, { recursive: true });
  const context = await chromium.launchPersistentContext(join(stateDir, 'profile'), {
    executablePath: chromiumPath,
    // QUIC probes fail noisily on a machine without internet.
    args: ['--disable-quic'],
    env: { ...process.env, HOME: home },
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close() };
}

/** Waits until `action` stops throwing, for things that appear once the workbench catches up. */
export async function retry<T>(action: () => Promise<T>, timeoutMs: number, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await action();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {
    mkdirSync(screenshotDir, { recursive: true });
  }

  /** Opens the workbench and waits for the explorer to list the workspace. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.getByRole('tree').first().waitFor({ timeout: 60_000 });
  }

  /**
   * "Developer: Reload Window", as a person reloads: the editor shuts down first (saving which
   * editors are open), unlike a page reload. Resolves once the reloaded workbench shows.
   */
  async reloadWindow(): Promise<void> {
    const reloaded = this.page.waitForEvent('load', { timeout: 60_000 });
    await this.runCommand('Developer: Reload Window');
    await reloaded;
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  }

  /** Runs a command from the Command Palette by its full title, e.g. "Fashion Classifier: Train Fashion Classifier". */
  async runCommand(title: string): Promise<void> {
    let attempt = 0;
    await retry(async () => {
      await this.page.keyboard.press('Escape');
      // F1 does not reach the workbench while a webview has the focus; the command center
      // in the title bar opens the same quick input wherever the focus is.
      if (attempt++ % 2 === 0) {
        await this.page.keyboard.press('F1');
      } else {
        await this.page.locator('.command-center .action-item').first().click({ timeout: 3000 });
      }
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 5000 });
      await input.fill(`>${title}`, { timeout: 3000 });
      await this.page
        .locator('.quick-input-list .monaco-list-row', { hasText: title })
        .first()
        .click({ timeout: 3000 });
    }, 30_000);
  }

  /** The content of this extension's webview panel (the workbench nests it in two iframes). */
  webview(): FrameLocator {
    return this.page
      .frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`)
      .frameLocator('#active-frame');
  }

  /**
   * The webview of this extension whose page has `selector`: with two panels open, the
   * workbench's iframes say which extension they belong to, not which panel.
   */
  async webviewWith(selector: string, timeoutMs = 60_000): Promise<FrameLocator> {
    const frames = this.page.locator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`);
    return retry(async () => {
      for (let i = 0; i < (await frames.count()); i++) {
        const frame = frames.nth(i).contentFrame().locator('#active-frame').contentFrame();
        if ((await frame.locator(selector).count()) > 0) {
          return frame;
        }
      }
      throw new Error(`No webview shows ${selector}`);
    }, timeoutMs);
  }

  /** Clicks an entry of a file's or folder's context menu in the explorer. */
  async clickContextMenuEntry(name: string, entry: string): Promise<void> {
    await this.contextMenuWith(name, entry);
    const menu = this.page.locator('.context-view .monaco-menu');
    await this.page.getByRole('menuitem', { name: entry, exact: true }).click();
    // A click that lands while the menu is still settling only highlights the entry.
    if (await menu.isVisible({ timeout: 500 }).catch(() => false)) {
      await this.page.keyboard.press('Enter');
    }
  }

  /** The text of the notification toasts on screen. */
  async notificationTexts(): Promise<string[]> {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  }

  /** Right-clicks a file in the explorer and returns the labels of the context menu's entries. */
  async contextMenuFor(fileName: string): Promise<string[]> {
    await this.page.keyboard.press('Escape');
    // The hover of the entry right-clicked before (its path) can lie over this one and take the click.
    await this.page.mouse.move(0, 0);
    await this.page
      .locator('.context-view .hover-contents')
      .waitFor({ state: 'hidden', timeout: 10_000 })
      .catch(() => undefined);
    await this.page.getByRole('treeitem', { name: fileName, exact: true }).click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    // A busy machine took over 5 s to draw a menu after the right-click.
    await menu.waitFor({ timeout: 20_000 });
    const labels = await menu.locator('.action-label').allInnerTexts();
    return labels.map((label) => label.trim()).filter(Boolean);
  }

  /**
   * The context menu of `fileName` once the extension's entries are in it: menus show
   * contributions only after the extension host has scanned them, so the first menus may lack them.
   */
  async contextMenuWith(fileName: string, entry: string, timeoutMs = 30_000): Promise<string[]> {
    return retry(async () => {
      const labels = await this.contextMenuFor(fileName);
      if (!labels.includes(entry)) {
        throw new Error(`"${entry}" not in the menu of ${fileName}: ${labels.join(', ')}`);
      }
      return labels;
    }, timeoutMs);
  }

  /**
   * Changes a number or text setting in the Settings editor, as a person would, then closes it.
   * (The editor does not pick up edits of settings.json made behind its back here.)
   */
  async setSetting(id: string, value: string): Promise<void> {
    await this.runCommand('Preferences: Open User Settings');
    const editor = this.page.locator('.settings-editor');
    await editor.waitFor({ timeout: 30_000 });
    await this.page.keyboard.type(id);
    const input = editor.locator(`.setting-item-contents[data-key="${id}"] input`);
    await retry(async () => {
      await input.fill(value, { timeout: 2000 });
      await input.press('Tab');
      if ((await input.inputValue()) !== value) {
        throw new Error(`${id} shows ${await input.inputValue()}`);
      }
    }, 30_000);
    // The Settings editor writes a typed value after a short pause; it opens as a modal here.
    await this.page.waitForTimeout(1500);
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Escape');
    await editor.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => this.runCommand('View: Close Editor'));
  }

  async screenshot(name: string): Promise<string> {
    const path = join(this.screenshotDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}
