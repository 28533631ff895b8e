import * as vscode from 'vscode';
import { errorMessage } from '../shared/errorMessage';
import { logError } from '../log';
import { asSentence } from '../shared/sentences';
import { openModelStore } from '../storage';
import { showProblemNotification } from '../userActions';

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
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Export here',
    title: 'Folder for the model (model.json, weights.bin, run.json)',
  });
  const folder = picked?.[0];
  if (!folder) {
    return;
  }
  try {
    const files = await store.readFiles(selected.id);
    // Through the editor's file system, so a folder of a remote or virtual workspace works too.
    for (const file of files) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, file.name), file.bytes);
    }
    const where = folder.scheme === 'file' ? folder.fsPath : folder.toString();
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
