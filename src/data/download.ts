// Downloads one data set file over http(s) straight into place, verified. Node's own clients:
// inside the editor they go through its proxy settings, and no dependency is needed.
//
// Every limit (the redirects and bytes here, the timeouts in httpExchange.ts) ends the download with
// a DatasetError naming the address, so the caller can try the next one: the checksum guards the
// content, the limits guard the time and the disk.
import { FASHION_MNIST_DOWNLOAD_BASES, type DatasetFileSpec } from '../shared/datasetFiles';
import { DatasetCancelledError, DatasetError } from './datasetError';
import { Exchange, networkError, Transfer, TransferOptions } from './httpExchange';
import { formatBytes, installVerified } from './verifyFile';

export interface DownloadOptions extends TransferOptions {
  /** Network bytes received so far, and the total when the server announced one. */
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
  /**
   * Hosts (with their port, if any) a redirect may lead to, besides the host of the address asked
   * for: the data set's known hosts unless given.
   */
  redirectHosts?: readonly string[];
}

/** The hosts the data set is published on. */
export const KNOWN_DATASET_HOSTS: readonly string[] = FASHION_MNIST_DOWNLOAD_BASES.map((base) => new URL(base).host);

/** Redirects followed before giving up: S3 and Cloud Storage answer directly, so a long chain is a loop or a trap. */
export const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The most network bytes accepted for `file`: its decompressed size, plus 0.1% and 1 KB. A server
 * may send the file uncompressed, which is exactly the decompressed size, and gzip never makes data
 * more than about 0.03% and 18 bytes larger (zlib's deflateBound); the real .gz files are a little
 * over half of it (26,421,880 bytes upstream for the 47,040,016 of train-images, Debian's a little
 * different). Decompressed bytes are limited separately; this stops a body that decompresses to
 * little or nothing but never ends.
 */
export function networkByteLimit(file: DatasetFileSpec): number {
  return file.bytes + Math.ceil(file.bytes / 1000) + 1024;
}

/**
 * Downloads `url` (gzip or plain) to `dest` as the decompressed, verified content of `file`.
 * Throws a DatasetError naming the address and what went wrong (HTTP status, refused redirect,
 * timeout, broken connection, too many or too few bytes, wrong content) or a
 * DatasetCancelledError; either way `dest` is left as it was and no `.part` file remains.
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
  const transfer = new Transfer(url, options);
  try {
    const start = new URL(url);
    const hosts = new Set([start.host, ...(options.redirectHosts ?? KNOWN_DATASET_HOSTS)]);
    const exchange = await follow(start, url, transfer, MAX_REDIRECTS, hosts);
    const header = exchange.response.headers['content-length'];
    const total = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
    const limit = networkByteLimit(file);
    if (total !== undefined && total > limit) {
      exchange.response.destroy();
      throw new DatasetError(
        `${url}: the server announces ${formatBytes(total)}, more than ${file.name}.gz can be ` +
          `(at most ${formatBytes(limit)}), so it is not the Fashion-MNIST file.`,
      );
    }
    await installVerified(body(exchange, total, limit, url, options), file, dest, url, { signal: options.signal });
  } finally {
    transfer.end();
  }
}

/**
 * Requests `url`, following redirects, only over https and only to `hosts`: a redirect elsewhere
 * would hand the download to a server nobody chose. `label` is the address first asked for, named
 * in errors about redirects.
 */
async function follow(
  url: URL,
  label: string,
  transfer: Transfer,
  redirectsLeft: number,
  hosts: ReadonlySet<string>,
): Promise<Exchange> {
  const exchange = await transfer.get(url);
  const { response } = exchange;
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (REDIRECTS.has(status) && location) {
    response.destroy();
    if (!URL.canParse(location, url.href)) {
      throw new DatasetError(`${label}: redirected to "${location}", which is not an address.`);
    }
    const next = new URL(location, url);
    if (redirectsLeft === 0) {
      throw new DatasetError(
        `${label}: more than ${MAX_REDIRECTS} redirects in a row (the last to ${next.href}), so the file was not reached.`,
      );
    }
    if (next.protocol !== 'https:') {
      // A redirect may make a download encrypted, never take encryption away or stay without it; the
      // plain-http source is tried on purpose, last, and only where it was asked for.
      throw new DatasetError(
        `${label}: redirected to ${next.href}, which is not https; refused, as the download would not be encrypted.`,
      );
    }
    if (!hosts.has(next.host)) {
      throw new DatasetError(
        `${label}: redirected to ${next.host}, which is not where the data set is published; refused.`,
      );
    }
    return follow(next, label, transfer, redirectsLeft - 1, hosts);
  }
  if (status !== 200) {
    response.destroy();
    throw new DatasetError(
      `${url.href}: the server answered HTTP ${status} ${response.statusMessage ?? ''}`.trim() + '.',
    );
  }
  return exchange;
}

/**
 * The response body, with progress, ending in an error unless every announced byte arrived, and as
 * soon as more than `limit` bytes did.
 */
async function* body(
  exchange: Exchange,
  total: number | undefined,
  limit: number,
  label: string,
  options: DownloadOptions,
): AsyncGenerator<Buffer> {
  let received = 0;
  try {
    for await (const chunk of exchange.response) {
      received += (chunk as Buffer).length;
      if (received > limit) {
        throw new DatasetError(
          `${label}: the server sent more than ${formatBytes(limit)}, more than the file can be, so it is not the Fashion-MNIST file.`,
        );
      }
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
  // A body without Content-Length ends like a complete one when we cut the connection ourselves.
  const failure = exchange.failure();
  if (failure) {
    throw failure;
  }
  if (total !== undefined && received < total) {
    throw new DatasetError(
      `${label}: the server sent ${received.toLocaleString('en-US')} of the ${formatBytes(total)} it announced; the download was cut short.`,
    );
  }
}
