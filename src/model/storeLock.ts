// A lock shared by every process that uses the same storage folder (each editor window runs its
// own extension host): the file <storage>/runs/.lock, holding who took it ({pid, hostname, time,
// token}). Holders keep it for milliseconds to a second (a rename, the pointer, a removal, a
// listing), never while a model is being written.
//
// Taking it: the holder's details are written to a file of its own, then hard-linked to the lock's
// name, which fails when a lock exists; so a lock is never seen half written. (Where the file
// system has no hard links, the lock is created exclusively and written after, and an empty lock
// is then a crashed writer's after EMPTY_STALE_AFTER_MS.)
//
// A lock is stale when its process is gone (same host, and `kill(pid, 0)` says there is no such
// process) or when it is older than STALE_AFTER_MS, whoever holds it (a holder on another host
// sharing the folder, a process whose pid cannot be checked, a pid reused after a crash). The
// default wait lasts longer than STALE_AFTER_MS (DEFAULT_LOCK_WAIT_MS), so a waiter breaks an
// abandoned lock before it gives up, and every wait has its deadline. Something at
// the lock's name that no holder makes (a symbolic link, dangling or not) is removed as stale at
// once. Breaking one never moves a lock: the breaker first takes the mark <lock>.breaking
// (created exclusively, so one breaker at a time), reads the lock again and removes it only if
// it is still the one judged stale. A mark older than ABANDONED_MARK_MS is a crashed breaker's
// and is removed. Two races are left, each needing a process frozen far longer than the work
// takes: a holder hung past STALE_AFTER_MS that wakes and releases within the microseconds
// between the check and the removal while a third process takes the lock; and a breaker frozen
// past ABANDONED_MARK_MS whose mark another removes, so that two break at once.
import { randomBytes } from 'node:crypto';
import { link, lstat, open, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { isMissing } from './durableFiles';

/** Far longer than any holder keeps the lock, so that only a hung or vanished holder reaches it. */
export const STALE_AFTER_MS = 20_000;
/** How long a change waits for the lock by default: past STALE_AFTER_MS, so an abandoned lock is broken first. */
export const DEFAULT_LOCK_WAIT_MS = STALE_AFTER_MS + 10_000;
/** A lock with no details: written by a holder within microseconds, so one this old is a crash's. */
const EMPTY_STALE_AFTER_MS = 2_000;
const BREAKING_SUFFIX = '.breaking';
/** Breaking a lock takes microseconds; a mark this old is a crashed breaker's. */
const ABANDONED_MARK_MS = 10_000;
/** The holder's details before they are linked to the lock's name; a crash may leave one. */
const PENDING_PREFIX = '.lock.pending-';
const ABANDONED_PENDING_MS = 60_000;

interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  time: string;
  /** Tells this holder's lock file from any later one, so that only its own is released. */
  token: string;
}

interface LockFile {
  /** Undefined when the file has no valid details (a crash while an exclusive create wrote it). */
  holder: LockHolder | undefined;
  /** A symbolic link or other non-file at the lock's name: no holder made it. */
  foreign: boolean;
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

/** True for a holder's details file that a crash left before it became the lock. */
export function isAbandonedPendingLock(name: string, now: number): boolean {
  return (
    name.startsWith(PENDING_PREFIX) &&
    now - Number(name.slice(PENDING_PREFIX.length).split('-')[0]) > ABANDONED_PENDING_MS
  );
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function acquire(lockPath: string, timeoutMs: number): Promise<string> {
  const token = randomBytes(8).toString('hex');
  const started = Date.now();
  let last: LockFile | undefined;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath, token)) {
      return token;
    }
    const found = await readLockFile(lockPath);
    if (found !== undefined) {
      last = found;
      if (isStale(found) && (await breakLock(lockPath, found))) {
        // Removed: take it at once, before another waiter does.
        continue;
      }
    }
    // Every path through the loop, a lock that vanished between two looks included, meets the
    // deadline and a pause: nothing here can spin.
    const waited = Date.now() - started;
    if (waited >= timeoutMs) {
      throw new Error(busyMessage(lockPath, last, waited));
    }
    // Growing, jittered waits: holders keep the lock for milliseconds, and waiters should not
    // wake in step.
    await pause(Math.min(100, 5 * 1.5 ** attempt, timeoutMs - waited) * (0.5 + Math.random()));
  }
}

/** Makes the lock with this holder's details; false when a lock is there already. */
async function tryCreate(lockPath: string, token: string): Promise<boolean> {
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), time: new Date().toISOString(), token };
  // Written afresh for every attempt: its time is when the lock was taken, which others judge it by.
  // Not flushed: a crash ends the holder, and with it the lock's worth.
  const pending = join(dirname(lockPath), `${PENDING_PREFIX}${Date.now()}-${token}`);
  await writeFile(pending, JSON.stringify(holder), { flag: 'wx' });
  try {
    await link(pending, lockPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      return false;
    }
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      return createExclusively(lockPath, holder);
    }
    throw error;
  } finally {
    await unlink(pending).catch(ignoreMissing);
  }
}

/** Without hard links: create the lock exclusively, then write the details into it. */
async function createExclusively(lockPath: string, holder: LockHolder): Promise<boolean> {
  let file;
  try {
    file = await open(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  }
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

/** What is at the lock's name, without following a link; undefined when there is nothing (any more). */
async function readLockFile(path: string): Promise<LockFile | undefined> {
  try {
    const info = await lstat(path);
    if (info.isDirectory()) {
      throw new Error(`The lock of the saved models, ${path}, is a folder; delete it and try again.`);
    }
    if (!info.isFile()) {
      return { holder: undefined, foreign: true, mtimeMs: info.mtimeMs, ageMs: Date.now() - info.mtimeMs };
    }
    const holder = parseHolder(await readFile(path, 'utf8'));
    const since = holder ? Date.parse(holder.time) : NaN;
    return {
      holder,
      foreign: false,
      mtimeMs: info.mtimeMs,
      ageMs: Date.now() - (Number.isNaN(since) ? info.mtimeMs : since),
    };
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
    // EPERM: the process exists but belongs to another user; it counts as alive until STALE_AFTER_MS.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function isStale(lock: LockFile): boolean {
  const holder = lock.holder;
  if (lock.foreign) {
    return true;
  }
  if (!holder) {
    return lock.ageMs > EMPTY_STALE_AFTER_MS;
  }
  return lock.ageMs > STALE_AFTER_MS || (holder.hostname === hostname() && !isAlive(holder.pid));
}

function isSameLock(a: LockFile, b: LockFile): boolean {
  return a.mtimeMs === b.mtimeMs && a.foreign === b.foreign && a.holder?.token === b.holder?.token;
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
    // Another process is breaking it, unless that one crashed (or the mark is a stray link).
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
    const info = await lstat(path);
    if (!info.isFile() || Date.now() - info.mtimeMs > ageMs) {
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

function busyMessage(lockPath: string, lock: LockFile | undefined, waitedMs: number): string {
  const holder = lock?.holder;
  const who = holder
    ? `process ${holder.pid} on ${holder.hostname} since ${holder.time}`
    : 'a process that left no details';
  return (
    `The saved models are locked by ${who}; gave up after ${(waitedMs / 1000).toFixed(1)} s. ` +
    `If no other editor window is saving or changing a model, delete ${lockPath} and try again.`
  );
}
