import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, normalizeSettings, TrainingSettings } from './shared/settings';

export const CONFIG_SECTION = 'fashionClassifier';

/** Reads the `fashionClassifier.*` settings in force, repaired where hand-edited values are off. */
export function readTrainingSettings(): TrainingSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const raw: Partial<Record<keyof TrainingSettings, unknown>> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof TrainingSettings)[]) {
    raw[key] = config.get(key);
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
