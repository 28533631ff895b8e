// The data set files kept in the panel's own storage (IndexedDB), so that opening the panel again
// reads them from the browser's disk instead of moving 30 MB through the editor's webview channel
// once more (about 1.5 s on the development machine, 0.1 s from here). A cache, never trusted:
// what it returns has been checked against the published size and SHA-256.
import type { DatasetFileSpec } from '../../src/shared/datasetFiles';
import type { FileCache } from './loadDataset';

const DATABASE = 'fashion-classifier';
const STORE = 'dataset-files';

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB did not open.'));
  });
}

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed.'));
  });
}

/** Files are stored under their content hash: a changed table can never return old content. */
const keyOf = (spec: DatasetFileSpec) => `${spec.name}@${spec.sha256}`;

export class DatasetCache implements FileCache {
  private database: Promise<IDBDatabase | undefined> | undefined;

  /** Opens the cache; a page without IndexedDB (or with it blocked) simply has no cache. */
  private db(): Promise<IDBDatabase | undefined> {
    this.database ??= openDatabase().catch(() => undefined);
    return this.database;
  }

  /** The file's bytes from the cache, or undefined when absent or unreadable. Not yet checked. */
  async read(spec: DatasetFileSpec): Promise<Uint8Array<ArrayBuffer> | undefined> {
    const db = await this.db();
    if (!db) {
      return undefined;
    }
    try {
      const value = await settle(db.transaction(STORE).objectStore(STORE).get(keyOf(spec)));
      return value instanceof ArrayBuffer ? new Uint8Array(value) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keeps checked bytes for next time; failures (quota, private mode) only mean no cache. */
  async write(spec: DatasetFileSpec, bytes: Uint8Array): Promise<void> {
    const db = await this.db();
    if (!db) {
      return;
    }
    try {
      const copy = bytes.slice().buffer;
      await settle(db.transaction(STORE, 'readwrite').objectStore(STORE).put(copy, keyOf(spec)));
    } catch {
      // No cache this time.
    }
  }

  /** Drops an entry whose content turned out wrong. */
  async remove(spec: DatasetFileSpec): Promise<void> {
    const db = await this.db();
    await (db
      ? settle(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(keyOf(spec))).catch(() => undefined)
      : undefined);
  }
}
