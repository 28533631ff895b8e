import * as vscode from 'vscode';
import { FashionClassifierApi } from './api';
import { classifyImage } from './commands/classifyImage';
import { ClassifierPanel } from './panel/ClassifierPanel';

export function activate(context: vscode.ExtensionContext): FashionClassifierApi {
  context.subscriptions.push(
    vscode.commands.registerCommand('fashionClassifier.train', () => {
      ClassifierPanel.createOrShow(context.extensionUri);
    }),
    vscode.commands.registerCommand('fashionClassifier.classifyImage', classifyImage),
    { dispose: () => ClassifierPanel.currentPanel?.dispose() },
  );
  return {
    classifierPanelReady: async () => {
      const panel = ClassifierPanel.currentPanel;
      if (!panel) {
        throw new Error('The classifier panel is not open.');
      }
      await panel.whenReady();
    },
  };
}

export function deactivate(): void {}
