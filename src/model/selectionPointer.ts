// The pointer to the run "Classify image" uses: <storage>/runs/selected.json, `{"id": "<run>"}`.
// It is replaced whole by a rename, so a reader in another window sees the old pointer or the
// new one, never a torn one; readers need no lock. Writers hold the store's lock.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing, syncFolder, writeDurably } from './durableFiles';

const POINTER_FILE = 'selected.json';
const TEMP_PREFIX = '.selected-';

export function isPointerTemp(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** The id the pointer names, or undefined without a readable pointer (none yet, or damaged). */
export async function readSelectedId(runsDir: string): Promise<string | undefined> {
  try {
    const id: unknown = JSON.parse(await readFile(join(runsDir, POINTER_FILE), 'utf8'))?.id;
    return typeof id === 'string' ? id : undefined;
  } catch (error) {
    if (isMissing(error) || error instanceof SyntaxError) {
      return undefined;
    }
    throw error;
  }
}

/** Points at run `id`, or removes the pointer for `undefined`; durable when this returns. */
export async function writeSelectedId(runsDir: string, id: string | undefined): Promise<void> {
  const pointer = join(runsDir, POINTER_FILE);
  if (id === undefined) {
    await rm(pointer, { force: true });
  } else {
    const temp = join(runsDir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeDurably(temp, JSON.stringify({ id }));
      await rename(temp, pointer);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
  await syncFolder(runsDir);
}
