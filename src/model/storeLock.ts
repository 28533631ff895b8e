// A lock shared by every process that uses the same storage folder (each editor window runs its
// own extension host): the file <storage>/runs/.lock, created exclusively, holding who took it
// ({pid, hostname, time, token}). Holders keep it for milliseconds (a rename, the pointer, a
// removal), never while a model is being written.
//
// A lock is stale when its process is gone (same host, and `kill(pid, 0)` says there is no such
// process) or when it is older than STALE_AFTER_MS, whoever holds it (a holder on another host
// sharing the folder, a pid reused after a crash). A stale lock is broken by renaming it to a
// name of one's own: when two processes break the same lock, one rename wins and the other finds
// no lock and tries to take it again. If the file renamed turns out to be a newer lock than the
// one judged stale (broken and taken by a third process in between), it is linked back at once.
// The one race left needs yet another process to take the lock within those few microseconds.
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { isMissing } from './durableFiles';

/** Far longer than any holder keeps the lock, so that only a hung or vanished holder reaches it. */
const STALE_AFTER_MS = 2 * 60_000;
const BROKEN_PREFIX = '.lock.broken-';
/** A broken lock's copy lives for microseconds; one a minute old is a crashed breaker's. */
const ABANDONED_COPY_MS = 60_000;

interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  time: string;
  /** Tells this holder's lock file from any later one, so that only its own is released. */
  token: string;
}

interface LockFile {
  /** Undefined while its holder is still writing it, or when a crash left it empty. */
  holder: LockHolder | undefined;
  mtimeMs: number;
  ageMs: number;
}

/** Runs `work` holding the lock at `lockPath`; waits up to `timeoutMs` for another holder. */
export async function withLock<T>(lockPath: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const token = await acquire(lockPath, timeoutMs);
  try {
    return await work();
  } finally {
    await release(lockPath, token);
  }
}

/** True for the copy of a broken lock that its breaker, crashing, did not remove. */
export function isAbandonedLockCopy(name: string, now: number): boolean {
  return (
    name.startsWith(BROKEN_PREFIX) && now - Number(name.slice(BROKEN_PREFIX.length).split('-')[0]) > ABANDONED_COPY_MS
  );
}

async function acquire(lockPath: string, timeoutMs: number): Promise<string> {
  const token = randomBytes(8).toString('hex');
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath, token)) {
      return token;
    }
    const found = await readLockFile(lockPath);
    if (found === undefined) {
      continue;
    }
    if (isStale(found)) {
      await breakLock(lockPath, found);
      continue;
    }
    if (Date.now() - started >= timeoutMs) {
      throw new Error(busyMessage(lockPath, found, Date.now() - started));
    }
    // Growing, jittered waits: holders keep the lock for milliseconds, and waiters should not
    // wake in step.
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * 1.5 ** attempt) * (0.5 + Math.random())));
  }
}

async function tryCreate(lockPath: string, token: string): Promise<boolean> {
  let file;
  try {
    file = await open(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  }
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), time: new Date().toISOString(), token };
  try {
    await file.writeFile(JSON.stringify(holder));
  } catch (error) {
    await file.close();
    await unlink(lockPath);
    throw error;
  }
  await file.close();
  return true;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(text) as LockHolder;
    const valid =
      Number.isInteger(holder?.pid) &&
      typeof holder.hostname === 'string' &&
      typeof holder.time === 'string' &&
      typeof holder.token === 'string';
    return valid ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** The lock file at `path`, or undefined when there is none (any more). */
async function readLockFile(path: string): Promise<LockFile | undefined> {
  try {
    const { mtimeMs } = await stat(path);
    const holder = parseHolder(await readFile(path, 'utf8'));
    const since = holder ? Date.parse(holder.time) : NaN;
    return { holder, mtimeMs, ageMs: Date.now() - (Number.isNaN(since) ? mtimeMs : since) };
  } catch (error) {
    if (isMissing(error)) {
      return undefined;
    }
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function isStale(lock: LockFile): boolean {
  const holder = lock.holder;
  return lock.ageMs > STALE_AFTER_MS || (holder?.hostname === hostname() && !isAlive(holder.pid));
}

function isSameLock(a: LockFile, b: LockFile): boolean {
  return a.mtimeMs === b.mtimeMs && a.holder?.token === b.holder?.token;
}

async function breakLock(lockPath: string, judged: LockFile): Promise<void> {
  const copy = join(dirname(lockPath), `${BROKEN_PREFIX}${Date.now()}-${randomBytes(6).toString('hex')}`);
  try {
    await rename(lockPath, copy);
  } catch (error) {
    if (isMissing(error)) {
      return; // Broken (or released) by another process first.
    }
    throw error;
  }
  try {
    const moved = await readLockFile(copy);
    if (moved && !isSameLock(moved, judged)) {
      // A live lock, taken since it was judged: give it back. Failing that (a newer lock is
      // already there), there is nothing better to do than leave that one in place.
      await link(copy, lockPath).catch(() => undefined);
    }
  } finally {
    await unlink(copy).catch(() => undefined);
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  // A lock broken as stale while held is someone else's now: only one's own file goes.
  if ((await readLockFile(lockPath))?.holder?.token === token) {
    await unlink(lockPath).catch((error: unknown) => {
      if (!isMissing(error)) {
        throw error;
      }
    });
  }
}

function busyMessage(lockPath: string, lock: LockFile, waitedMs: number): string {
  const holder = lock.holder;
  const who = holder
    ? `process ${holder.pid} on ${holder.hostname} since ${holder.time}`
    : 'a process that left no details';
  return (
    `The saved models are locked by ${who}; gave up after ${(waitedMs / 1000).toFixed(1)} s. ` +
    `If no other editor window is saving or changing a model, delete ${lockPath} and try again.`
  );
}
