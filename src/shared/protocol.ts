// The one message protocol between the extension host and the classifier panel.
// Pure types: imported by `src/` (host) and `webview/` (panel). Messages travel as JSON.
import type { TrainingSettings } from './settings';

/** The panel has loaded its script and listens; the host posts nothing before this. */
export interface ReadyMessage {
  type: 'ready';
}

/** The panel reports an error it could not handle itself, to be shown by the host. */
export interface PanelErrorMessage {
  type: 'panelError';
  message: string;
}

/** Answer to `ready`: the settings in force for this panel. */
export interface InitMessage {
  type: 'init';
  settings: TrainingSettings;
}

/** The settings changed while the panel was open. */
export interface SettingsChangedMessage {
  type: 'settingsChanged';
  settings: TrainingSettings;
}

export type WebviewToHost = ReadyMessage | PanelErrorMessage;
export type HostToWebview = InitMessage | SettingsChangedMessage;

/** Ends a switch over a union: the compiler flags any message type left unhandled. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}
