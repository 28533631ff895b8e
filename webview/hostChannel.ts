// A panel's link to the extension host, whichever panel and message protocol it is: messages in
// order, requests with replies, the page's state across reloads, and every error of the page
// (caught or not) sent to the extension's log with its stack.
import { errorMessage } from '../src/shared/errorMessage';
import { CommonWebviewMessage, isReply, LogLevel, UserAction } from '../src/shared/panelMessages';
import { PendingRequests, Reply } from '../src/shared/requests';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection<ToHost> {
  post(message: ToHost | CommonWebviewMessage): void;
  /** Posts a request built around a fresh id; resolves with the host's reply, rejects with its error. */
  request<R extends Reply>(build: (id: number) => ToHost): Promise<R>;
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

/**
 * Connects the page to the host: `handle` gets the host's messages one at a time, in order, since
 * each may wait on TF.js or a fetch; a failed one goes to `onError` (and the log) and the next is
 * still handled. Replies settle the requests they answer instead.
 */
export function connectToHost<ToHost, FromHost extends object>(
  handle: (message: FromHost) => Promise<void>,
  onError: (error: unknown, message: FromHost) => void,
): HostConnection<ToHost> {
  // VS Code allows one acquireVsCodeApi call per page.
  const api = acquireVsCodeApi();
  const requests = new PendingRequests<Reply>();
  const log = (level: LogLevel, message: string, error?: unknown): void => {
    const stack = error instanceof Error ? error.stack : undefined;
    const text = error === undefined ? message : `${message}: ${errorMessage(error)}`;
    api.postMessage({ type: 'log', level, message: text, stack } satisfies CommonWebviewMessage);
  };
  let queue = Promise.resolve();
  window.addEventListener('message', (event: MessageEvent<FromHost>) => {
    const message = event.data;
    if (isReply(message)) {
      requests.settle(message);
      return;
    }
    queue = queue
      .then(() => handle(message))
      .catch((error: unknown) => {
        log('error', `Handling the host's ${(message as { type?: string }).type} message failed`, error);
        onError(error, message);
      });
  });
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
    request: <R extends Reply>(build: (id: number) => ToHost) =>
      requests.request((id) => api.postMessage(build(id))) as Promise<R>,
    log,
    act: (action) => api.postMessage({ type: 'userAction', action } satisfies CommonWebviewMessage),
    getState: <S>() => (api.getState() ?? undefined) as S | undefined,
    setState: (state) => api.setState(state),
    ready: () => api.postMessage({ type: 'ready' } satisfies CommonWebviewMessage),
  };
}
