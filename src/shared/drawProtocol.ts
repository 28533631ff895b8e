// Messages between the host and the "Draw a garment" pad. Same rules as protocol.ts: the pad
// speaks first (`ready`); the host answers with the model to classify with (and again whenever
// another run's model is selected); the pad asks the host to save a drawing, which only the host
// can write into the workspace. Pixels travel as an ArrayBuffer.
import type { Problem } from './panelMessages';
import type { BackendChoice } from './settings';

/** The saved model "Classify image" uses, as the pad loads it. */
export interface PadModel {
  /** model.json as a webview URI. */
  url: string;
  /** The run's id: it changes whenever another model is selected, so the pad knows to reload. */
  version: string;
  backend: BackendChoice;
}

// ---- host to pad ----

/** The model to classify with, or (no model yet) the problem to show with its "Train now". */
export interface PadModelMessage {
  type: 'padModel';
  model?: PadModel;
  problem?: Problem;
}

/** Events the host posts to the pad. */
export type HostToPad = PadModelMessage;

// ---- pad to host ----

/** Request: write this grayscale picture into the workspace as a PNG, where the person says. */
export interface SaveDrawingRequest {
  width: number;
  height: number;
  /** One byte per pixel, row-major, width × height bytes. */
  pixels: ArrayBuffer;
}

/** Reply to `saveDrawing`: where it went (workspace-relative when it is in the workspace), or nothing when the person cancelled. */
export interface SavedDrawing {
  savedAs?: string;
}

/** The requests the pad makes of the host, with their replies. (A type, not an interface: it is a RequestMap.) */
export type PadRequests = {
  saveDrawing: { request: SaveDrawingRequest; reply: SavedDrawing };
};

/** The pad's protocol, as PanelHost and the page's channel take it. The pad posts no events of its own. */
export interface DrawProtocol {
  toPage: HostToPad;
  fromPage: never;
  pageAnswers: Record<never, never>;
  hostAnswers: PadRequests;
}
