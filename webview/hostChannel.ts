// A panel's link to the extension host, whichever panel and message protocol it is: the host's
// messages handled in order, the host's requests answered by handlers (their return value is the
// reply), the page's own requests with a deadline, the page's state across reloads, and every
// error of the page (caught or not) sent to the extension's log with its stack.
import { errorMessage } from '../src/shared/errorMessage';
import {
  answer,
  isReply,
  PendingRequests,
  requestIdOf,
  type RequestHandlers,
  type RequestMessage,
} from '../src/shared/messaging';
import type { CommonWebviewMessage, LogLevel, PanelProtocol, UserAction } from '../src/shared/panelMessages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection<P extends PanelProtocol> {
  post(message: P['fromPage']): void;
  /** Asks the host; resolves with its reply, rejects with its error or when `deadlineMs` pass. */
  request<K extends keyof P['hostAnswers'] & string>(
    type: K,
    fields: P['hostAnswers'][K]['request'],
    deadlineMs: number,
  ): Promise<P['hostAnswers'][K]['reply']>;
  /** A line for the extension's log; an error's stack goes with it. */
  log(level: LogLevel, message: string, error?: unknown): void;
  /** The person clicked an action's button. */
  act(action: UserAction): void;
  /** What the page keeps across being hidden and window reloads (VS Code's webview state). */
  getState<S>(): S | undefined;
  setState<S>(state: S): void;
  /** Tells the host the page listens; call once the page can handle messages. */
  ready(): void;
}

export interface HostHandlers<P extends PanelProtocol> {
  /** The host's events, one at a time, in order, since each may wait on TF.js or a fetch. */
  onEvent(message: P['toPage']): Promise<void> | void;
  /** What answers each of the host's requests; they take their turn with the events. */
  requests: RequestHandlers<P['pageAnswers']>;
  /** Events handled the moment they arrive, not after those before them: a cancel for the work under way. */
  immediate?(message: P['toPage']): boolean;
  /** A failed event; the next is still handled. */
  onError(error: unknown, message: P['toPage']): void;
}

/** Connects the page to the host. No message arrives before `ready()`. */
export function connectToHost<P extends PanelProtocol>(handlers: HostHandlers<P>): HostConnection<P> {
  // VS Code allows one acquireVsCodeApi call per page.
  const api = acquireVsCodeApi();
  const requests = new PendingRequests<P['hostAnswers']>('the editor');
  const log = (level: LogLevel, message: string, error?: unknown): void => {
    const stack = error instanceof Error ? error.stack : undefined;
    const text = error === undefined ? message : `${message}: ${errorMessage(error)}`;
    api.postMessage({ type: 'log', level, message: text, stack } satisfies CommonWebviewMessage);
  };
  const handle = async (message: P['toPage'] | RequestMessage<P['pageAnswers']>): Promise<void> => {
    if (requestIdOf(message) === undefined) {
      await handlers.onEvent(message as P['toPage']);
      return;
    }
    const request = message as RequestMessage<P['pageAnswers']>;
    const reply = await answer(handlers.requests, request);
    if (reply.error !== undefined) {
      log('error', `Answering the host's ${request.type} request failed: ${reply.error}`);
    }
    api.postMessage(reply);
  };
  let queue = Promise.resolve();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data as P['toPage'] | RequestMessage<P['pageAnswers']>;
    if (isReply(message)) {
      requests.settle(message);
      return;
    }
    if (handlers.immediate?.(message as P['toPage'])) {
      void handle(message).catch((error: unknown) => fail(error, message as P['toPage']));
      return;
    }
    queue = queue.then(() => handle(message)).catch((error: unknown) => fail(error, message as P['toPage']));
  });
  const fail = (error: unknown, message: P['toPage']): void => {
    log('error', `Handling the host's ${message.type} message failed`, error);
    handlers.onError(error, message);
  };
  // Errors nothing caught still reach the log, instead of only the webview's developer tools.
  window.addEventListener('error', (event) => {
    // The browser reports a layout that settled a frame late as an "error" with no error object
    // (the charts resize with the panel); nothing failed, so it is not one for the log.
    if (!event.error && /^ResizeObserver loop/.test(event.message)) {
      return;
    }
    log('error', 'Uncaught error in the panel', event.error ?? event.message);
  });
  window.addEventListener('unhandledrejection', (event) =>
    log('error', 'Unhandled rejection in the panel', event.reason),
  );

  return {
    post: (message) => api.postMessage(message),
    request: (type, fields, deadlineMs) =>
      requests.request(type, fields, (message) => api.postMessage(message), { deadlineMs }),
    log,
    act: (action) => api.postMessage({ type: 'userAction', action } satisfies CommonWebviewMessage),
    getState: <S>() => (api.getState() ?? undefined) as S | undefined,
    setState: (state) => api.setState(state),
    ready: () => api.postMessage({ type: 'ready' } satisfies CommonWebviewMessage),
  };
}
