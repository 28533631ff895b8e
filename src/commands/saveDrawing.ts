// "Save as PNG" on the drawing pad: the person picks where (a free `drawing-N.png` in the first
// workspace folder is offered), the picture is written through the editor's file system API (so
// virtual workspaces work too), and it is then an ordinary picture for "Classify image".
import * as vscode from 'vscode';
import { encodeGrayPng } from '../data/png';
import { log, logError } from '../log';
import { errorMessage } from '../shared/errorMessage';
import type { SavedDrawing, SaveDrawingRequest } from '../shared/drawProtocol';

/** Tried names before giving up on a free one: past that, the dialog's overwrite question decides. */
const NAME_TRIES = 1000;

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** `drawing-1.png`, or the first of `drawing-2.png`, … that `folder` does not have yet. */
async function freeName(folder: vscode.Uri | undefined): Promise<string> {
  for (let n = 1; folder && n < NAME_TRIES; n++) {
    if (!(await exists(vscode.Uri.joinPath(folder, `drawing-${n}.png`)))) {
      return `drawing-${n}.png`;
    }
  }
  return 'drawing-1.png';
}

export async function saveDrawing(request: SaveDrawingRequest): Promise<SavedDrawing> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = await freeName(folder);
  const uri = await vscode.window.showSaveDialog({
    title: 'Save the drawing as a PNG picture',
    saveLabel: 'Save drawing',
    filters: { 'PNG pictures': ['png'] },
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(name),
  });
  if (!uri) {
    return {};
  }
  const png = encodeGrayPng(request.width, request.height, new Uint8Array(request.pixels));
  try {
    await vscode.workspace.fs.writeFile(uri, png);
  } catch (error) {
    logError(`Writing the drawing ${uri.toString(true)}`, error);
    throw new Error(
      `The drawing could not be written to ${vscode.workspace.asRelativePath(uri)}: ${errorMessage(error)} ` +
        'Choose "Save as PNG" again and pick a folder you can write to; the drawing stays on the pad.',
      { cause: error },
    );
  }
  const savedAs = vscode.workspace.asRelativePath(uri);
  log().info(`Drawing pad: saved the drawing (${request.width}×${request.height}) to ${uri.toString(true)}.`);
  void offerToClassify(uri, savedAs);
  return { savedAs };
}

async function offerToClassify(uri: vscode.Uri, savedAs: string): Promise<void> {
  const classify = 'Classify image';
  const choice = await vscode.window.showInformationMessage(`Saved the drawing as ${savedAs}.`, classify);
  if (choice === classify) {
    await vscode.commands.executeCommand('fashionClassifier.classifyImage', uri);
  }
}
