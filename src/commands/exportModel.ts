import * as vscode from 'vscode';
import { exportModel, hasSavedModel } from '../model/modelStore';
import { errorMessage } from '../shared/errorMessage';

/** "Export Trained Model": copies model.json, weights.bin and run.json to a folder the user picks. */
export async function exportTrainedModel(context: vscode.ExtensionContext): Promise<void> {
  const storage = context.globalStorageUri.fsPath;
  if (!(await hasSavedModel(storage))) {
    const trainNow = 'Train now';
    const choice = await vscode.window.showWarningMessage('There is no trained Fashion Classifier model to export yet.', trainNow);
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
  if (!picked?.[0]) {
    return;
  }
  try {
    const written = await exportModel(storage, picked[0].fsPath);
    void vscode.window.showInformationMessage(`Exported the model to ${picked[0].fsPath} (${written.length} files). Load it with tf.loadLayersModel.`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Fashion Classifier: export failed: ${errorMessage(error)}`);
  }
}
