// The one message protocol between the extension host and the classifier panel.
// Pure types: imported by `src/` (host) and `webview/` (panel). Messages travel as JSON, except
// ArrayBuffers, which VS Code transfers as binary.
import type { DatasetRole } from './datasetFiles';
import type { SavedRun } from './savedRun';
import type { TrainingSettings } from './settings';

// ---- panel to host ----

/** The panel has loaded its script and listens; the host posts nothing before this. */
export interface ReadyMessage {
  type: 'ready';
}

/** The panel reports an error it could not handle itself, to be shown by the host. */
export interface PanelErrorMessage {
  type: 'panelError';
  message: string;
}

/** A training run began. */
export interface TrainingStartedMessage {
  type: 'trainingStarted';
  epochs: number;
  backend: string;
}

/** Progress within the run, a few times per second at most. */
export interface TrainingProgressMessage {
  type: 'trainingProgress';
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** Fraction of the whole run done, 0-1. */
  fraction: number;
  /** Estimate, or null before the first batches are timed. */
  secondsLeft: number | null;
}

/** The run ended; `outcome` says how. Nothing was saved unless a `saveModel` request preceded it. */
export interface TrainingEndedMessage {
  type: 'trainingEnded';
  outcome: 'completed' | 'stopped' | 'failed';
  message?: string;
}

/** Request: store this trained model and its run, replacing the saved one only when complete. */
export interface SaveModelRequest {
  type: 'saveModel';
  id: number;
  /** model.json content as TF.js' layers format writes it, without the weights manifest paths. */
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
  run: SavedRun;
}

export type WebviewToHost =
  | ReadyMessage
  | PanelErrorMessage
  | TrainingStartedMessage
  | TrainingProgressMessage
  | TrainingEndedMessage
  | SaveModelRequest;

// ---- host to panel ----

/** Answer to `ready`: the settings in force and the last saved run, if any. */
export interface InitMessage {
  type: 'init';
  settings: TrainingSettings;
  savedRun?: SavedRun;
}

/** The settings changed while the panel was open. */
export interface SettingsChangedMessage {
  type: 'settingsChanged';
  settings: TrainingSettings;
}

/** The host is finding, verifying or downloading the data set. */
export interface DatasetLoadingMessage {
  type: 'datasetLoading';
}

/** The verified data set files, as URLs the panel may fetch. */
export interface DatasetReadyMessage {
  type: 'datasetReady';
  urls: Record<DatasetRole, string>;
  /** Where the files came from, for the learner (e.g. "Debian's dataset-fashion-mnist"). */
  sourceDescription: string;
}

/** The data set could not be made ready; the message says what to do. */
export interface DatasetFailedMessage {
  type: 'datasetFailed';
  message: string;
}

/** Stop the running training between two batches (the notification's Cancel button). */
export interface StopTrainingMessage {
  type: 'stopTraining';
}

/** Reply to `saveModel`: saved, or the error that prevented it (the previous model is intact). */
export interface ModelSavedMessage {
  type: 'modelSaved';
  inReplyTo: number;
  error?: string;
}

export type HostToWebview =
  | InitMessage
  | SettingsChangedMessage
  | DatasetLoadingMessage
  | DatasetReadyMessage
  | DatasetFailedMessage
  | StopTrainingMessage
  | ModelSavedMessage;

/** Ends a switch over a union: the compiler flags any message type left unhandled. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}
