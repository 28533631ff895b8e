import * as vscode from 'vscode';
import type { ModelFile } from '../model/modelStore';

/** Asks for a folder to export a model into; undefined when the person cancels. */
export async function pickExportFolder(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Export here',
    title: 'Folder for the model (model.json, weights.bin, run.json)',
  });
  return picked?.[0];
}

/** Writes a model's files into `folder`; returns where, as the person reads it. */
export async function writeExport(folder: vscode.Uri, files: ModelFile[]): Promise<string> {
  // Through the editor's file system, so a folder of a remote or virtual workspace works too.
  for (const file of files) {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, file.name), file.bytes);
  }
  return folder.scheme === 'file' ? folder.fsPath : folder.toString();
}
