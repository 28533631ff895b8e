// Fetches the data set files the host prepared and turns them into examples: from the panel's
// own cache when it has them, else the compact (gzip) copies, else the plain files. Each file's
// content is checked against the published size and SHA-256 here too, so a damaged cache entry
// or compact copy (or a file changed after the host checked it) is never trained on.
import { DatasetFileSpec, DatasetRole, DatasetSpec, FASHION_MNIST } from '../../src/shared/datasetFiles';
import { checkSameCount, parseIdxImages, parseIdxLabels } from '../../src/shared/idx';
import type { ExampleBytes } from '../../src/shared/ml/tensors';

export interface LoadedDataset {
  train: ExampleBytes;
  test: ExampleBytes;
  /** Where each file came from, for the log. */
  origins: Record<DatasetRole, FileOrigin>;
}

/** The panel's cache, the host's gzip copy, or the host's plain copy. */
export type FileOrigin = 'cache' | 'compact' | 'plain';

export interface DatasetUrls {
  urls: Record<DatasetRole, string>;
  compactUrls?: Partial<Record<DatasetRole, string>>;
}

/** Reports a copy that could not be used (the next source was tried instead). */
export type FallbackListener = (file: string, reason: string) => void;

/** Where checked files are kept between panels (datasetCache.ts); anything it returns is checked again. */
export interface FileCache {
  read(spec: DatasetFileSpec): Promise<Uint8Array<ArrayBuffer> | undefined>;
  write(spec: DatasetFileSpec, bytes: Uint8Array): Promise<void>;
  remove(spec: DatasetFileSpec): Promise<void>;
}

export interface LoadOptions {
  onFallback?: FallbackListener;
  /** The panel's cache of checked files; read before fetching, written after. */
  cache?: FileCache;
  spec?: DatasetSpec;
}

async function fetchBody(url: string, file: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok || !response.body) {
    throw new Error(`${file} could not be read (HTTP ${response.status}).`);
  }
  return response;
}

function hex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function checked(bytes: Uint8Array<ArrayBuffer>, spec: DatasetFileSpec, what: string): Promise<Uint8Array> {
  if (bytes.length !== spec.bytes) {
    throw new Error(`${what} has ${bytes.length} bytes instead of ${spec.bytes}.`);
  }
  if (hex(await crypto.subtle.digest('SHA-256', bytes)) !== spec.sha256) {
    throw new Error(`${what} does not match the published SHA-256.`);
  }
  return bytes;
}

/**
 * Reads `stream` into one buffer of the expected size, and stops as soon as more arrives: a
 * damaged or swapped file (a gzip bomb above all) never takes more memory than the real one.
 */
export async function readExpected(
  stream: ReadableStream<Uint8Array>,
  expectedBytes: number,
  what: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(expectedBytes);
  const reader = stream.getReader();
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      if (length + value.length > expectedBytes) {
        throw new Error(`${what} has more than the ${expectedBytes} bytes it should have.`);
      }
      bytes.set(value, length);
      length += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return length === expectedBytes ? bytes : bytes.subarray(0, length);
}

async function fetchPlain(url: string, spec: DatasetFileSpec): Promise<Uint8Array> {
  const response = await fetchBody(url, spec.name);
  return checked(await readExpected(response.body!, spec.bytes, spec.name), spec, spec.name);
}

/** Fetches a gzip copy, unpacking it while it arrives, never past the size the file should have. */
async function fetchCompact(url: string, spec: DatasetFileSpec): Promise<Uint8Array> {
  const response = await fetchBody(url, `${spec.name}.gz`);
  const unpacked = response.body!.pipeThrough(new DecompressionStream('gzip'));
  const what = `${spec.name}.gz unpacked`;
  return checked(await readExpected(unpacked, spec.bytes, what), spec, what);
}

interface LoadedFile {
  bytes: Uint8Array;
  origin: FileOrigin;
}

async function fetchFile(
  spec: DatasetFileSpec,
  { urls, compactUrls }: DatasetUrls,
  { cache, onFallback = () => {} }: LoadOptions,
): Promise<LoadedFile> {
  const cached = await cache?.read(spec);
  if (cached) {
    try {
      return { bytes: await checked(cached, spec, `The cached ${spec.name}`), origin: 'cache' };
    } catch (error) {
      onFallback(`the cached ${spec.name}`, error instanceof Error ? error.message : String(error));
      await cache?.remove(spec);
    }
  }
  const loaded = await fetchChecked(spec, { urls, compactUrls }, onFallback);
  void cache?.write(spec, loaded.bytes);
  return loaded;
}

async function fetchChecked(
  spec: DatasetFileSpec,
  { urls, compactUrls }: DatasetUrls,
  onFallback: FallbackListener,
): Promise<LoadedFile> {
  const compact = compactUrls?.[spec.role];
  if (compact) {
    try {
      return { bytes: await fetchCompact(compact, spec), origin: 'compact' };
    } catch (error) {
      onFallback(`${spec.name}.gz`, error instanceof Error ? error.message : String(error));
    }
  }
  return { bytes: await fetchPlain(urls[spec.role], spec), origin: 'plain' };
}

/** Loads the training and test sets, as Keras' `load_data` returns them. */
export async function loadDataset(source: DatasetUrls, options: LoadOptions = {}): Promise<LoadedDataset> {
  const spec = options.spec ?? FASHION_MNIST;
  const byRole = (role: DatasetRole) => spec.find((file) => file.role === role)!;
  const roles = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
  const files = await Promise.all(roles.map((role) => fetchFile(byRole(role), source, options)));
  const [trainImages, trainLabels, testImages, testLabels] = files.map((file) => file.bytes);
  const train = {
    images: parseIdxImages(trainImages, 'train-images-idx3-ubyte'),
    labels: parseIdxLabels(trainLabels, 'train-labels-idx1-ubyte'),
  };
  const test = {
    images: parseIdxImages(testImages, 't10k-images-idx3-ubyte'),
    labels: parseIdxLabels(testLabels, 't10k-labels-idx1-ubyte'),
  };
  checkSameCount(train.images, train.labels, 'training set');
  checkSameCount(test.images, test.labels, 'test set');
  return {
    train: { pixels: train.images.pixels, labels: train.labels.labels },
    test: { pixels: test.images.pixels, labels: test.labels.labels },
    origins: Object.fromEntries(roles.map((role, i) => [role, files[i].origin])) as Record<DatasetRole, FileOrigin>,
  };
}
