import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, normalizeSettings, TrainingSettings, valueSetByPerson } from './shared/settings';

export const CONFIG_SECTION = 'fashionClassifier';

/**
 * Reads the `fashionClassifier.*` settings in force, repaired where hand-edited values are off.
 * Only values a person set count (user, workspace or folder settings), the most specific scope
 * first; the rest are the model preset's defaults, so epochs, batch size, learning rate and decay
 * follow the preset unless set. `inspect`, not `get`: the manifest's default for those is null,
 * which says "the preset's" in the Settings editor and must not hide the preset here.
 */
export function readTrainingSettings(): TrainingSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const raw: Partial<Record<keyof TrainingSettings, unknown>> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof TrainingSettings)[]) {
    const set = config.inspect(key);
    raw[key] = set && valueSetByPerson(set);
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
