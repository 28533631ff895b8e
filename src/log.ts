// The extension's log: the "Fashion Classifier" output channel, with levels, for what the
// extension did (data set source, backend, runs, saves) and every error with its stack, from the
// host and from the panels. Notifications and panels say what happened; the log says how.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The log channel, created on first use. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Fashion Classifier', { log: true });
  return channel;
}

/** Logs an error with its stack, under a line saying what was being done. */
export function logError(doing: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  log().error(`${doing}: ${detail}`);
}

export function showLog(): void {
  log().show(true);
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}
