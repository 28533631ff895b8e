// Messages between the host and the "Classification results" panel. Same rules as protocol.ts:
// the panel speaks first (`ready`); image bytes travel as ArrayBuffers.
import type { CommonWebviewMessage, Problem } from './panelMessages';
import type { TrainingSettings } from './settings';

/** One picked file, read by the host, or the reason it could not be. */
export interface ImageToClassify {
  id: number;
  /** Workspace-relative path shown to the person. */
  name: string;
  /** The file's bytes; absent when `error` says why the host did not read them. */
  bytes?: ArrayBuffer;
  /** Size from the file's header, so the panel can decode a large picture straight to a small one. */
  width?: number;
  height?: number;
  error?: string;
}

/** What became of one picture. */
export interface ClassificationSummary {
  name: string;
  predictedClass?: number;
  confidence?: number;
  error?: string;
}

// ---- panel to host ----

/** Put this text on the clipboard (webviews cannot always write it themselves). */
export interface CopyResultsMessage {
  type: 'copyResults';
  text: string;
  format: 'Markdown' | 'JSON';
}

/** Reply to `classify`: the results are on screen, or the whole request failed (`problem`). */
export interface ClassifiedMessage {
  type: 'classified';
  inReplyTo: number;
  results: ClassificationSummary[];
  problem?: Problem;
}

export type ResultsWebviewToHost = CommonWebviewMessage | CopyResultsMessage | ClassifiedMessage;

// ---- host to panel ----

/**
 * Request: classify these images with the saved model at `modelUrl` (model.json). A request
 * classifies one group of a larger one (`request`): `done` pictures of `total` came before it
 * (0 starts afresh, replacing what the panel showed). Groups of an older request that arrive
 * after a newer one began are classified and answered, but not shown.
 */
export interface ClassifyMessage {
  type: 'classify';
  id: number;
  request: number;
  done: number;
  total: number;
  modelUrl: string;
  /** Changes whenever a new model is saved, so the panel knows to reload it. */
  modelVersion: string;
  settings: TrainingSettings;
  images: ImageToClassify[];
}

export type ResultsHostToWebview = ClassifyMessage;
