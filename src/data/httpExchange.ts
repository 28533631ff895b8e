// The HTTP exchanges of one file's download, with the timeouts that keep a bad server from holding
// it forever: the server must answer within the connect timeout, never fall silent for the idle
// timeout, and deliver the whole file, redirects included, before the deadline.
import * as http from 'node:http';
import * as https from 'node:https';
import { DatasetCancelledError, DatasetError, isAbortError } from './datasetError';
import { errorMessage } from '../shared/errorMessage';

/** How patient a download is, and whom it trusts; tests shorten the times. */
export interface TransferOptions {
  /**
   * Give up when the server has not answered (connected, and sent its response headers) within
   * this long: a blocked or dead address should hand over to the next one quickly.
   */
  connectTimeoutMs?: number;
  /** Give up when the server sends nothing for this long (a stalled connection never ends by itself). */
  idleTimeoutMs?: number;
  /** Give up when the file, redirects included, has not arrived within this long: a trickle beats any idle timeout. */
  deadlineMs?: number;
  /** Certificate authorities trusted for https instead of Node's own; tests pass their self-signed certificate. */
  ca?: string | Buffer;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** Time for the largest file (26 MB gzipped) at 15 KB/s: any working connection gets there. */
const DEFAULT_DEADLINE_MS = 30 * 60_000;

/** One HTTP exchange, and the reason we ended the transfer ourselves, if we did. */
export interface Exchange {
  response: http.IncomingMessage;
  failure(): DatasetError | undefined;
}

/** The exchanges of one file's download, under one deadline. Call `end` when done with it. */
export class Transfer {
  private failure: DatasetError | undefined;
  private request: http.ClientRequest | undefined;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    label: string,
    private readonly options: TransferOptions & { signal?: AbortSignal },
  ) {
    const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.deadline = setTimeout(
      () => this.stop(new DatasetError(`${label}: not complete after ${seconds(deadlineMs)}; the server is too slow.`)),
      deadlineMs,
    );
  }

  /** Starts a GET of `url` and resolves with its response headers. */
  get(url: URL): Promise<Exchange> {
    return new Promise((resolve, reject) => {
      const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
      if (this.failure || !client) {
        reject(this.failure ?? new DatasetError(`${url.href}: only http and https addresses can be downloaded.`));
        return;
      }
      const { signal, ca } = this.options;
      const connectMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
      const idleMs = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
      const unanswered = setTimeout(
        () => this.stop(new DatasetError(`${url.href}: ${url.host} did not answer within ${seconds(connectMs)}.`)),
        connectMs,
      );
      // identity: a server that compressed the .gz once more would only waste time.
      const request = client.get(
        url,
        { signal, headers: { 'accept-encoding': 'identity' }, ...(client === https && ca ? { ca } : {}) },
        (response) => {
          clearTimeout(unanswered);
          resolve({ response, failure: () => this.failure });
        },
      );
      this.request = request;
      // Armed once connected: from then on it covers waiting for the headers and for each chunk of the body.
      request.setTimeout(idleMs, () =>
        this.stop(
          new DatasetError(`${url.href}: no data from ${url.host} for ${seconds(idleMs)}; the connection stalled.`),
        ),
      );
      request.on('error', (error) => {
        clearTimeout(unanswered);
        reject(this.failure ?? networkError(error, `${url.href}: the request failed`, signal));
      });
    });
  }

  /** Stops the deadline; the exchanges themselves end with their responses. */
  end(): void {
    clearTimeout(this.deadline);
  }

  /** Ends the exchange under way with `failure`, which is what the download then reports. */
  private stop(failure: DatasetError): void {
    this.failure ??= failure;
    this.request?.destroy(this.failure);
  }
}

/** The error to report for a failed request or body: a cancel, our own DatasetError, or the network's. */
export function networkError(
  error: unknown,
  label: string,
  signal: AbortSignal | undefined,
): DatasetError | DatasetCancelledError {
  if (signal?.aborted || isAbortError(error)) {
    return new DatasetCancelledError();
  }
  if (error instanceof DatasetError) {
    return error;
  }
  const message = errorMessage(error);
  return new DatasetError(`${label} (${message}).`);
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
