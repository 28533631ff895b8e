import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, normalizeSettings, TrainingSettings } from './shared/settings';

export const CONFIG_SECTION = 'fashionClassifier';

/**
 * Reads the `fashionClassifier.*` settings in force, repaired where hand-edited values are off.
 * Only values a person set count (user, workspace or folder settings); the rest are the model
 * preset's defaults, so epochs and batch size follow the preset unless set.
 */
export function readTrainingSettings(): TrainingSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const raw: Partial<Record<keyof TrainingSettings, unknown>> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof TrainingSettings)[]) {
    const set = config.inspect(key);
    // Not `??`: a seed set to null in a workspace (a new one per run) overrides a user's seed.
    raw[key] = [set?.workspaceFolderValue, set?.workspaceValue, set?.globalValue].find((value) => value !== undefined);
  }
  return normalizeSettings(raw);
}

/** Calls `listener` whenever a `fashionClassifier.*` setting changes. */
export function onTrainingSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(CONFIG_SECTION)) {
      listener();
    }
  });
}
