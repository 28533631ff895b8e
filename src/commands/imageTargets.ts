import * as vscode from 'vscode';
import { IMAGE_EXTENSIONS, isImagePath } from '../shared/imageFiles';

/** More images than this from one folder are left out, so a click on a huge tree stays quick. */
export const MAX_IMAGES_PER_REQUEST = 200;

/** The image shown in the active editor tab, if any (images open in a custom editor, not a text one). */
function activeEditorImage(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) {
    return isImagePath(input.uri.path) ? input.uri : undefined;
  }
  return undefined;
}

/** Every image under `folder`, depth first, through workspace.fs so remote workspaces work too. */
async function imagesInFolder(folder: vscode.Uri, found: vscode.Uri[]): Promise<void> {
  const entries = await vscode.workspace.fs.readDirectory(folder);
  entries.sort(([a], [b]) => a.localeCompare(b));
  for (const [name, type] of entries) {
    if (found.length >= MAX_IMAGES_PER_REQUEST) {
      return;
    }
    const child = vscode.Uri.joinPath(folder, name);
    if (type & vscode.FileType.Directory) {
      await imagesInFolder(child, found);
    } else if (isImagePath(name)) {
      found.push(child);
    }
  }
}

/** The explorer selection expanded: image files as they are, folders to the images inside them. */
async function expandSelection(uris: vscode.Uri[]): Promise<vscode.Uri[]> {
  const found: vscode.Uri[] = [];
  for (const uri of uris) {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) {
      await imagesInFolder(uri, found);
    } else if (isImagePath(uri.path)) {
      found.push(uri);
    }
  }
  return found.slice(0, MAX_IMAGES_PER_REQUEST);
}

/**
 * The images "Classify image" works on: the explorer selection when run from its context menu
 * (folders stand for the images inside them), else the image in the active editor, else the
 * ones the user picks.
 */
export async function resolveImageTargets(clicked?: vscode.Uri, selection?: vscode.Uri[]): Promise<vscode.Uri[]> {
  const fromExplorer = selection?.length ? selection : clicked ? [clicked] : [];
  if (fromExplorer.length > 0) {
    return expandSelection(fromExplorer);
  }
  const active = activeEditorImage();
  if (active) {
    return [active];
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: 'Classify',
    title: 'Choose images to classify',
    filters: { Images: [...IMAGE_EXTENSIONS] },
  });
  return picked ?? [];
}
