// The message protocol between the extension host and the classifier panel: the events each side
// posts, and the requests the page makes of the host with their replies (see messaging.ts).
// Pure types: imported by `src/` (host) and `webview/` (panel). Messages travel as JSON, except
// ArrayBuffers, which VS Code transfers as binary. What every panel sends (ready, log,
// userAction) is in panelMessages.ts, and PanelHost consumes it: it is not in these unions.
import type { Calibration } from './backendCalibration';
import type { BackendName } from './backendPolicy';
import type { DatasetRole } from './datasetFiles';
import type { EpochMetrics } from './ml/history';
import type { Problem } from './panelMessages';
import type { PanelSection } from './panelSections';
import type { SavedRun } from './savedRun';
import type { TrainingSettings } from './settings';

// ---- panel to host ----

/** The backend TF.js runs on, chosen when the panel starts or the backend setting changes. */
export interface BackendChosenMessage {
  type: 'backendChosen';
  backend: BackendName;
  /** The WebGL renderer, or null without WebGL. */
  glRenderer: string | null;
  reason: string;
}

/** "auto" chose the backend by timing them (now, or earlier: `measuredMs` is then absent). */
export interface BackendCalibratedMessage {
  type: 'backendCalibrated';
  /** calibrationKey(glRenderer, settings): the host keeps it with the extension's version. */
  key: string;
  model: TrainingSettings['model'];
  batchSize: number;
  glRenderer: string | null;
  calibration: Calibration;
  /** How long timing them took, when they were timed now. */
  measuredMs?: number;
}

/** A training run began with these settings. */
export interface TrainingStartedMessage {
  type: 'trainingStarted';
  backend: BackendName;
  settings: TrainingSettings;
  trainCount: number;
  validationCount: number;
  /** When the run is one of a repeat or sweep: which one, for the progress notification and the log. */
  experiment?: ExperimentRunInfo;
}

/** A run's place in the experiment (repeat or sweep) it belongs to. */
export interface ExperimentRunInfo {
  /** e.g. "Repeat ×3" or "Sweep of learning rate". */
  label: string;
  /** From 1. */
  run: number;
  runs: number;
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

/** An epoch is complete (its validation included). */
export interface EpochEndedMessage {
  type: 'epochEnded';
  metrics: EpochMetrics;
  epochs: number;
}

/** The run ended; `outcome` says how. Nothing was saved unless a `saveModel` request preceded it. */
export interface TrainingEndedMessage {
  type: 'trainingEnded';
  outcome: 'completed' | 'stopped' | 'failed';
  /** For a failed run, or a completed one whose model could not be saved: what the panel shows. */
  problem?: Problem;
  /** For a completed run: its test accuracy. */
  testAccuracy?: number;
}

/** The person changed a setting in the panel; the host writes it to the user's settings. */
export interface UpdateSettingMessage {
  type: 'updateSetting';
  key: keyof TrainingSettings;
  value: TrainingSettings[keyof TrainingSettings];
}

/** "Reset to the tutorial's values": the host clears every training setting the person set. */
export interface ResetSettingsMessage {
  type: 'resetSettings';
}

/** Make this run's model the one "Classify image" uses. */
export interface SelectRunMessage {
  type: 'selectRun';
  id: string;
}

/** Delete this run and its model files. */
export interface DeleteRunMessage {
  type: 'deleteRun';
  id: string;
}

/** Open this run as a Keras notebook ("Open as Keras notebook" in the run history). */
export interface OpenRunNotebookMessage {
  type: 'openRunNotebook';
  id: string;
}

/** A trained model and its run, as the page hands them to the host to store. */
export interface ModelFiles {
  /** model.json content as TF.js' layers format writes it, without the weights manifest paths. */
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
  run: SavedRun;
}

/**
 * The answer to `saveModel`: the new run's id, or, when it could not be written even after
 * retries, the problem as the panel shows it (the host keeps the model meanwhile: see
 * UnsavedModelMessage).
 */
export type SaveModelReply = { runId: string; unsaved?: undefined } | { unsaved: Problem; runId?: undefined };

/** Kept runs as CSV (settings, epoch curves and results; see experiments/runsCsv.ts), to a file or the clipboard. */
export interface ExportRunsRequest {
  /** The runs, in the order their rows come. */
  ids: string[];
  /** `file` asks where to save it; `clipboard` copies it. */
  to: 'file' | 'clipboard';
}

/** What became of an export: where the file went, or that it was copied, or that the person cancelled. */
export type ExportRunsReply =
  { done: 'saved'; path: string; runs: number } | { done: 'copied'; runs: number } | { done: 'cancelled' };

/** The requests the page makes of the host, with their replies. (A type, not an interface: it is a RequestMap.) */
export type ClassifierRequests = {
  /** Store this trained model and its run as a new run, selected for "Classify image". */
  saveModel: { request: ModelFiles; reply: SaveModelReply };
  /** Export these kept runs as CSV. */
  exportRuns: { request: ExportRunsRequest; reply: ExportRunsReply };
};

/** Events the classifier page posts to the host. */
export type ClassifierToHost =
  | BackendChosenMessage
  | BackendCalibratedMessage
  | TrainingStartedMessage
  | TrainingProgressMessage
  | EpochEndedMessage
  | TrainingEndedMessage
  | UpdateSettingMessage
  | ResetSettingsMessage
  | SelectRunMessage
  | DeleteRunMessage
  | OpenRunNotebookMessage;

// ---- host to panel ----

/** Answer to `ready`: the settings in force and the last saved run, if any, with its model's URL. */
export interface InitMessage {
  type: 'init';
  settings: TrainingSettings;
  savedRun?: SavedRun;
  /** model.json of the saved run, for looking inside its evaluation. */
  savedModelUrl?: string;
  /** Backend timings this editor made earlier with this version, by calibrationKey. */
  calibrations: Record<string, Calibration>;
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
  /** gzip copies, fetched first when present (fewer bytes); the panel checks what it unpacks. */
  compactUrls: Partial<Record<DatasetRole, string>>;
  /** Where the files came from, for the learner (e.g. "Debian's dataset-fashion-mnist"). */
  sourceDescription: string;
}

/** The data set could not be made ready: why, and what to do. */
export interface DatasetFailedMessage {
  type: 'datasetFailed';
  problem: Problem;
}

/** A kept run, as the run history lists it (its predictions stay on disk). */
export interface RunSummary {
  id: string;
  run: Omit<SavedRun, 'predictions'>;
  /** Bytes of its three files. */
  bytes: number;
  /** The run "Classify image" uses. */
  selected: boolean;
}

/** The kept runs, newest first, with the storage they use and how many are kept. */
export interface RunsMessage {
  type: 'runs';
  runs: RunSummary[];
  usageBytes: number;
  limit: number;
}

/** Stop the running training between two batches (the notification's Cancel button). */
export interface StopTrainingMessage {
  type: 'stopTraining';
}

/**
 * What became of a trained model the store could not take: still unsaved (`problem` says why and
 * offers Save again and Export…), or saved now as `savedRunId`, or given up (neither).
 */
export interface UnsavedModelMessage {
  type: 'unsavedModel';
  problem?: Problem;
  savedRunId?: string;
}

/**
 * A run this panel's page began did not end: the page went away (its panel closed, the window
 * reloaded) while it trained. `problem` says which run, and that nothing of it was saved.
 */
export interface RunUnfinishedMessage {
  type: 'runUnfinished';
  problem: Problem;
}

/** Events the host posts to the classifier page. */
export type HostToClassifier =
  | InitMessage
  | SettingsChangedMessage
  | DatasetLoadingMessage
  | DatasetReadyMessage
  | DatasetFailedMessage
  | StopTrainingMessage
  | RunsMessage
  | UnsavedModelMessage
  | RunUnfinishedMessage
  | RevealSectionMessage;

/** The classifier panel's protocol, as PanelHost and the page's channel take it. */
export interface ClassifierProtocol {
  toPage: HostToClassifier;
  fromPage: ClassifierToHost;
  pageAnswers: Record<never, never>;
  hostAnswers: ClassifierRequests;
}

/** Ends a switch over a union: the compiler flags any message type left unhandled. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}

/** The messages of a training run, which the host's status bar and walkthrough follow. */
export type TrainingMessage =
  TrainingStartedMessage | TrainingProgressMessage | EpochEndedMessage | TrainingEndedMessage;

/** Scroll to a section and put the keyboard focus on its heading (a walkthrough step's link). */
export interface RevealSectionMessage {
  type: 'revealSection';
  section: PanelSection;
}
