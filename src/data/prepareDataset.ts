// Finds the Fashion-MNIST files and leaves a verified, decompressed copy of each in one folder
// under the extension's storage, from which the panel loads them. Pure Node (no `vscode`), so
// the search order is unit-tested in plain Node; ensureDataset.ts adds the editor's UI.
//
// Search order: the folder in `fashionClassifier.datasetPath` when set, and then only that
// folder: a configured folder that is wrong is reported, not silently replaced by a download.
// Otherwise, file by file: the copy already in storage, the system folder (Debian's
// dataset-fashion-mnist), a download. Sources mix freely because every copy is checked against
// the same decompressed SHA-256.
//
// Downloads try each address of FASHION_MNIST_DOWNLOAD_BASES in turn (HTTPS first) for each file.
//
// Copies in storage are re-hashed on every call instead of being trusted from a size+mtime stamp:
// all four (55 MB) take about 0.1 s on an idle machine (the real-data unit test prints it), and
// the hash also catches a copy torn by a crash or power loss after the rename, which a stamp
// would wave through. A configured folder is re-checked too (about 0.3 s more when gzipped), so
// a folder that went bad is reported rather than masked by an older copy. A copy found bad is
// deleted only if it is still the file that was checked: another window may have just installed a
// good one in its place, and its panel may be loading it.
import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import {
  DATASET_FOLDER,
  DatasetFileSpec,
  DatasetSpec,
  FASHION_MNIST,
  FASHION_MNIST_DOWNLOAD_BASES,
} from '../shared/datasetFiles';
import { DatasetError } from './datasetError';
import { DownloadOptions, downloadVerified } from './download';
import type { TransferOptions } from './httpExchange';
import { installVerified, isGzip, readChunks, verifyFile } from './verifyFile';

export const DATASET_SETTING = 'fashionClassifier.datasetPath';

/** Where a file came from, in search order. */
export type DatasetSource = 'setting' | 'storage' | 'system' | 'download';
const SOURCE_ORDER: readonly DatasetSource[] = ['setting', 'storage', 'system', 'download'];

export interface PreparedFile extends DatasetFileSpec {
  /** The verified, decompressed copy under the storage folder. */
  path: string;
  /**
   * A gzip copy next to it (`<path>.gz`), when one exists: the panel fetches it instead, about
   * 45% fewer bytes, and checks its content against the same table before using it.
   */
  compactPath?: string;
  source: DatasetSource;
}

export interface PreparedDataset {
  /** Folder holding the verified, decompressed files (each named as in the spec). */
  folder: string;
  /** The latest source in the search order any file came from: 'download' if anything was downloaded. */
  source: DatasetSource;
  /** In spec order. */
  files: PreparedFile[];
  /** Problems that did not stop preparation, such as a damaged system copy replaced by a download; worth showing. */
  warnings: string[];
}

/** A file no local source had, with what went wrong on the way. */
export interface MissingFile {
  file: DatasetFileSpec;
  problems: string[];
}

/** The outcome of the local sources: what is ready and what still needs a download. */
export interface LocalSearch {
  folder: string;
  spec: DatasetSpec;
  found: PreparedFile[];
  missing: MissingFile[];
}

export interface LocalOptions {
  /** The resolved `fashionClassifier.datasetPath`; empty or undefined when not set. */
  settingPath?: string;
  /** The extension's global storage folder; the verified files go into its `dataset` folder. */
  storageDir: string;
  /** Read-only folder of a system-wide copy (Debian's package). */
  systemDir?: string;
  /** The files to prepare; the real Fashion-MNIST table unless a test passes its own. */
  spec?: DatasetSpec;
  signal?: AbortSignal;
}

export interface DownloadProgress {
  /** The name being downloaded, e.g. `train-images-idx3-ubyte.gz`. */
  file: string;
  /** Network bytes of this file so far, and its size when the server announced it. */
  received: number;
  total: number | undefined;
  /** 0..1 over all files to download, weighted by their size. */
  fraction: number;
}

export interface DownloadStepOptions extends TransferOptions {
  /**
   * Addresses the `<name>.gz` files are under, tried in order for each file until one gives a
   * verified copy: FASHION_MNIST_DOWNLOAD_BASES, or a test server alone. No download when empty.
   */
  downloadBases?: readonly string[];
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

export type PrepareOptions = LocalOptions & DownloadStepOptions;

/** Runs the whole search: the local sources, then downloads for whatever they lacked. */
export async function prepareDataset(options: PrepareOptions): Promise<PreparedDataset> {
  return downloadMissing(await findLocalDataset(options), options);
}

/**
 * The local part of the search; fast, needs no network and no progress UI. Throws a
 * DatasetError (involvesSetting) when the configured folder is wrong.
 */
export async function findLocalDataset(options: LocalOptions): Promise<LocalSearch> {
  const spec = options.spec ?? FASHION_MNIST;
  const folder = join(options.storageDir, DATASET_FOLDER);
  await mkdir(folder, { recursive: true });
  await removeStaleParts(folder);
  const search: LocalSearch = { folder, spec, found: [], missing: [] };
  const { settingPath, systemDir, signal } = options;

  if (settingPath) {
    await checkSettingFolder(settingPath);
    for (const file of spec) {
      const target = join(folder, file.name);
      const problems: string[] = [];
      const sources = await candidates(settingPath, file.name);
      if (sources.length === 0) {
        throw new DatasetError(
          `${settingPath} (the setting ${DATASET_SETTING}) has no ${file.name} or ${file.name}.gz. ` +
            `Put the four Fashion-MNIST files there, or clear the setting to let the extension find or download them.`,
          { involvesSetting: true },
        );
      }
      const targetIsGood = await storedCopyIsGood(target, file, signal);
      if (!(await takeFirstGood(sources, file, target, targetIsGood, problems, signal))) {
        throw new DatasetError(
          `${problems.join(' ')} Replace it with a good copy, or clear the setting ${DATASET_SETTING} ` +
            `to let the extension find or download the data set.`,
          { involvesSetting: true },
        );
      }
      search.found.push({ ...file, path: target, source: 'setting' });
    }
    return search;
  }

  for (const file of spec) {
    const target = join(folder, file.name);
    if (await storedCopyIsGood(target, file, signal)) {
      search.found.push({ ...file, path: target, source: 'storage' });
      continue;
    }
    const problems: string[] = [];
    const sources = systemDir ? await candidates(systemDir, file.name) : [];
    if (await takeFirstGood(sources, file, target, false, problems, signal)) {
      search.found.push({ ...file, path: target, source: 'system' });
      continue;
    }
    search.missing.push({
      file,
      problems: problems.map(
        (problem) =>
          `${problem} Reinstall Debian's package to repair it: sudo apt-get install --reinstall dataset-fashion-mnist.`,
      ),
    });
  }
  return search;
}

/** Downloads what the local search lacked, one file after the other, and returns the whole data set. */
export async function downloadMissing(search: LocalSearch, options: DownloadStepOptions): Promise<PreparedDataset> {
  const { downloadBases: bases = [], onProgress, ...transfer } = options;
  const files = [...search.found];
  const warnings: string[] = [];
  const totalBytes = search.missing.reduce((sum, { file }) => sum + file.bytes, 0);
  let doneBytes = 0;
  for (const { file, problems } of search.missing) {
    if (bases.length === 0) {
      throw new DatasetError(
        cannotGet(file, [...problems, `${file.name} was not found, and no download address is set.`]),
      );
    }
    const target = join(search.folder, file.name);
    await downloadFromFirst(bases, file, target, problems, {
      ...transfer,
      onProgress: (received, total) => {
        const share = total ? Math.min(1, received / total) : 0;
        onProgress?.({
          file: `${file.name}.gz`,
          received,
          total,
          fraction: (doneBytes + share * file.bytes) / totalBytes,
        });
      },
    });
    doneBytes += file.bytes;
    files.push({ ...file, path: target, source: 'download' });
    if (problems.length > 0) {
      warnings.push(`${problems.join(' ')} A verified copy of ${file.name} was downloaded instead.`);
    }
  }
  const order = (file: PreparedFile) => search.spec.findIndex((entry) => entry.name === file.name);
  files.sort((a, b) => order(a) - order(b));
  // The compact copies are offered only once checked, like the plain ones: the panel would
  // otherwise unpack whatever lies there (it stops at the expected size, but need not get that far).
  const compactGood = await Promise.all(
    files.map((file) => compactCopyIsGood(compactPathOf(file.path), file, options.signal)),
  );
  files.forEach((file, i) => {
    if (compactGood[i]) {
      file.compactPath = compactPathOf(file.path);
    }
  });
  const latest = Math.max(...files.map((file) => SOURCE_ORDER.indexOf(file.source)));
  return { folder: search.folder, source: SOURCE_ORDER[Math.max(0, latest)], files, warnings };
}

/**
 * Downloads `file` from the first of `bases` that gives a verified copy. When none does, throws a
 * DatasetError with the local `problems` and what went wrong at each base; a cancel is thrown at
 * once. Progress starts over with each base.
 */
async function downloadFromFirst(
  bases: readonly string[],
  file: DatasetFileSpec,
  target: string,
  problems: string[],
  options: DownloadOptions,
): Promise<void> {
  const failures: string[] = [];
  for (const base of bases) {
    const url = new URL(`${file.name}.gz`, withTrailingSlash(base)).href;
    try {
      await downloadVerified(url, file, target, options);
      return;
    } catch (error) {
      if (!(error instanceof DatasetError)) {
        throw error;
      }
      failures.push(error.message);
    }
  }
  throw new DatasetError(cannotGet(file, [...problems, ...failures]));
}

/**
 * Turns the raw setting into an absolute folder, or undefined when it is not set. `~` means the
 * home folder, as people write it in settings; a relative path is taken from the first
 * workspace folder, the only base a person could mean.
 */
export function resolveSettingPath(
  raw: unknown,
  home: string,
  workspaceFolder: string | undefined,
): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return undefined;
  }
  const path = raw.trim();
  if (path === '~' || path.startsWith('~/') || path.startsWith('~\\')) {
    return join(home, path.slice(1));
  }
  if (isAbsolute(path)) {
    return resolve(path);
  }
  if (workspaceFolder) {
    return resolve(workspaceFolder, path);
  }
  throw new DatasetError(
    `The setting ${DATASET_SETTING} is a relative path (${path}) and no folder is open; use an absolute path.`,
    {
      involvesSetting: true,
    },
  );
}

function cannotGet(file: DatasetFileSpec, problems: string[]): string {
  return (
    `Could not get the Fashion-MNIST file ${file.name}. ${problems.join(' ')} ` +
    `To fix it: check the network and try again, or install Debian's dataset-fashion-mnist ` +
    `(sudo apt-get install dataset-fashion-mnist), or download the four .gz files from ` +
    `${FASHION_MNIST_DOWNLOAD_BASES[0]} yourself and set ${DATASET_SETTING} to their folder.`
  );
}

function withTrailingSlash(base: string): string {
  // Without it, URL resolution would drop the base's last path segment.
  return base.endsWith('/') ? base : `${base}/`;
}

async function checkSettingFolder(settingPath: string): Promise<void> {
  const info = await stat(settingPath).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new DatasetError(
      `The setting ${DATASET_SETTING} points to ${settingPath}, which ${info ? 'is not a folder' : 'does not exist'}. ` +
        `Correct the path, or clear the setting to let the extension find or download the data set.`,
      { involvesSetting: true },
    );
  }
}

/** The plain and the gzipped file of that name in `dir`, those that exist; plain first, as it needs no gunzip. */
async function candidates(dir: string, name: string): Promise<string[]> {
  const paths = [join(dir, name), join(dir, `${name}.gz`)];
  const present = await Promise.all(paths.map((path) => isFile(path)));
  return paths.filter((_, i) => present[i]);
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/**
 * Whether our own copy is good; a bad one is deleted, as it is only a cache and must not look
 * complete, unless another window replaced it while it was being checked.
 */
async function storedCopyIsGood(
  target: string,
  file: DatasetFileSpec,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const checked = await stat(target, { bigint: true }).catch(() => undefined);
  if (!checked?.isFile()) {
    return false;
  }
  try {
    await verifyFile(target, file, signal);
    return true;
  } catch (error) {
    if (!(error instanceof DatasetError)) {
      throw error;
    }
    await removeIfUnchanged(target, checked);
    return false;
  }
}

/** Whether the compact copy at `path` is a gzip file of the right content; a bad one is deleted. */
async function compactCopyIsGood(
  path: string,
  file: DatasetFileSpec,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (!(await isFile(path))) {
    return false;
  }
  const head = Buffer.alloc(2);
  const handle = await open(path, 'r');
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  return isGzip(head) && storedCopyIsGood(path, file, signal);
}

/**
 * Deletes `path` only if it is still the file `checked` describes (same device, inode, size and
 * modification time), and says whether it did. Installs rename a new file into place, so a copy
 * another window installed meanwhile differs in inode, or, if the inode number was reused, in
 * modification time. What remains is the instant between this stat and the delete.
 */
export async function removeIfUnchanged(path: string, checked: BigIntStats): Promise<boolean> {
  const now = await stat(path, { bigint: true }).catch(() => undefined);
  const unchanged =
    now !== undefined &&
    now.dev === checked.dev &&
    now.ino === checked.ino &&
    now.size === checked.size &&
    now.mtimeNs === checked.mtimeNs;
  if (unchanged) {
    await rm(path, { force: true });
  }
  return unchanged;
}

/**
 * Uses the first of `sources` that verifies: installs it as `target`, or, when `target` is
 * already good, only verifies it. Records each failure in `problems`.
 */
async function takeFirstGood(
  sources: string[],
  file: DatasetFileSpec,
  target: string,
  targetIsGood: boolean,
  problems: string[],
  signal: AbortSignal | undefined,
): Promise<boolean> {
  for (const source of sources) {
    try {
      if (targetIsGood) {
        await verifyFile(source, file, signal);
      } else {
        await installVerified(readChunks(source), file, target, source, { signal });
      }
      await keepCompactCopy(source, target);
      return true;
    } catch (error) {
      if (!(error instanceof DatasetError)) {
        throw error;
      }
      problems.push(error.message);
    }
  }
  return false;
}

function compactPathOf(path: string): string {
  return `${path}.gz`;
}

/**
 * Keeps a gzip source's bytes as `<target>.gz` for the panel, which fetches fewer bytes that way.
 * A cache, never trusted: the panel checks the content it unpacks against the table. Best effort:
 * without it the panel fetches the decompressed copy.
 */
async function keepCompactCopy(source: string, target: string): Promise<void> {
  const compact = compactPathOf(target);
  const part = `${compact}.${randomBytes(6).toString('hex')}.part`;
  try {
    const handle = await open(source, 'r');
    const head = Buffer.alloc(2);
    try {
      await handle.read(head, 0, 2, 0);
    } finally {
      await handle.close();
    }
    if (!isGzip(head)) {
      return;
    }
    await copyFile(source, part);
    await rename(part, compact);
  } catch {
    await rm(part, { force: true });
  }
}

/**
 * Deletes `.part` files nobody has written to for an hour: left by an editor that was killed
 * mid-download. Younger ones may belong to another window downloading right now.
 */
async function removeStaleParts(folder: string): Promise<void> {
  const staleBefore = Date.now() - 60 * 60 * 1000;
  for (const name of await readdir(folder)) {
    if (name.endsWith('.part')) {
      const path = join(folder, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < staleBefore) {
        await rm(path, { force: true });
      }
    }
  }
}
