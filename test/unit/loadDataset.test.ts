// The panel's side of the data set: what it fetches is checked again, and a compact copy that
// unpacks to more than the file should hold is stopped there, not inflated whole.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { DatasetRole } from '../../src/shared/datasetFiles';
import { loadDataset, readExpected } from '../../webview/ml/loadDataset';
import { syntheticDataset } from './datasetFixtures';

describe("the panel's data set loading", () => {
  const files = syntheticDataset();
  /** 64 MB of zeros: about 64 KB as gzip, far past any file's expected size once unpacked. */
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  let server: Server;
  let base: string;

  before(async () => {
    server = createServer((request, response) => {
      const name = request.url!.slice(1);
      const file = files.find((f) => name === f.name || name === `${f.name}.gz`);
      if (name.startsWith('bomb/')) {
        response.end(bomb);
      } else if (file) {
        response.end(name.endsWith('.gz') ? gzipSync(file.content) : file.content);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  after(() => new Promise((resolve) => server.close(resolve)));

  const urls = (prefix = '', suffix = '') =>
    Object.fromEntries(files.map((f) => [f.role, `${base}${prefix}${f.name}${suffix}`])) as Record<DatasetRole, string>;

  it('loads the compact copies when they check out', async () => {
    const loaded = await loadDataset({ urls: urls(), compactUrls: urls('', '.gz') }, { spec: files });
    assert.deepEqual(Object.values(loaded.origins), ['compact', 'compact', 'compact', 'compact']);
    assert.equal(loaded.train.labels.length, 256);
  });

  it('stops unpacking a compact copy at the size the file should have, and loads the plain copy', async () => {
    const fallbacks: string[] = [];
    const loaded = await loadDataset(
      { urls: urls(), compactUrls: urls('bomb/', '.gz') },
      { spec: files, onFallback: (file, reason) => fallbacks.push(`${file}: ${reason}`) },
    );
    assert.deepEqual(Object.values(loaded.origins), ['plain', 'plain', 'plain', 'plain']);
    assert.equal(fallbacks.length, 4);
    for (const line of fallbacks) {
      assert.match(line, /unpacked has more than the \d+ bytes it should have/);
    }
  });

  it('reads a stream of the expected size whole, and refuses one byte more', async () => {
    const stream = (...chunks: number[][]) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          chunks.forEach((chunk) => controller.enqueue(Uint8Array.from(chunk)));
          controller.close();
        },
      });
    assert.deepEqual([...(await readExpected(stream([1, 2], [3]), 3, 'x'))], [1, 2, 3]);
    assert.deepEqual([...(await readExpected(stream([1]), 3, 'x'))], [1], 'short: the checksum check says so');
    await assert.rejects(readExpected(stream([1, 2], [3, 4]), 3, 'x'), /x has more than the 3 bytes/);
  });
});
