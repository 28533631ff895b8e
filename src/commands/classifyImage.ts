import * as vscode from 'vscode';
import { resolveImageTargets } from './imageTargets';

/**
 * "Classify image". Classification needs a trained model; until one exists the user is told so
 * and offered to train one.
 */
export async function classifyImage(clicked?: vscode.Uri, selection?: vscode.Uri[]): Promise<void> {
  const targets = await resolveImageTargets(clicked, selection);
  if (targets.length === 0) {
    return;
  }
  const trainNow = 'Train now';
  const choice = await vscode.window.showInformationMessage(
    'No trained Fashion Classifier model yet: train one first, then classify your images.',
    trainNow,
  );
  if (choice === trainNow) {
    await vscode.commands.executeCommand('fashionClassifier.train');
  }
}
