// Starts the training workers of data-parallel training. A webview's page is not cross-origin
// isolated, so WebAssembly has no threads there; Web Workers need no isolation, and each runs its
// own TF.js WASM backend on its own core. The worker's bundle and the WASM binary are fetched once
// per page: a worker must be started from a URL of the page's origin (a blob: of the bundle; the
// Content Security Policy allows `worker-src blob:` for this), and it cannot fetch the extension's
// files itself, so it gets the binary's bytes in its first message.
import * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../../../src/shared/errorMessage';
import type { BootMessage, WorkerToCoordinator } from '../../../src/shared/ml/parallel/messages';
import type { WorkerEndpoint } from '../../../src/shared/ml/parallel/parallelTrainer';

/** Where the page finds the worker's bundle and the WASM binaries. */
export interface WorkerSources {
  /** URL of dist/training-worker.js. */
  scriptUrl: string;
  /** Folder URL of the WASM backend's binaries, ending in a slash. */
  wasmFolderUrl: string;
}

/**
 * The browser's parts used here, declared because the benchmark page uses this module as the panel
 * does and is type-checked without the DOM library.
 */
interface BrowserWorker {
  postMessage(message: unknown, transfer: unknown[]): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerToCoordinator }) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEventLike) => void): void;
  addEventListener(type: 'messageerror', listener: () => void): void;
  removeEventListener(type: 'message' | 'error', listener: (event: never) => void): void;
  terminate(): void;
}

interface ErrorEventLike {
  message: string;
  preventDefault(): void;
}

interface ViolationListener {
  (event: { effectiveDirective: string }): void;
}

interface BrowserGlobals {
  Worker: new (url: string, options: { name: string }) => BrowserWorker;
  navigator: { hardwareConcurrency?: number };
  document: {
    addEventListener(type: 'securitypolicyviolation', listener: ViolationListener): void;
    removeEventListener(type: 'securitypolicyviolation', listener: ViolationListener): void;
  };
  URL: { createObjectURL(blob: Blob): string };
}

const browser = globalThis as unknown as BrowserGlobals;

interface LoadedSources {
  blobUrl: string;
  wasmBinary: ArrayBuffer;
  wasmFileName: string;
}

/** Starting takes fetching nothing (the page has the bytes), compiling TF.js and the binary: seconds at worst. */
const BOOT_TIMEOUT_MS = 30_000;

let sources: WorkerSources | undefined;
let loaded: Promise<LoadedSources> | undefined;

/** Tells the page where the worker's files are; until then no worker can start. */
export function configureTrainingWorkers(where: WorkerSources): void {
  sources = where;
}

/** The most workers this machine can use: one per core the browser reports. */
export function availableCores(): number {
  return Math.max(1, browser.navigator.hardwareConcurrency || 1);
}

async function loadSources(): Promise<LoadedSources> {
  if (!sources) {
    throw new Error('the page did not say where the worker script is');
  }
  const { scriptUrl, wasmFolderUrl } = sources;
  // The same binary TF.js chose for the page (no threads: the page is not cross-origin isolated).
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const wasmFileName = simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
  const [script, wasmBinary] = await Promise.all([
    fetchOk(scriptUrl).then((response) => response.blob()),
    fetchOk(`${wasmFolderUrl}${wasmFileName}`).then((response) => response.arrayBuffer()),
  ]);
  const blobUrl = browser.URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
  return { blobUrl, wasmBinary, wasmFileName };
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }
  return response;
}

/** A started worker as the coordinator sees it. */
function endpointOf(worker: BrowserWorker): WorkerEndpoint {
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
    listen(onMessage, onFailure) {
      worker.addEventListener('message', (event) => onMessage(event.data));
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        onFailure(event.message || 'its script stopped on an error');
      });
      worker.addEventListener('messageerror', () => onFailure('a message from it could not be read'));
    },
    terminate: () => worker.terminate(),
  };
}

/** Starts one worker and waits until its backend runs; rejects with the reason it did not. */
function bootWorker(source: LoadedSources, index: number): Promise<{ worker: BrowserWorker; slowKernels: string[] }> {
  const worker = new browser.Worker(source.blobUrl, { name: `training worker ${index + 1}` });
  return new Promise((resolve, reject) => {
    const cleanUp = () => {
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      browser.document.removeEventListener('securitypolicyviolation', onViolation);
    };
    const refuse = (reason: string) => {
      cleanUp();
      worker.terminate();
      reject(new Error(reason));
    };
    const onMessage = (event: { data: WorkerToCoordinator }) => {
      if (event.data.type === 'booted') {
        cleanUp();
        resolve({ worker, slowKernels: event.data.slowKernels });
      } else if (event.data.type === 'failed') {
        refuse(`its WebAssembly backend did not start (${event.data.message})`);
      }
    };
    const onError = (event: ErrorEventLike) => {
      event.preventDefault();
      refuse(event.message || 'its script did not run');
    };
    const onViolation: ViolationListener = (event) => {
      if (event.effectiveDirective === 'worker-src') {
        refuse("the page's Content Security Policy does not allow workers (worker-src)");
      }
    };
    const timer = setTimeout(() => refuse(`it did not start within ${BOOT_TIMEOUT_MS / 1000} s`), BOOT_TIMEOUT_MS);
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    browser.document.addEventListener('securitypolicyviolation', onViolation);
    const wasmBinary = source.wasmBinary.slice(0);
    const boot: BootMessage = { type: 'boot', wasmBinary, wasmFileName: source.wasmFileName };
    worker.postMessage(boot, [wasmBinary]);
  });
}

export interface StartedWorkers {
  endpoints: WorkerEndpoint[];
  /** Faster WASM kernels the workers' TF.js lacked (the same as the page's). */
  slowKernels: string[];
  /** Milliseconds from the call to the last worker's backend running. */
  startMs: number;
}

/**
 * Starts `count` workers, each with TF.js' WASM backend and this project's kernels. Rejects with
 * a reason a person can read when any does not start (the others are ended then).
 */
export async function startTrainingWorkers(count: number): Promise<StartedWorkers> {
  const started = performance.now();
  let source: LoadedSources;
  try {
    source = await (loaded ??= loadSources());
  } catch (error) {
    loaded = undefined;
    throw new Error(`The worker's files could not be loaded: ${errorMessage(error)}`, { cause: error });
  }
  const boots = Array.from({ length: count }, (_, i) => bootWorker(source, i));
  const outcomes = await Promise.allSettled(boots);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) {
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') {
        outcome.value.worker.terminate();
      }
    }
    throw new Error(`A training worker did not start: ${errorMessage(failed.reason)}`);
  }
  const workers = outcomes.map(
    (o) => (o as PromiseFulfilledResult<{ worker: BrowserWorker; slowKernels: string[] }>).value,
  );
  return {
    endpoints: workers.map(({ worker }) => endpointOf(worker)),
    slowKernels: workers[0]?.slowKernels ?? [],
    startMs: performance.now() - started,
  };
}
