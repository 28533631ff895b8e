// Checks data set content against its spec: decompress if it is gzip, then, for the images files,
// the 28 × 28 image size in the header, then size and SHA-256. Streams throughout, so a 47 MB file
// never sits in memory at once and a wrong file is rejected as soon as it grows past the expected
// size, or at its header when that already gives it away.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FileHandle, open, rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { DatasetFileSpec } from '../shared/datasetFiles';
import { DatasetCancelledError, DatasetError, isAbortError } from './datasetError';
import { errorMessage } from '../shared/errorMessage';
import { checkImageShape, IdxFormatError, IMAGES_HEADER_BYTES, parseIdxImagesHeader } from '../shared/idx';

/**
 * Large chunks: each one passes through a few async generators, and with the 16-64 KB defaults
 * that bookkeeping, not hashing, dominated the time (about 3x slower on the 47 MB file).
 */
const CHUNK_BYTES = 1 << 20;

/** Reads a file in large chunks, for verifyFile and installVerified. */
export function readChunks(path: string): Readable {
  return createReadStream(path, { highWaterMark: CHUNK_BYTES });
}

/** Bytes from a file, a socket or a generator. */
export type ByteSource = Readable | AsyncIterable<Buffer>;

/** The gzip magic bytes 1f 8b. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * A pipeline stage that gunzips gzip input and passes anything else through. Decided by the magic
 * bytes, not the name: people unpack `.gz` files by hand, and a server may send either.
 */
export async function* gunzipIfGzip(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const input = chunks[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let ended = false;
  while (head.length < 2 && !ended) {
    const next = await input.next();
    if (next.done) {
      ended = true;
    } else {
      head = Buffer.concat([head, next.value]);
    }
  }
  async function* everything(): AsyncGenerator<Buffer> {
    if (head.length > 0) {
      yield head;
    }
    while (!ended) {
      const next = await input.next();
      if (next.done) {
        return;
      }
      yield next.value;
    }
  }
  if (!isGzip(head)) {
    yield* everything();
    return;
  }
  const compressed = Readable.from(everything(), { objectMode: false });
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  // `pipe` does not forward errors; without this a failing source would leave gunzip waiting.
  compressed.once('error', (error) => gunzip.destroy(error));
  compressed.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      yield chunk as Buffer;
    }
  } finally {
    compressed.destroy();
    gunzip.destroy();
  }
}

/**
 * A pipeline stage that refuses an images file whose header is not IDX images of 28 × 28 pixels,
 * before its content is hashed: the message then says what the file is (MNIST-like data of another
 * size, another format) instead of only that its checksum differs. Other files pass unchecked.
 */
function imageShapeCheck(file: DatasetFileSpec, label: string) {
  const isImages = file.role === 'trainImages' || file.role === 'testImages';
  return async function* (chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let head = Buffer.alloc(0);
    for await (const chunk of chunks) {
      if (isImages && head.length < IMAGES_HEADER_BYTES) {
        head = Buffer.concat([head, chunk.subarray(0, IMAGES_HEADER_BYTES - head.length)]);
        if (head.length === IMAGES_HEADER_BYTES) {
          checkHeader(head, file, label);
        }
      }
      yield chunk;
    }
  };
}

function checkHeader(head: Buffer, file: DatasetFileSpec, label: string): void {
  try {
    checkImageShape(parseIdxImagesHeader(head, label), label);
  } catch (error) {
    if (error instanceof IdxFormatError) {
      throw new DatasetError(`${error.message} It is not ${file.name}.`);
    }
    throw error;
  }
}

/** Counts and hashes decompressed bytes on their way through a pipeline. */
function contentCheck(file: DatasetFileSpec, label: string) {
  const hash = createHash('sha256');
  let bytes = 0;
  return {
    async *stage(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of chunks) {
        bytes += chunk.length;
        // Stop early: a wrong file (or a decompression bomb) must not fill memory or the disk.
        if (bytes > file.bytes) {
          throw new DatasetError(
            `${label}: more than the expected ${formatBytes(file.bytes)} after decompression, so it is not ${file.name}.`,
          );
        }
        hash.update(chunk);
        yield chunk;
      }
    },
    /** Throws unless exactly the expected bytes went through. */
    finish(): void {
      if (bytes !== file.bytes) {
        throw new DatasetError(
          `${label}: ${formatBytes(bytes)} after decompression, expected ${formatBytes(file.bytes)}; ` +
            `the file is truncated or is not ${file.name}.`,
        );
      }
      if (hash.digest('hex') !== file.sha256) {
        throw new DatasetError(
          `${label}: its content does not match the SHA-256 checksum of ${file.name}; the data is corrupt.`,
        );
      }
    },
  };
}

async function discard(chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of chunks) {
    void chunk;
  }
}

/**
 * Checks that the file at `path` (gzip or plain) holds exactly `file`'s content. Throws a
 * DatasetError naming `path` and what is wrong with it.
 */
export async function verifyFile(path: string, file: DatasetFileSpec, signal?: AbortSignal): Promise<void> {
  const check = contentCheck(file, path);
  try {
    await pipeline(readChunks(path), gunzipIfGzip, imageShapeCheck(file, path), check.stage, discard, { signal });
    check.finish();
  } catch (error) {
    throw toDatasetError(error, path);
  }
}

export interface InstallOptions {
  signal?: AbortSignal;
  /** The part file to write; a new unique name next to `dest` unless given (tests pass one that exists). */
  partPath?: string;
}

/**
 * Writes `source` (gzip or plain) decompressed to `dest`, but only if its size and SHA-256 match
 * `file`. The bytes go to a uniquely named `.part` next to `dest`, renamed over `dest` only after
 * the check (an atomic step), so a failure or cancel leaves `dest` as it was and no part behind.
 * The unique name lets two editor windows prepare the same storage folder at once, and the part
 * is created exclusively (`wx`): a part that already exists belongs to someone else and is
 * neither written nor removed. `label` names the source in error messages.
 */
export async function installVerified(
  source: ByteSource,
  file: DatasetFileSpec,
  dest: string,
  label: string,
  { signal, partPath = `${dest}.${randomBytes(6).toString('hex')}.part` }: InstallOptions = {},
): Promise<void> {
  const part = await createPart(partPath);
  const check = contentCheck(file, label);
  try {
    await pipeline(source, gunzipIfGzip, imageShapeCheck(file, label), check.stage, part.createWriteStream(), {
      signal,
    });
    check.finish();
    await rename(partPath, dest);
  } catch (error) {
    await part.close().catch(() => undefined);
    await rm(partPath, { force: true });
    throw toDatasetError(error, label);
  }
}

async function createPart(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new DatasetError(
        `${path} already exists: another download may be writing it, so it was left alone. Try again.`,
      );
    }
    throw toDatasetError(error, path);
  }
}

/** Turns whatever a read, a gunzip or an abort threw into the error the caller reports. */
export function toDatasetError(error: unknown, label: string): DatasetError | DatasetCancelledError {
  if (error instanceof DatasetError || error instanceof DatasetCancelledError) {
    return error;
  }
  if (isAbortError(error)) {
    return new DatasetCancelledError();
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = errorMessage(error).replace(/\.$/, '');
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new DatasetError(`${label}: the gzip data is damaged or cut short (${message}).`);
  }
  if (code === 'ENOENT') {
    return new DatasetError(`${label}: the file does not exist.`);
  }
  return new DatasetError(`${label}: ${message}.`);
}

/** "47,040,016 bytes": exact, because a size off by a few bytes is the point of the message. */
export function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}
