import * as vscode from 'vscode';
import { ModelStore } from './model/modelStore';

/**
 * The extension's global storage as a local path (the data set and the trained model live there).
 * This is a Node extension: its host runs where its storage is a local `file:` folder, even when
 * the workspace is virtual or remote, so `fsPath` is right for this URI and for no workspace URI.
 */
export function storagePath(context: vscode.ExtensionContext): string {
  const uri = context.globalStorageUri;
  if (uri.scheme !== 'file') {
    throw new Error(`The extension's storage is not a local folder (${uri.toString()}).`);
  }
  return uri.fsPath;
}

/** The trained runs in the extension's storage; `onSaveRetry` hears of each save tried again. */
export function openModelStore(
  context: vscode.ExtensionContext,
  onSaveRetry?: (error: unknown, attempt: number) => void,
): Promise<ModelStore> {
  return ModelStore.open(storagePath(context), { limit: runHistoryLimit(), onSaveRetry });
}

/**
 * How many runs are kept: the `fashionClassifier.runHistoryLimit` setting, 20 unless set. The runs
 * are kept once for all workspaces, so only the user's own value counts: a repository's
 * `.vscode/settings.json` must not delete a person's other runs. (The setting's application
 * scope makes VS Code ignore workspace values too; this holds whatever an editor does with it.)
 */
export function runHistoryLimit(): number {
  const value = vscode.workspace.getConfiguration('fashionClassifier').inspect<unknown>('runHistoryLimit')?.globalValue;
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 200 ? (value as number) : 20;
}

/** The first workspace folder on the local disk, if any: a relative data set path is resolved against it. */
export function firstLocalWorkspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri.fsPath;
}
