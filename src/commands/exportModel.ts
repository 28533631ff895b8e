import * as vscode from 'vscode';
import { errorMessage } from '../shared/errorMessage';
import { logError } from '../log';
import { asSentence } from '../shared/sentences';
import { openModelStore } from '../storage';
import { showProblemNotification } from '../userActions';
import { pickExportFolder, writeExport } from './exportFiles';

/** "Export Trained Model": copies model.json, weights.bin and run.json to a folder the user picks. */
export async function exportTrainedModel(context: vscode.ExtensionContext): Promise<void> {
  const store = await openModelStore(context);
  const selected = await store.selected();
  if (!selected) {
    const trainNow = 'Train now';
    const choice = await vscode.window.showWarningMessage(
      'There is no trained Fashion Classifier model to export yet.',
      trainNow,
    );
    if (choice === trainNow) {
      await vscode.commands.executeCommand('fashionClassifier.train');
    }
    return;
  }
  const folder = await pickExportFolder();
  if (!folder) {
    return;
  }
  try {
    const files = await store.readFiles(selected.id);
    const where = await writeExport(folder, files);
    void vscode.window.showInformationMessage(
      `Exported the model to ${where} (${files.length} files). Load it with tf.loadLayersModel.`,
    );
  } catch (error) {
    logError('Exporting the model', error);
    void showProblemNotification({
      message: `The model was not exported: ${asSentence(errorMessage(error))} Choose another folder, or one you may write to.`,
      actions: [],
    });
  }
}
