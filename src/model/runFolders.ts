// The folders under <storage>/runs: one folder per saved run, never changed once published and
// named by its save time so that names sort from oldest to newest; and the short-lived names of
// work in progress (staging folders, runs being removed) that a crash can leave behind.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing, syncFolder } from './durableFiles';
import { isPointerTemp } from './selectionPointer';
import { isAbandonedPendingLock } from './storeLock';

/** ISO time with `-` for `:` and `.` (file-name safe on every OS), then a random suffix. */
const RUN_ID = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-[0-9a-f]{12}$/;
const STAGING_PREFIX = '.staging-';
const REMOVED_PREFIX = '.removed-';

/**
 * How long a staging folder must have gone without a write before a cleanup removes it. Saves
 * fill their staging folder without holding the lock (windows do not wait for each other's
 * disk writes), so a young one may be a save in progress in another window. Writing a model
 * takes well under a second; ten minutes without a write means the save died.
 */
const ABANDONED_AFTER_MS = 10 * 60_000;

export function isRunId(name: string): boolean {
  return RUN_ID.test(name);
}

/** The id of a run saved at `time`; `suffix` (12 hex digits) keeps apart runs of the same millisecond. */
export function runIdAt(time: Date, suffix = randomBytes(6).toString('hex')): string {
  return `${time.toISOString().replace(/[:.]/g, '-')}-${suffix}`;
}

function timeOfRunId(id: string): number {
  return Date.parse(`${id.slice(0, 13)}:${id.slice(14, 16)}:${id.slice(17, 19)}.${id.slice(20, 24)}`);
}

/**
 * A new run's id, later than `newest` even when the clock is not (same millisecond, clock set
 * back): ids taken under the lock sort in the order their runs were published.
 */
export function nextRunId(newest: string | undefined): string {
  const notBefore = newest === undefined ? 0 : timeOfRunId(newest) + 1;
  return runIdAt(new Date(Math.max(Date.now(), notBefore)));
}

/** The names in `runsDir` that are run ids, complete runs or not, oldest first. */
export async function runIds(runsDir: string): Promise<string[]> {
  return (await entriesOf(runsDir)).filter(isRunId).sort();
}

async function entriesOf(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if (isMissing(error)) {
      return [];
    }
    throw error;
  }
}

/**
 * A new staging folder in `runsDir`, filled by `write` and flushed: ready for `publishRun`.
 * When `write` fails, the folder is removed again.
 */
export async function writeStaging(runsDir: string, write: (staging: string) => Promise<void>): Promise<string> {
  const staging = join(runsDir, STAGING_PREFIX + randomBytes(6).toString('hex'));
  await mkdir(staging);
  try {
    await write(staging);
    await syncFolder(staging);
    return staging;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Publishes a complete staging folder as run `id`, by one rename; returns the run's folder.
 * When the rename fails, the staging folder is removed.
 */
export async function publishRun(runsDir: string, staging: string, id: string): Promise<string> {
  const folder = join(runsDir, id);
  try {
    await rename(staging, folder);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await syncFolder(runsDir);
  return folder;
}

/** Removes a run folder; renamed away first, so that no one ever finds the run half deleted. */
export async function discardRun(runsDir: string, id: string): Promise<void> {
  const removed = join(runsDir, REMOVED_PREFIX + randomBytes(6).toString('hex'));
  await rename(join(runsDir, id), removed);
  await syncFolder(runsDir);
  await rm(removed, { recursive: true, force: true });
}

/** True when nothing in `path` (a folder and its files, or a file) was written for ABANDONED_AFTER_MS. */
export async function isAbandoned(path: string, now = Date.now()): Promise<boolean> {
  try {
    const times = [(await stat(path)).mtimeMs];
    for (const name of await entriesOf(path)) {
      times.push((await stat(join(path, name))).mtimeMs);
    }
    return now - Math.max(...times) > ABANDONED_AFTER_MS;
  } catch (error) {
    if (isMissing(error)) {
      return false;
    }
    throw error;
  }
}

/**
 * Removes what crashed saves and removals left in `runsDir`. Call it only under the lock:
 * runs being removed and pointer temp files only ever exist while their process holds the
 * lock, so any seen under it are a dead process's; staging folders are written without the
 * lock, so only abandoned ones go.
 */
export async function removeLeftovers(runsDir: string): Promise<void> {
  const now = Date.now();
  for (const name of await entriesOf(runsDir)) {
    const path = join(runsDir, name);
    const leftover =
      name.startsWith(REMOVED_PREFIX) ||
      isPointerTemp(name) ||
      isAbandonedPendingLock(name, now) ||
      (name.startsWith(STAGING_PREFIX) && (await isAbandoned(path, now)));
    if (leftover) {
      await rm(path, { recursive: true, force: true });
    }
  }
}
