// Messages between the host and the "Classification results" panel. Same rules as protocol.ts:
// the panel speaks first (`ready`); image bytes travel as ArrayBuffers; the host asks the page to
// classify (a request, answered with what became of each picture).
import type { Problem } from './panelMessages';
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

/** Reply to `classify`: the results are on screen, or the whole group failed (`problem`). */
export interface Classified {
  results: ClassificationSummary[];
  problem?: Problem;
}

/** Events the results page posts to the host. */
export type ResultsToHost = CopyResultsMessage;

// ---- host to panel ----

/**
 * Request: classify these images with the saved model at `modelUrl` (model.json). A request
 * classifies one group of a larger one (`request`): `done` pictures of `total` came before it
 * (0 starts afresh, replacing what the panel showed). Groups of an older request that arrive
 * after a newer one began are classified and answered, but not shown.
 */
export interface ClassifyRequest {
  request: number;
  done: number;
  total: number;
  modelUrl: string;
  /** Changes whenever a new model is saved, so the panel knows to reload it. */
  modelVersion: string;
  settings: TrainingSettings;
  images: ImageToClassify[];
}

/**
 * Stop classifying the group of `request` after the picture under way: the person cancelled, and
 * the host no longer waits. Handled at once, not after the group it stops.
 */
export interface CancelClassificationMessage {
  type: 'cancelClassification';
  request: number;
}

/** Events the host posts to the results page. */
export type HostToResults = CancelClassificationMessage;

/** The requests the host makes of the results page, with their replies. (A type, not an interface: it is a RequestMap.) */
export type ResultsRequests = {
  classify: { request: ClassifyRequest; reply: Classified };
};

/** The results panel's protocol, as PanelHost and the page's channel take it. */
export interface ResultsProtocol {
  toPage: HostToResults;
  fromPage: ResultsToHost;
  pageAnswers: ResultsRequests;
  hostAnswers: Record<never, never>;
}
