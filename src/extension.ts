import * as vscode from 'vscode';
import { FashionClassifierApi } from './api';
import { classifyImage } from './commands/classifyImage';
import { exportTrainedModel } from './commands/exportModel';
import { ClassifierPanel } from './panel/ClassifierPanel';
import { ResultsPanel } from './panel/ResultsPanel';

export function activate(context: vscode.ExtensionContext): FashionClassifierApi {
  context.subscriptions.push(
    vscode.commands.registerCommand('fashionClassifier.train', () => {
      ClassifierPanel.createOrShow(context);
    }),
    vscode.commands.registerCommand(
      'fashionClassifier.classifyImage',
      (clicked?: vscode.Uri, selection?: vscode.Uri[]) => classifyImage(context, clicked, selection),
    ),
    vscode.commands.registerCommand('fashionClassifier.exportModel', () => exportTrainedModel(context)),
    { dispose: () => ClassifierPanel.currentPanel?.dispose() },
    { dispose: () => ResultsPanel.currentPanel?.dispose() },
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
