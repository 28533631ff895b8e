// Data-parallel workers inside the test process: each is a ReplicaServer behind a MessageChannel,
// as a Web Worker is behind its port in the panel, so messages are cloned and transferred for real.
import { MessageChannel } from 'node:worker_threads';
import type { CoordinatorToWorker, WorkerToCoordinator } from '../../src/shared/ml/parallel/messages';
import type { WorkerEndpoint } from '../../src/shared/ml/parallel/parallelTrainer';
import { ReplicaServer } from '../../src/shared/ml/parallel/replicaServer';

export interface InProcessWorkers {
  endpoints: WorkerEndpoint[];
  /** How many were terminated. */
  terminated(): number;
}

/** Workers that run in this process; each message crosses a real MessageChannel (structured clone, transfers). */
export function inProcessWorkers(count: number, failOn?: (message: CoordinatorToWorker) => boolean): InProcessWorkers {
  let terminated = 0;
  const endpoints = Array.from({ length: count }, (): WorkerEndpoint => {
    const { port1: page, port2: worker } = new MessageChannel();
    const server = new ReplicaServer((message, transfer) => worker.postMessage(message, transfer as ArrayBuffer[]));
    worker.on('message', (message: CoordinatorToWorker) => {
      try {
        if (failOn?.(message)) {
          throw new Error(`out of memory (pretend) on ${message.type}`);
        }
        server.handle(message);
      } catch (error) {
        worker.postMessage({ type: 'failed', index: -1, message: String(error) } satisfies WorkerToCoordinator);
      }
    });
    return {
      postMessage: (message, transfer) => page.postMessage(message, transfer as ArrayBuffer[]),
      listen: (onMessage) => page.on('message', onMessage),
      terminate: () => {
        terminated++;
        server.dispose();
        page.close();
        worker.close();
      },
    };
  });
  return { endpoints, terminated: () => terminated };
}
