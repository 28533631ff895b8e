// A training worker's script (bundled as dist/training-worker.js, started by the panel from a
// blob: URL; see webview/ml/workers/workerPool.ts): boots TF.js' WASM backend from the binary the
// page sends, with this project's kernels, then serves one replica of data-parallel training
// (src/shared/ml/parallel/replicaServer.ts).
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { errorMessage } from '../../src/shared/errorMessage';
import type { BootMessage, CoordinatorToWorker, WorkerToCoordinator } from '../../src/shared/ml/parallel/messages';
import { ReplicaServer } from '../../src/shared/ml/parallel/replicaServer';
import { installWasmTrainingKernels } from '../../src/shared/ml/wasm';

/** The part of a dedicated worker's global scope used here (the panel's types are the page's). */
interface WorkerScope {
  postMessage(message: WorkerToCoordinator, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<CoordinatorToWorker>) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const post = (message: WorkerToCoordinator, transfer?: unknown[]) =>
  scope.postMessage(message, (transfer ?? []) as Transferable[]);
const server = new ReplicaServer(post);
const fail = (error: unknown) => post({ type: 'failed', index: -1, message: errorMessage(error) });

/**
 * A worker cannot fetch the panel's resources (the webview's service worker, which serves them,
 * does not answer a blob: worker), so TF.js' fetch of its binary is answered from the bytes the
 * page sent.
 */
function serveWasmBinary({ wasmBinary, wasmFileName }: BootMessage): void {
  const platform = tf.env().platform;
  const fetchOnline = platform.fetch.bind(platform);
  platform.fetch = (path, init) => {
    if (path.endsWith(`/${wasmFileName}`)) {
      return Promise.resolve(new Response(wasmBinary, { headers: { 'content-type': 'application/wasm' } }));
    }
    if (path.endsWith('.wasm')) {
      return Promise.reject(new Error(`TF.js asked for ${path}, but the page sent ${wasmFileName}.`));
    }
    return fetchOnline(path, init);
  };
}

async function boot(message: BootMessage): Promise<void> {
  serveWasmBinary(message);
  // Each worker is one thread: the page sends the binary without threads (it has no cross-origin
  // isolation, and where it has, TF.js would start threads of its own in every worker).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // The folder is never fetched (see above); platform fetch makes TF.js ask for the binary by name.
  setWasmPaths('https://memory.invalid/', true);
  if (!(await tf.setBackend('wasm'))) {
    throw new Error("TF.js' WASM backend did not start in the worker.");
  }
  await tf.ready();
  post({ type: 'booted', slowKernels: installWasmTrainingKernels() });
}

scope.addEventListener('message', (event) => {
  try {
    if (event.data.type === 'boot') {
      boot(event.data).catch(fail);
    } else {
      server.handle(event.data);
    }
  } catch (error) {
    fail(error);
  }
});
scope.addEventListener('unhandledrejection', (event) => fail(event.reason));
