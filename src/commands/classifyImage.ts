import * as vscode from 'vscode';
import { log, logError } from '../log';
import { loadSavedRun } from '../model/modelStore';
import { ResultsPanel } from '../panel/ResultsPanel';
import { errorMessage } from '../shared/errorMessage';
import type { ClassifiedMessage } from '../shared/resultsProtocol';
import { storagePath } from '../storage';
import { showProblemNotification } from '../userActions';
import { resolveImageTargets } from './imageTargets';
import { readImageForClassification } from './readImages';

/**
 * "Classify image": the picked images (or every image in a picked folder) go through the saved
 * model in the results panel. Without a trained model the user is offered to train one.
 */
export async function classifyImage(
  context: vscode.ExtensionContext,
  clicked?: vscode.Uri,
  selection?: vscode.Uri[],
): Promise<ClassifiedMessage | undefined> {
  const targets = await resolveImageTargets(clicked, selection);
  if (targets.length === 0) {
    if (clicked || selection?.length) {
      void vscode.window.showInformationMessage('There are no PNG, JPEG, GIF, BMP or WebP images in the selection.');
    }
    return undefined;
  }
  const savedRun = await loadSavedRun(storagePath(context));
  if (!savedRun) {
    const trainNow = 'Train now';
    const choice = await vscode.window.showInformationMessage(
      'There is no trained Fashion Classifier model yet. Train one (a few minutes), then classify your images.',
      trainNow,
    );
    if (choice === trainNow) {
      await vscode.commands.executeCommand('fashionClassifier.train');
    }
    return undefined;
  }
  const panel = ResultsPanel.createOrShow(context);
  const images = await Promise.all(targets.map((uri, i) => readImageForClassification(uri, i)));
  try {
    const classified = await panel.classify(images, savedRun.finishedAt);
    const failed = classified.results.filter((r) => r.error);
    log().info(`Classified ${classified.results.length - failed.length} of ${classified.results.length} picture(s).`);
    failed.forEach((r) => log().warn(`${r.name}: ${r.error}`));
    return classified;
  } catch (error) {
    logError('Classifying pictures', error);
    void showProblemNotification({
      message: `The pictures were not classified: ${errorMessage(error)} Run "Classify image" again.`,
      actions: [],
    });
    return undefined;
  }
}
