import * as vscode from 'vscode';
import { FashionClassifierApi } from './api';
import { classifyImage } from './commands/classifyImage';
import { exportTrainedModel } from './commands/exportModel';
import { OPEN_RUN_NOTEBOOK_COMMAND, openRunAsNotebook } from './commands/openRunNotebook';
import { disposeLog, log, showLog } from './log';
import { ClassifierPanel } from './panel/ClassifierPanel';
import { DrawPanel } from './panel/DrawPanel';
import { ResultsPanel } from './panel/ResultsPanel';
import { registerWalkthroughCommands } from './walkthrough/commands';

export function activate(context: vscode.ExtensionContext): FashionClassifierApi {
  log().info(`Fashion Classifier ${context.extension.packageJSON.version} activated in VS Code ${vscode.version}.`);
  context.subscriptions.push(
    vscode.commands.registerCommand('fashionClassifier.train', () => {
      ClassifierPanel.slot.createOrShow(context);
    }),
    vscode.commands.registerCommand(
      'fashionClassifier.classifyImage',
      (clicked?: vscode.Uri, selection?: vscode.Uri[]) => classifyImage(context, clicked, selection),
    ),
    vscode.commands.registerCommand('fashionClassifier.exportModel', () => exportTrainedModel(context)),
    vscode.commands.registerCommand('fashionClassifier.showLog', showLog),
    vscode.commands.registerCommand(OPEN_RUN_NOTEBOOK_COMMAND, (runId?: unknown) => openRunAsNotebook(context, runId)),
    vscode.commands.registerCommand('fashionClassifier.drawGarment', () => {
      DrawPanel.slot.createOrShow(context);
    }),
    // Panels open before a window reload come back with it.
    vscode.window.registerWebviewPanelSerializer(ClassifierPanel.viewType, {
      deserializeWebviewPanel: async (panel) => void ClassifierPanel.slot.revive(panel, context),
    }),
    vscode.window.registerWebviewPanelSerializer(ResultsPanel.viewType, {
      deserializeWebviewPanel: async (panel) => void ResultsPanel.slot.revive(panel, context),
    }),
    vscode.window.registerWebviewPanelSerializer(DrawPanel.viewType, {
      deserializeWebviewPanel: async (panel) => void DrawPanel.slot.revive(panel, context),
    }),
    ClassifierPanel.slot,
    ResultsPanel.slot,
    DrawPanel.slot,
    { dispose: disposeLog },
    ...registerWalkthroughCommands(context),
  );
  return {
    classifierPanelReady: async () => {
      const panel = ClassifierPanel.slot.current;
      if (!panel) {
        throw new Error('The classifier panel is not open.');
      }
      await panel.whenReady();
    },
  };
}

export function deactivate(): void {}
