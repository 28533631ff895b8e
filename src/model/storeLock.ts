// A lock shared by every process that uses the same storage folder (each editor window runs its
// own extension host): the file <storage>/runs/.lock, created exclusively, holding who took it
// ({pid, hostname, time, token}). Holders keep it for milliseconds (a rename, the pointer, a
// removal), never while a model is being written.
//
// A lock is stale when its process is gone (same host, and `kill(pid, 0)` says there is no such
// process) or when it is older than STALE_AFTER_MS, whoever holds it (a holder on another host
// sharing the folder, a pid reused after a crash). Breaking one never moves a lock: the breaker
// first takes the mark <lock>.breaking (created exclusively, so one breaker at a time), reads the
// lock again and removes it only if it is still the one judged stale. With the mark held no other
// breaker acts, and nobody can take a lock while one exists, so a stale lock cannot be swapped
// for a live one between that check and the removal. (An earlier way, renaming the lock aside
// and linking it back when it proved live, could hide a live lock from its own holder's release
// for an instant and leave it behind for good.) A mark older than ABANDONED_MARK_MS is a crashed
// breaker's and is removed. Two races are left, each needing a process frozen far longer than the
// work takes: a holder hung past STALE_AFTER_MS that wakes and releases within the microseconds
// between the check and the removal while a third process takes the lock; and a breaker frozen
// past ABANDONED_MARK_MS whose mark another removes, so that two break at once.
import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isMissing } from './durableFiles';

/** Far longer than any holder keeps the lock, so that only a hung or vanished holder reaches it. */
const STALE_AFTER_MS = 2 * 60_000;
/** What earlier versions renamed a broken lock to, for a moment; removeLeftovers clears any left. */
const BROKEN_PREFIX = '.lock.broken-';
const ABANDONED_COPY_MS = 60_000;
const BREAKING_SUFFIX = '.breaking';
/** Breaking a lock takes microseconds; a mark this old is a crashed breaker's. */
const ABANDONED_MARK_MS = 10_000;

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
    if (isStale(found) && (await breakLock(lockPath, found))) {
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

/** Removes the lock judged stale; false when another process is breaking it now. */
async function breakLock(lockPath: string, judged: LockFile): Promise<boolean> {
  const mark = `${lockPath}${BREAKING_SUFFIX}`;
  try {
    await (await open(mark, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
    // Another process is breaking it, unless that one crashed.
    await removeIfOlder(mark, ABANDONED_MARK_MS);
    return false;
  }
  try {
    const current = await readLockFile(lockPath);
    if (current && isSameLock(current, judged)) {
      await unlink(lockPath).catch(ignoreMissing);
    }
    return true;
  } finally {
    await unlink(mark).catch(ignoreMissing);
  }
}

async function removeIfOlder(path: string, ageMs: number): Promise<void> {
  try {
    if (Date.now() - (await stat(path)).mtimeMs > ageMs) {
      await unlink(path);
    }
  } catch (error) {
    ignoreMissing(error);
  }
}

function ignoreMissing(error: unknown): void {
  if (!isMissing(error)) {
    throw error;
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  // A lock broken as stale while held is someone else's now: only one's own file goes.
  if ((await readLockFile(lockPath))?.holder?.token === token) {
    await unlink(lockPath).catch(ignoreMissing);
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
