// Downloads one data set file over http(s) straight into place, verified. Node's own clients:
// inside the editor they go through its proxy settings, and no dependency is needed.
import * as http from 'node:http';
import * as https from 'node:https';
import type { DatasetFileSpec } from '../shared/datasetFiles';
import { DatasetCancelledError, DatasetError, isAbortError } from './datasetError';
import { formatBytes, installVerified } from './verifyFile';
import { errorMessage } from '../shared/errorMessage';

export interface DownloadOptions {
  /** Network bytes received so far, and the total when the server announced one. */
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
  /** Give up when the server sends nothing for this long (a stalled connection never ends by itself). */
  idleTimeoutMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** One HTTP exchange, and the reason we ended it ourselves, if we did. */
interface Exchange {
  response: http.IncomingMessage;
  failure(): DatasetError | undefined;
}

/**
 * Downloads `url` (gzip or plain) to `dest` as the decompressed, verified content of `file`.
 * Throws a DatasetError naming the address and what went wrong (HTTP status, broken connection,
 * short body, wrong content) or a DatasetCancelledError; either way `dest` is left as it was
 * and no `.part` file remains.
 */
export async function downloadVerified(
  url: string,
  file: DatasetFileSpec,
  dest: string,
  options: DownloadOptions = {},
): Promise<void> {
  if (options.signal?.aborted) {
    throw new DatasetCancelledError();
  }
  const exchange = await follow(new URL(url), options, MAX_REDIRECTS);
  const header = exchange.response.headers['content-length'];
  const total = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
  await installVerified(body(exchange, total, url, options), file, dest, url, options.signal);
}

async function follow(url: URL, options: DownloadOptions, redirectsLeft: number): Promise<Exchange> {
  const exchange = await get(url, options);
  const { response } = exchange;
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (REDIRECTS.has(status) && location) {
    response.destroy();
    if (redirectsLeft === 0) {
      throw new DatasetError(`${url.href}: too many redirects.`);
    }
    return follow(new URL(location, url), options, redirectsLeft - 1);
  }
  if (status !== 200) {
    response.destroy();
    throw new DatasetError(
      `${url.href}: the server answered HTTP ${status} ${response.statusMessage ?? ''}`.trim() + '.',
    );
  }
  return exchange;
}

function get(url: URL, options: DownloadOptions): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!client) {
      reject(new DatasetError(`${url.href}: only http and https addresses can be downloaded.`));
      return;
    }
    let failure: DatasetError | undefined;
    // identity: a server that compressed the .gz once more would only waste time.
    const request = client.get(
      url,
      { signal: options.signal, headers: { 'accept-encoding': 'identity' } },
      (response) => resolve({ response, failure: () => failure }),
    );
    const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    // The socket timeout covers the whole exchange: connecting, waiting for headers and the body.
    request.setTimeout(idleMs, () => {
      failure = new DatasetError(
        `${url.href}: no data from ${url.host} for ${idleMs / 1000} s; the connection stalled.`,
      );
      request.destroy(failure);
    });
    request.on('error', (error) =>
      reject(failure ?? networkError(error, `${url.href}: the request failed`, options.signal)),
    );
  });
}

/** The response body, with progress, ending in an error unless every announced byte arrived. */
async function* body(
  exchange: Exchange,
  total: number | undefined,
  label: string,
  options: DownloadOptions,
): AsyncGenerator<Buffer> {
  let received = 0;
  try {
    for await (const chunk of exchange.response) {
      received += (chunk as Buffer).length;
      options.onProgress?.(received, total);
      yield chunk as Buffer;
    }
  } catch (error) {
    const got =
      total === undefined ? formatBytes(received) : `${received.toLocaleString('en-US')} of ${formatBytes(total)}`;
    throw exchange.failure() ?? networkError(error, `${label}: the connection broke after ${got}`, options.signal);
  } finally {
    exchange.response.destroy();
  }
  if (total !== undefined && received < total) {
    throw new DatasetError(
      `${label}: the server sent ${received.toLocaleString('en-US')} of the ${formatBytes(total)} it announced; the download was cut short.`,
    );
  }
}

function networkError(
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
