// A static HTTP server on 127.0.0.1 for the benchmark page: the page, its bundle and the training
// workers' bundle (held in memory, so cleaning test-output/ during a run cannot break them), the
// decompressed data set and the WASM backend's binaries. No COOP/COEP headers, so the page is not
// cross-origin isolated, like a VS Code webview (the WASM backend then runs without threads).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FASHION_MNIST } from '../../src/shared/datasetFiles';

export interface BenchServer {
  origin: string;
  dataUrl: string;
  wasmUrl: string;
  /** The data-parallel training workers' bundle, as the panel ships it. */
  workerUrl: string;
  close(): Promise<void>;
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>bench</title><script src="/bench.js"></script>';

export async function startBenchServer(
  bundle: Uint8Array,
  workerBundle: Uint8Array,
  datasetDir: string,
  wasmDir: string,
): Promise<BenchServer> {
  // Decompressed once: the page fetches the data set again for every run.
  const data = new Map(FASHION_MNIST.map((f) => [f.name, gunzipSync(readFileSync(join(datasetDir, `${f.name}.gz`)))]));
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (type: string, body: string | Buffer) => response.writeHead(200, { 'content-type': type }).end(body);
    try {
      if (path === '/') {
        send('text/html', PAGE);
      } else if (path === '/bench.js') {
        send('text/javascript', Buffer.from(bundle));
      } else if (path === '/training-worker.js') {
        send('text/javascript', Buffer.from(workerBundle));
      } else if (path.startsWith('/data/') && data.has(path.slice(6))) {
        send('application/octet-stream', data.get(path.slice(6))!);
      } else if (/^\/wasm\/[\w-]+\.wasm$/.test(path)) {
        // The MIME type lets the browser compile while downloading (instantiateStreaming).
        send('application/wasm', readFileSync(join(wasmDir, path.slice(6))));
      } else if (path === '/favicon.ico') {
        response.writeHead(204).end();
      } else {
        response.writeHead(404).end();
      }
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    dataUrl: `${origin}/data/`,
    wasmUrl: `${origin}/wasm/`,
    workerUrl: `${origin}/training-worker.js`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
