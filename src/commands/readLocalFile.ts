// Reads a picture from the local disk the safe way for a folder walk: the file is opened without
// following a symbolic link at its name, what was opened is checked (a plain file, not a link
// swapped in after the folder was listed), and reading stops at the size limit on the bytes that
// actually arrive, whatever the listing said. No `vscode` import: unit-tested in Node.
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';

/** The file holds more than the limit allows; `bytes` is how many it has (at least). */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';

  constructor(readonly bytes: number) {
    super(`The file is larger than the limit (${bytes} bytes or more).`);
  }
}

/** What was opened is a symbolic link, which a folder walk does not follow. */
export class LinkRefusedError extends Error {
  override name = 'LinkRefusedError';
}

export interface ReadOptions {
  maxBytes: number;
  /** Refuse a symbolic link at the file's name: for files found by walking a folder. */
  refuseLinks: boolean;
}

/** The file's bytes, at most `maxBytes` of them. */
export async function readLocalFile(path: string, { maxBytes, refuseLinks }: ReadOptions): Promise<Uint8Array> {
  // Where the system has O_NOFOLLOW, opening a link fails (ELOOP); elsewhere the name is compared
  // with what was opened below.
  const noFollow = refuseLinks && constants.O_NOFOLLOW !== undefined;
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (noFollow ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    if (noFollow && (error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new LinkRefusedError('It is a symbolic link, and links inside a folder are not followed.');
    }
    throw error;
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) {
      throw new Error('It is not a regular file.');
    }
    if (refuseLinks && !noFollow) {
      const named = await lstat(path);
      if (named.isSymbolicLink() || named.ino !== opened.ino || named.dev !== opened.dev) {
        throw new LinkRefusedError('It is a symbolic link, and links inside a folder are not followed.');
      }
    }
    if (opened.size > maxBytes) {
      throw new FileTooLargeError(opened.size);
    }
    // Read to the end, not to the size stat gave: a file may grow after it; one byte past the
    // limit is enough to refuse it.
    let buffer = new Uint8Array(Math.min(opened.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) {
          throw new FileTooLargeError(length);
        }
        const larger = new Uint8Array(Math.min(maxBytes + 1, buffer.length * 2));
        larger.set(buffer);
        buffer = larger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) {
        break;
      }
      length += bytesRead;
    }
    if (length > maxBytes) {
      throw new FileTooLargeError(length);
    }
    return buffer.slice(0, length);
  } finally {
    await handle.close();
  }
}
