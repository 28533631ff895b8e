// What every panel (the classifier and the results) says to the host besides its own protocol,
// and how a failure reaches a person: a message with the actions that fix it, shown where it
// happened. Pure types: imported by the host and by both webviews.
import type { RequestMap } from './messaging';

/** Something the person can do about a problem, offered as a button next to it. */
export type UserAction =
  /** Opens the Settings editor at this setting (e.g. fashionClassifier.datasetPath). */
  | { kind: 'openSetting'; setting: string }
  /** Looks for the data set again, without closing the panel. */
  | { kind: 'retryDataset' }
  /** Opens the classifier panel to train a model. */
  | { kind: 'trainNow' }
  /** Shows the extension's log, where every error has its details. */
  | { kind: 'showLog' }
  /** Trains again on WebAssembly, after the GPU was lost mid-run. */
  | { kind: 'trainOnWasm' }
  /** Tries again to store the trained model the store could not take. */
  | { kind: 'saveAgain' }
  /** Writes the trained model the store could not take to a folder the person picks. */
  | { kind: 'exportUnsaved' }
  /** Opens the drawing pad ("Draw a Garment"). */
  | { kind: 'drawGarment' };

/** A failure as a person reads it: whole sentences (what happened, why, what to do) and buttons. */
export interface Problem {
  message: string;
  actions: UserAction[];
}

/** The label of an action's button, the same wherever it appears. */
export function actionLabel(action: UserAction): string {
  switch (action.kind) {
    case 'openSetting':
      return 'Open Setting';
    case 'retryDataset':
      return 'Retry';
    case 'trainNow':
      return 'Train now';
    case 'showLog':
      return 'Show Log';
    case 'trainOnWasm':
      return 'Continue on WebAssembly';
    case 'saveAgain':
      return 'Save again';
    case 'exportUnsaved':
      return 'Export…';
    case 'drawGarment':
      return 'Draw a garment';
  }
}

/** The panel has loaded its script and listens; the host posts nothing before this. */
export interface ReadyMessage {
  type: 'ready';
}

export type LogLevel = 'info' | 'warn' | 'error';

/** A line for the extension's log: what the panel did, or an error with its stack. */
export interface LogMessage {
  type: 'log';
  level: LogLevel;
  message: string;
  stack?: string;
}

/** The person clicked an action's button in the panel. */
export interface UserActionMessage {
  type: 'userAction';
  action: UserAction;
}

/** Messages every panel may send, whatever its own protocol. */
export type CommonWebviewMessage = ReadyMessage | LogMessage | UserActionMessage;

/**
 * A panel's protocol: the events each side posts, and the requests each side answers with their
 * replies. The common messages above are not in it: PanelHost and the page's channel handle them.
 */
export interface PanelProtocol {
  /** Events the host posts to the page. */
  toPage: { type: string };
  /** Events the page posts to the host. */
  fromPage: { type: string };
  /** Requests the host makes and the page answers. */
  pageAnswers: RequestMap;
  /** Requests the page makes and the host answers. */
  hostAnswers: RequestMap;
}
