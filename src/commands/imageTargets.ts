import * as vscode from 'vscode';
import { IMAGE_EXTENSIONS, isImagePath } from '../shared/imageFiles';

/** The image shown in the active editor tab, if any (images open in a custom editor, not a text one). */
function activeEditorImage(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) {
    return isImagePath(input.uri.path) ? input.uri : undefined;
  }
  return undefined;
}

/**
 * The images "Classify image" works on: the explorer selection when run from its context menu,
 * else the image in the active editor, else the ones the user picks.
 */
export async function resolveImageTargets(clicked?: vscode.Uri, selection?: vscode.Uri[]): Promise<vscode.Uri[]> {
  const fromExplorer = (selection?.length ? selection : clicked ? [clicked] : []).filter((uri) => isImagePath(uri.path));
  if (fromExplorer.length > 0) {
    return fromExplorer;
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
