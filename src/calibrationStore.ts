// Backend timings ("auto") kept in the editor's global state, so that later runs start at once.
// They belong to this extension version (its kernels set the WASM figures): another version's are
// dropped. The number kept is capped, oldest out first.
import type * as vscode from 'vscode';
import { parseCalibration, type Calibration } from './shared/backendCalibration';

const STATE_KEY = 'backendCalibrations';
const MOST_KEPT = 50;

interface StoredCalibrations {
  version: string;
  entries: Record<string, Calibration>;
}

function extensionVersion(context: vscode.ExtensionContext): string {
  return String(context.extension.packageJSON.version);
}

/** This version's calibrations by calibrationKey; anything unreadable is left out. */
export function keptCalibrations(context: vscode.ExtensionContext): Record<string, Calibration> {
  const stored = context.globalState.get<StoredCalibrations>(STATE_KEY);
  if (!stored || stored.version !== extensionVersion(context) || typeof stored.entries !== 'object') {
    return {};
  }
  const entries: Record<string, Calibration> = {};
  for (const [key, raw] of Object.entries(stored.entries ?? {})) {
    const calibration = parseCalibration(raw);
    if (calibration) {
      entries[key] = calibration;
    }
  }
  return entries;
}

export async function keepCalibration(
  context: vscode.ExtensionContext,
  key: string,
  calibration: Calibration,
): Promise<void> {
  const entries = Object.entries(keptCalibrations(context)).filter(([k]) => k !== key);
  entries.push([key, calibration]);
  const stored: StoredCalibrations = {
    version: extensionVersion(context),
    entries: Object.fromEntries(entries.slice(-MOST_KEPT)),
  };
  await context.globalState.update(STATE_KEY, stored);
}
