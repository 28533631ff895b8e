import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetCancelledError, DatasetError } from '../../src/data/datasetError';
import { downloadVerified } from '../../src/data/download';
import { makeTempDir, partFiles, ServeMode, startServer, syntheticDataset, TestServer } from './datasetFixtures';

describe('downloading a data set file', () => {
  const files = syntheticDataset();
  const [images] = files;
  let server: TestServer;
  let dir: string;
  let dest: string;

  before(async () => {
    server = await startServer(files);
  });
  after(() => server.close());
  beforeEach(() => {
    dir = makeTempDir('download');
    dest = join(dir, images.name);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const url = (mode: ServeMode) => `${server.base(mode)}${images.name}.gz`;

  /** A failed download must leave an earlier good file untouched and no part file. */
  async function assertFailsCleanly(mode: ServeMode, expected: RegExp, options = {}): Promise<void> {
    writeFileSync(dest, 'previous good file');
    await assert.rejects(downloadVerified(url(mode), images, dest, options), (error: Error) => {
      assert.ok(error instanceof DatasetError, `${error.name}: ${error.message}`);
      assert.match(error.message, expected);
      assert.ok(error.message.includes(url(mode)), error.message);
      return true;
    });
    assert.equal(readFileSync(dest, 'utf8'), 'previous good file');
    assert.deepEqual(partFiles(dir), []);
  }

  it('downloads, decompresses and verifies a good transfer, reporting progress', async () => {
    const progress: [number, number | undefined][] = [];
    await downloadVerified(url('good'), images, dest, {
      onProgress: (received, total) => progress.push([received, total]),
    });
    assert.deepEqual(readFileSync(dest), images.content);
    assert.deepEqual(partFiles(dir), []);
    const [received, total] = progress[progress.length - 1];
    assert.ok(total && total > 0);
    assert.equal(received, total);
  });

  it('accepts an uncompressed body and follows a redirect', async () => {
    await downloadVerified(url('plain'), images, dest);
    assert.deepEqual(readFileSync(dest), images.content);
    rmSync(dest);
    await downloadVerified(url('redirect'), images, dest);
    assert.deepEqual(readFileSync(dest), images.content);
  });

  it('fails cleanly when the server destroys the connection mid-body', () =>
    assertFailsCleanly('reset', /connection broke after/));

  it('fails cleanly when the body is shorter than its Content-Length', () =>
    assertFailsCleanly('short', /connection broke|cut short/));

  it('fails cleanly when a body without Content-Length stops early', () =>
    assertFailsCleanly('unsized', /gzip data is damaged or cut short/));

  it('fails cleanly on corrupted content', () =>
    assertFailsCleanly('wrongContent', /does not match the SHA-256 checksum/));

  it('fails cleanly on corrupted gzip bytes', () => assertFailsCleanly('wrongGzip', /.+/));

  it('fails cleanly on an HTTP error', () => assertFailsCleanly('missing' as ServeMode, /HTTP 404/));

  it('fails cleanly when the server stalls', () => assertFailsCleanly('stall', /stalled/, { idleTimeoutMs: 300 }));

  it('fails cleanly when nothing listens', async () => {
    writeFileSync(dest, 'previous good file');
    await assert.rejects(downloadVerified(`http://127.0.0.1:1/${images.name}.gz`, images, dest), /the request failed/);
    assert.equal(readFileSync(dest, 'utf8'), 'previous good file');
    assert.deepEqual(partFiles(dir), []);
  });

  it('stops on cancellation mid-body, leaving no part and the old file', async () => {
    writeFileSync(dest, 'previous good file');
    const abort = new AbortController();
    const download = downloadVerified(url('stall'), images, dest, {
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await assert.rejects(download, DatasetCancelledError);
    assert.equal(readFileSync(dest, 'utf8'), 'previous good file');
    assert.deepEqual(partFiles(dir), []);
  });

  it('does not start when already cancelled', async () => {
    const before = server.requests.length;
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(downloadVerified(url('good'), images, dest, { signal: abort.signal }), DatasetCancelledError);
    assert.equal(server.requests.length, before);
  });
});
