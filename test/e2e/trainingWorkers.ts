// The panel's data-parallel training workers, seen from the browser: each is a dedicated worker
// named "training worker N" (webview/ml/workers/workerPool.ts), beside the workbench's own.
import type { Page } from 'playwright-core';
import { retry } from '../harness/browser';

/** The training workers alive in the page now. */
export async function trainingWorkerNames(page: Page): Promise<string[]> {
  const names = await Promise.all(
    page.workers().map((worker) =>
      // A worker that ends meanwhile cannot answer: it is not alive.
      worker.evaluate(() => (globalThis as unknown as { name: string }).name).catch(() => ''),
    ),
  );
  return names.filter((name) => name.startsWith('training worker')).sort();
}

/** Waits until exactly `count` training workers are alive. */
export async function waitForTrainingWorkers(page: Page, count: number, timeoutMs = 30_000): Promise<void> {
  await retry(async () => {
    const names = await trainingWorkerNames(page);
    if (names.length !== count) {
      throw new Error(`${names.length} training workers alive (${names.join(', ')}), not ${count}`);
    }
  }, timeoutMs);
}

/** The weight checksums each epoch's log line lists, one list per epoch, in order. */
export function replicaChecksums(log: string): string[][] {
  return [...log.matchAll(/Epoch (\d+): the \d+ workers' weights agree \(checksums ([0-9a-f, ]+)\)/g)].map((m) =>
    m[2].split(', '),
  );
}
