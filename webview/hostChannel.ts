// A panel's link to the extension host, whichever panel and message protocol it is.

export interface HostChannel<ToHost> {
  postMessage(message: ToHost): void;
}

declare function acquireVsCodeApi(): HostChannel<unknown>;

/** The page's handle on the host; VS Code allows one `acquireVsCodeApi` call per page. */
export function acquireHostChannel<ToHost>(): HostChannel<ToHost> {
  return acquireVsCodeApi();
}

/**
 * Handles the host's messages one at a time, in order, since each may wait on TF.js or a fetch.
 * A failed message goes to `onError` and the next one is still handled.
 */
export function onHostMessagesInOrder<FromHost>(
  handle: (message: FromHost) => Promise<void>,
  onError: (error: unknown, message: FromHost) => void,
): void {
  let queue = Promise.resolve();
  window.addEventListener('message', (event: MessageEvent<FromHost>) => {
    const message = event.data;
    queue = queue.then(() => handle(message)).catch((error: unknown) => onError(error, message));
  });
}
