import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FashionClassifierApi } from '../../src/api';

const EXTENSION_ID = 'fashionlab.fashion-classifier';

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms)),
  ]);
}

function classifierTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(
      (tab) =>
        tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('fashionClassifier.classifier'),
    );
}

describe('Fashion Classifier extension', () => {
  let api: FashionClassifierApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<FashionClassifierApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in this editor`);
    api = await extension.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates', () => {
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  it('registers both commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('fashionClassifier.train'), 'fashionClassifier.train');
    assert.ok(commands.includes('fashionClassifier.classifyImage'), 'fashionClassifier.classifyImage');
  });

  it('opens the classifier panel, which answers ready', async () => {
    await vscode.commands.executeCommand('fashionClassifier.train');
    await withTimeout(api.classifierPanelReady(), 60_000, 'the panel');
    assert.equal(classifierTabs().length, 1);
  });

  it('brings the open panel forward instead of opening a second one', async () => {
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    await vscode.commands.executeCommand('fashionClassifier.train');
    await withTimeout(api.classifierPanelReady(), 60_000, 'the panel');
    // The tab model catches up with reveal() asynchronously.
    const deadline = Date.now() + 10_000;
    while (!classifierTabs()[0]?.isActive && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const tabs = classifierTabs();
    assert.equal(tabs.length, 1);
    assert.equal(tabs[0].isActive, true);
  });
});
