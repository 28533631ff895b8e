import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetCancelledError, DatasetError } from '../../src/data/datasetError';
import { DownloadOptions, downloadVerified, MAX_REDIRECTS, networkByteLimit } from '../../src/data/download';
import { FASHION_MNIST } from '../../src/shared/datasetFiles';
import {
  makeTempDir,
  makeTestCertificate,
  partFiles,
  ServeMode,
  SilentServer,
  startServer,
  startSilentServer,
  syntheticDataset,
  TestCertificate,
  TestServer,
} from './datasetFixtures';

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

  const url = (mode: ServeMode, on = server) => `${on.base(mode)}${images.name}.gz`;

  /** A failed download must leave an earlier good file untouched and no part file, and name the address. */
  async function assertFailsCleanly(address: string, expected: RegExp, options: DownloadOptions = {}): Promise<void> {
    writeFileSync(dest, 'previous good file');
    await assert.rejects(downloadVerified(address, images, dest, options), (error: Error) => {
      assert.ok(error instanceof DatasetError, `${error.name}: ${error.message}`);
      assert.match(error.message, expected);
      assert.ok(error.message.includes(address), error.message);
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

  it('accepts an uncompressed body', async () => {
    await downloadVerified(url('plain'), images, dest);
    assert.deepEqual(readFileSync(dest), images.content);
  });

  it('refuses a redirect that leaves the download unencrypted, even on the same host', () =>
    assertFailsCleanly(url('redirect'), /which is not https; refused/));

  it('fails cleanly when the server destroys the connection mid-body', () =>
    assertFailsCleanly(url('reset'), /connection broke after/));

  it('fails cleanly when the body is shorter than its Content-Length', () =>
    assertFailsCleanly(url('short'), /connection broke|cut short/));

  it('fails cleanly when a body without Content-Length stops early', () =>
    assertFailsCleanly(url('unsized'), /gzip data is damaged or cut short/));

  it('fails cleanly on corrupted content', () =>
    assertFailsCleanly(url('wrongContent'), /does not match the SHA-256 checksum/));

  it('fails cleanly on corrupted gzip bytes', () => assertFailsCleanly(url('wrongGzip'), /.+/));

  it('fails cleanly on an HTTP error', () => assertFailsCleanly(url('missing' as ServeMode), /HTTP 404/));

  it('fails cleanly when the server stalls', () => assertFailsCleanly(url('stall'), /stalled/, { idleTimeoutMs: 300 }));

  it('fails cleanly on a redirect to something that is not an address', () =>
    assertFailsCleanly(url('badRedirect'), /redirected to "http:\/\/\[", which is not an address/));

  describe('limits', () => {
    let silent: SilentServer;

    before(async () => {
      silent = await startSilentServer();
    });
    after(() => silent.close());

    for (const scheme of ['http', 'https'] as const) {
      it(`gives up when an ${scheme} server accepts the connection but never answers`, async () => {
        const started = performance.now();
        await assertFailsCleanly(`${silent.base(scheme)}${images.name}.gz`, /did not answer within 0\.2 s/, {
          connectTimeoutMs: 200,
          idleTimeoutMs: 10_000,
        });
        assert.ok(performance.now() - started < 2000);
      });
    }

    it('gives up at the deadline on a server that trickles bytes fast enough to never look idle', () =>
      assertFailsCleanly(url('trickle'), /not complete after 0\.3 s/, { deadlineMs: 300, idleTimeoutMs: 10_000 }));

    it('stops reading a body that never ends, at the byte limit', async () => {
      await assertFailsCleanly(url('endless'), /the server sent more than [\d,]+ bytes.*not the Fashion-MNIST file/);
    });

    it('refuses a body announced larger than the byte limit without reading it', () =>
      assertFailsCleanly(url('huge'), /announces 1,000,000,000 bytes, more than train-images-idx3-ubyte\.gz can be/));

    it('sets the byte limit above any real .gz and the decompressed size, and not far above the latter', () => {
      const upstreamGz = [26_421_880, 29_515, 4_422_102, 5_148];
      FASHION_MNIST.forEach((file, i) => {
        const limit = networkByteLimit(file);
        assert.ok(limit > file.bytes && limit > upstreamGz[i], file.name);
        assert.ok(limit < file.bytes * 1.01 + 2048, file.name);
      });
    });
  });

  describe('over https', () => {
    let certificate: TestCertificate | undefined;
    let secure: TestServer;

    before(async () => {
      certificate = makeTestCertificate();
      secure = await startServer(files, { tls: certificate, elsewhere: server.base('good') });
    });
    after(() => secure?.close());

    it('downloads from a server whose certificate the given CA signed', async () => {
      await downloadVerified(url('redirect', secure), images, dest, { ca: certificate!.cert });
      assert.deepEqual(readFileSync(dest), images.content);
      assert.deepEqual(partFiles(dir), []);
    });

    it('refuses a certificate nobody vouches for: verification stays on', () =>
      assertFailsCleanly(url('good', secure), /the request failed \(self[- ]signed certificate/));

    it('refuses a redirect from https to http, without contacting the http server', async () => {
      const before = server.requests.length;
      await assertFailsCleanly(url('elsewhere', secure), /which is not https; refused/, { ca: certificate!.cert });
      assert.equal(server.requests.length, before);
    });

    it(`follows up to ${MAX_REDIRECTS} redirects in a row, and refuses more`, async () => {
      await downloadVerified(url(`hops-${MAX_REDIRECTS}`, secure), images, dest, { ca: certificate!.cert });
      assert.deepEqual(readFileSync(dest), images.content);
      await assertFailsCleanly(
        url(`hops-${MAX_REDIRECTS + 1}`, secure),
        new RegExp(`more than ${MAX_REDIRECTS} redirects`),
        { ca: certificate!.cert },
      );
    });

    it('refuses an https redirect to a host the data set is not published on, without contacting it', async () => {
      const elsewhere = secure.base('good').replace('127.0.0.1', 'localhost');
      const redirecting = await startServer(files, { tls: certificate, elsewhere });
      try {
        const before = secure.requests.length;
        await assertFailsCleanly(
          url('elsewhere', redirecting),
          /redirected to localhost:\d+, which is not where the data set is published; refused/,
          {
            ca: certificate!.cert,
          },
        );
        assert.equal(secure.requests.length, before);
      } finally {
        await redirecting.close();
      }
    });
  });

  it('lets two downloads of the same file run at once, each in its own part file', async () => {
    const parts = new Set<string>();
    const watch = () => partFiles(dir).forEach((name) => parts.add(name));
    await Promise.all([
      downloadVerified(url('good'), images, dest, { onProgress: watch }),
      downloadVerified(url('good'), images, dest, { onProgress: watch }),
    ]);
    assert.deepEqual(readFileSync(dest), images.content);
    assert.deepEqual(partFiles(dir), []);
    assert.equal(parts.size, 2, [...parts].join(', '));
  });

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
