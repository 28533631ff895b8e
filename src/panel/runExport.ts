// "Save as CSV…" and "Copy as CSV" of the run history: the host reads the runs from the store
// (the page names them) and writes their settings, epoch curves and results as CSV to a file the
// person picks or to the clipboard, which a webview cannot always write itself.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { log } from '../log';
import type { ModelStore } from '../model/modelStore';
import { runsToCsv } from '../shared/experiments/runsCsv';
import type { ExportRunsReply, ExportRunsRequest } from '../shared/protocol';

/** Where the save dialog starts: the first workspace folder (virtual ones too), else the home folder. */
function defaultTarget(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  return vscode.Uri.joinPath(folder, 'fashion-classifier-runs.csv');
}

export async function exportRuns(store: ModelStore, request: ExportRunsRequest): Promise<ExportRunsReply> {
  const kept = new Map((await store.list()).map((stored) => [stored.id, stored]));
  const runs = request.ids.flatMap((id) => {
    const stored = kept.get(id);
    if (!stored) {
      return [];
    }
    // The CSV has no column for the prediction gallery; a SavedRun is a CsvRun's run as it is.
    return [{ id, run: stored.run }];
  });
  if (runs.length === 0) {
    throw new Error('None of the runs to export is kept any more; the run history shows the runs there are.');
  }
  const csv = runsToCsv(runs);
  if (request.to === 'clipboard') {
    await vscode.env.clipboard.writeText(csv);
    log().info(`Copied ${runs.length} run(s) as CSV (${csv.length} characters).`);
    return { done: 'copied', runs: runs.length };
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultTarget(),
    filters: { 'CSV (comma-separated values)': ['csv'] },
    saveLabel: 'Save runs as CSV',
    title: `Save ${runs.length} run(s) as CSV`,
  });
  if (!target) {
    return { done: 'cancelled' };
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv));
  const path = target.scheme === 'file' ? target.fsPath : target.toString();
  log().info(`Saved ${runs.length} run(s) as CSV to ${path}.`);
  return { done: 'saved', path, runs: runs.length };
}
