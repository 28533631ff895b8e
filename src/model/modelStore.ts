// The trained models on disk: one folder per training run under the extension's global storage,
// <storage>/runs/<id>/{model.json, weights.bin, run.json}, the last `limit` runs kept, and a
// pointer, runs/selected.json, to the run "Classify image" uses. Every editor window has its own
// extension host on the same folder: reading needs no lock (a run folder appears whole, by one
// rename, and never changes; the pointer is replaced whole), and every change to the set of runs
// or to the pointer happens under one lock across processes (storeLock.ts). A save that fails for
// a passing reason is tried again (retry.ts). No `vscode` import: the store is unit-tested in Node.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runsToDrop } from '../shared/experiments/historyLimit';
import type { SavedRun } from '../shared/savedRun';
import { exists } from './durableFiles';
import {
  checkWeightBytes,
  ModelFile,
  ModelFolder,
  ModelToSave,
  readModelFiles,
  readModelFolder,
  writeModelFiles,
} from './modelFiles';
import { discardRun, isRunId, nextRunId, publishRun, removeLeftovers, runIds, writeStaging } from './runFolders';
import { readSelectedId, writeSelectedId } from './selectionPointer';
import { retryTransient, SAVE_RETRY_DELAYS_MS } from './retry';
import { DEFAULT_LOCK_WAIT_MS, withLock } from './storeLock';

export { expectedWeightBytes, MODEL_FILES, modelFilesOf } from './modelFiles';
export type { ModelFile, ModelToSave, WeightSpec } from './modelFiles';

/** The folder under the storage that holds every run's folder (and nothing a webview must not read). */
export const RUNS_FOLDER = 'runs';
const LOCK_FILE = '.lock';

export interface StoredRun {
  /** The run's save time and a random suffix: ids sort from oldest to newest. */
  id: string;
  /** The run's folder, holding model.json, weights.bin and run.json. */
  folder: string;
  run: SavedRun;
  /** The three files' sizes together. */
  bytes: number;
  /** The run "Classify image" uses. */
  selected: boolean;
}

export interface ModelStoreOptions {
  /** How many runs are kept, the selected one always among them (default 20). */
  limit?: number;
  /** How long a change waits for another window's lock before giving up (default DEFAULT_LOCK_WAIT_MS). */
  lockTimeoutMs?: number;
  /** Waits before trying a save again after a transient file error (default SAVE_RETRY_DELAYS_MS). */
  saveRetryDelaysMs?: readonly number[];
  /** Told of each transient failure before the save is tried again. */
  onSaveRetry?: (error: unknown, attempt: number) => void;
}

export class RunNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`There is no saved run ${id}; it may have been removed.`);
    this.name = 'RunNotFoundError';
  }
}

export class ModelStore {
  readonly runsDir: string;
  private readonly limit: number;
  private readonly lockTimeoutMs: number;

  /** The store in `storageDir`. Opening it reads and writes nothing. */
  static async open(storageDir: string, options: ModelStoreOptions = {}): Promise<ModelStore> {
    return new ModelStore(storageDir, options);
  }

  private constructor(
    readonly storageDir: string,
    private readonly options: ModelStoreOptions,
  ) {
    this.runsDir = join(storageDir, RUNS_FOLDER);
    this.limit = options.limit ?? 20;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_WAIT_MS;
    if (!Number.isInteger(this.limit) || this.limit < 1) {
      throw new RangeError(`A model store keeps at least one run; ${this.limit} is not a run count.`);
    }
  }

  /**
   * Saves a trained model as a new run and selects it; the oldest runs beyond the limit go,
   * except those of the run's own repeat or sweep (kept whole while it runs). The
   * files are written and flushed in a staging folder without the lock, then published by one
   * rename under it. A failed save leaves every run and the pointer as they were; one that failed
   * for a passing reason (a file held by another program) is tried again a few times first.
   */
  async save(model: ModelToSave): Promise<StoredRun> {
    checkWeightBytes(model);
    return retryTransient(
      () => this.saveOnce(model),
      this.options.saveRetryDelaysMs ?? SAVE_RETRY_DELAYS_MS,
      this.options.onSaveRetry,
    );
  }

  private async saveOnce(model: ModelToSave): Promise<StoredRun> {
    await mkdir(this.runsDir, { recursive: true });
    const staging = await writeStaging(this.runsDir, (folder) => writeModelFiles(folder, model));
    try {
      return await this.locked(async () => {
        const id = nextRunId((await runIds(this.runsDir)).at(-1));
        const stored = await this.readBack(id, await publishRun(this.runsDir, staging, id));
        await writeSelectedId(this.runsDir, id).catch(async (error: unknown) => {
          await discardRun(this.runsDir, id);
          throw error;
        });
        await this.prune(model.run.group?.id);
        return { ...stored, selected: true };
      });
    } finally {
      // Gone already once published; still there when the lock could not be had.
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** The complete runs, newest first; incomplete or damaged folders are skipped. Changes nothing. */
  async list(): Promise<StoredRun[]> {
    // The pointer first: a run it names was published before it, so the listing below has it.
    const pointed = await readSelectedId(this.runsDir);
    const ids = (await runIds(this.runsDir)).reverse();
    const folders = await Promise.all(ids.map((id) => readModelFolder(join(this.runsDir, id))));
    const runs = ids.flatMap((id, i): StoredRun[] => {
      const found = folders[i];
      return found ? [this.storedRun(id, found, false)] : [];
    });
    const selected = runs.find((run) => run.id === pointed) ?? runs[0];
    if (selected) {
      selected.selected = true;
    }
    return runs;
  }

  /** The run "Classify image" uses: the one the pointer names, else the newest complete run. */
  async selected(): Promise<StoredRun | undefined> {
    const pointed = await readSelectedId(this.runsDir);
    if (pointed !== undefined && isRunId(pointed)) {
      const found = await readModelFolder(join(this.runsDir, pointed));
      if (found) {
        return this.storedRun(pointed, found, true);
      }
    }
    return (await this.list()).find((run) => run.selected);
  }

  /** Makes run `id` the one "Classify image" uses. */
  async select(id: string): Promise<StoredRun> {
    const folder = this.folderOf(id);
    return this.locked(async () => {
      const found = await readModelFolder(folder);
      if (!found) {
        throw new RunNotFoundError(id);
      }
      await writeSelectedId(this.runsDir, id);
      return this.storedRun(id, found, true);
    });
  }

  /**
   * Removes run `id`. When it was the selected one, the newest remaining run becomes selected.
   * Returns the selected run afterwards (undefined when none is left).
   */
  async remove(id: string): Promise<StoredRun | undefined> {
    const folder = this.folderOf(id);
    return this.locked(async () => {
      if (!(await exists(folder))) {
        throw new RunNotFoundError(id);
      }
      const runs = await this.list();
      const selectedBefore = runs.find((run) => run.selected);
      let selectedAfter = selectedBefore;
      if (selectedBefore?.id === id) {
        // Written down rather than left to the newest-run fallback, so that it stays selected.
        selectedAfter = runs.find((run) => run.id !== id);
        await writeSelectedId(this.runsDir, selectedAfter?.id);
      }
      await discardRun(this.runsDir, id);
      return selectedAfter && { ...selectedAfter, selected: true };
    });
  }

  /** Run `id`'s three files, read together and checked to form a complete model: for an export. */
  async readFiles(id: string): Promise<ModelFile[]> {
    const files = await readModelFiles(this.folderOf(id));
    if (!files) {
      throw new RunNotFoundError(id);
    }
    return files;
  }

  /** Bytes taken by the complete runs. */
  async usage(): Promise<number> {
    return (await this.list()).reduce((sum, run) => sum + run.bytes, 0);
  }

  /** The folder of run `id`; ids from elsewhere are checked, so that none reaches outside the store. */
  private folderOf(id: string): string {
    if (!isRunId(id)) {
      throw new RunNotFoundError(id);
    }
    return join(this.runsDir, id);
  }

  private storedRun(id: string, found: ModelFolder, selected: boolean): StoredRun {
    return { id, folder: join(this.runsDir, id), run: found.run, bytes: found.bytes, selected };
  }

  /** A just-published run, read back before anything points at it. */
  private async readBack(id: string, folder: string): Promise<StoredRun> {
    const found = await readModelFolder(folder);
    if (!found) {
      await discardRun(this.runsDir, id);
      throw new Error(`The model saved to ${folder} did not read back complete; nothing was saved.`);
    }
    return this.storedRun(id, found, false);
  }

  /**
   * Removes the oldest runs so that `limit` are left, never the selected one nor a run of
   * `savingGroup`, the repeat or sweep being saved (see historyLimit.ts). Under the lock.
   */
  private async prune(savingGroup: string | undefined): Promise<void> {
    const runs = (await this.list()).map((run) => ({ id: run.id, selected: run.selected, groupId: run.run.group?.id }));
    for (const id of runsToDrop(runs, this.limit, savingGroup)) {
      // The save has succeeded whatever happens here; a run that cannot go now (on Windows, one
      // whose file another process has open) goes with a later save.
      await discardRun(this.runsDir, id).catch(() => undefined);
    }
  }

  /** Runs `work` under the lock, after clearing what crashed processes left behind. */
  private async locked<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(this.runsDir, { recursive: true });
    return withLock(join(this.runsDir, LOCK_FILE), this.lockTimeoutMs, async () => {
      await removeLeftovers(this.runsDir);
      return work();
    });
  }
}
