// File system steps that survive a crash or a power loss: a file's bytes reach the disk before a
// rename publishes it, and a folder's entries reach the disk after a rename into or out of it.
// Without both, a crash can publish an empty or partial file under its final name.
import { open, stat } from 'node:fs/promises';

/** Creates `path` (never overwriting one) with `data`, flushed to the disk before this returns. */
export async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Flushes a folder's entries, so that the renames into and out of it survive a crash. */
export async function syncFolder(path: string): Promise<void> {
  // Windows cannot open a folder for flushing; NTFS journals the renames itself.
  if (process.platform === 'win32') {
    return;
  }
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** True for the errors of a path that is not there (any more): a run removed while being read. */
export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: unknown) => {
      if (isMissing(error)) {
        return false;
      }
      throw error;
    },
  );
}
