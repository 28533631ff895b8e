import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetCancelledError, DatasetError } from '../../src/data/datasetError';
import { DownloadProgress, prepareDataset, PrepareOptions, resolveSettingPath } from '../../src/data/prepareDataset';
import {
  corrupt,
  makeTempDir,
  partFiles,
  startServer,
  syntheticDataset,
  TestServer,
  writeDataset,
} from './datasetFixtures';

describe('preparing the data set', () => {
  const files = syntheticDataset();
  const [trainImages, trainLabels, testImages, testLabels] = files;
  let server: TestServer;
  let root: string;
  let settingDir: string;
  let storageDir: string;
  let systemDir: string;
  let datasetDir: string;

  before(async () => {
    server = await startServer(files);
  });
  after(() => server.close());
  beforeEach(() => {
    root = makeTempDir('prepare');
    settingDir = join(root, 'setting');
    storageDir = join(root, 'storage');
    systemDir = join(root, 'system');
    datasetDir = join(storageDir, 'dataset');
    server.requests.length = 0;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function prepare(options: Partial<PrepareOptions> = {}) {
    return prepareDataset({ storageDir, systemDir, spec: files, downloadBase: server.base('good'), ...options });
  }

  function assertDatasetFolderGood(): void {
    for (const file of files) {
      assert.deepEqual(readFileSync(join(datasetDir, file.name)), file.content, file.name);
    }
    assert.deepEqual(partFiles(datasetDir), []);
  }

  const sources = (dataset: { files: { source: string }[] }) => dataset.files.map((file) => file.source);

  describe('search order', () => {
    it('uses the setting folder first, even when every other source has the files', async () => {
      writeDataset(settingDir, files, false);
      writeDataset(datasetDir, files, false);
      writeDataset(systemDir, files, true);
      const dataset = await prepare({ settingPath: settingDir });
      assert.equal(dataset.source, 'setting');
      assert.deepEqual(sources(dataset), ['setting', 'setting', 'setting', 'setting']);
      assert.equal(dataset.folder, datasetDir);
      assert.deepEqual(server.requests, []);
      assertDatasetFolderGood();
    });

    it('copies gzipped files from the setting folder into storage, decompressed', async () => {
      writeDataset(settingDir, files, true);
      const dataset = await prepare({ settingPath: settingDir });
      assert.equal(dataset.source, 'setting');
      assert.deepEqual(
        dataset.files.map((file) => [file.role, file.path]),
        files.map((file) => [file.role, join(datasetDir, file.name)]),
      );
      assertDatasetFolderGood();
    });

    it('uses the copies in storage next, without rewriting them', async () => {
      writeDataset(datasetDir, files, false);
      writeDataset(systemDir, files, true);
      const old = new Date('2020-01-01T00:00:00Z');
      utimesSync(join(datasetDir, trainImages.name), old, old);
      const dataset = await prepare();
      assert.equal(dataset.source, 'storage');
      assert.deepEqual(sources(dataset), ['storage', 'storage', 'storage', 'storage']);
      assert.equal(statSync(join(datasetDir, trainImages.name)).mtime.getTime(), old.getTime());
      assert.deepEqual(server.requests, []);
    });

    it('uses the system folder next', async () => {
      writeDataset(systemDir, files, true);
      const dataset = await prepare();
      assert.equal(dataset.source, 'system');
      assert.deepEqual(server.requests, []);
      assertDatasetFolderGood();
      assert.deepEqual(dataset.warnings, []);
    });

    it('keeps a gzip source as a compact copy for the panel, and none from a plain source', async () => {
      writeDataset(systemDir, files, true);
      const fromGzip = await prepare();
      for (const file of fromGzip.files) {
        assert.equal(file.compactPath, `${file.path}.gz`);
        assert.deepEqual(readFileSync(file.compactPath), readFileSync(join(systemDir, `${file.name}.gz`)));
      }
      assert.deepEqual(partFiles(datasetDir), []);
      rmSync(storageDir, { recursive: true });
      writeDataset(settingDir, files, false);
      const fromPlain = await prepare({ settingPath: settingDir });
      assert.deepEqual(
        fromPlain.files.map((file) => file.compactPath),
        files.map(() => undefined),
      );
    });

    it('downloads last, reporting progress up to the whole', async () => {
      const progress: DownloadProgress[] = [];
      const dataset = await prepare({ onProgress: (event) => progress.push(event) });
      assert.equal(dataset.source, 'download');
      assert.deepEqual(server.requests.sort(), files.map((file) => `/good/${file.name}.gz`).sort());
      assertDatasetFolderGood();
      const fractions = progress.map((event) => event.fraction);
      assert.deepEqual(
        fractions,
        [...fractions].sort((a, b) => a - b),
      );
      assert.ok(Math.abs(fractions[fractions.length - 1] - 1) < 1e-9);
    });

    it('mixes sources file by file and reports the furthest one', async () => {
      writeDataset(datasetDir, [trainImages], false);
      writeDataset(systemDir, [trainLabels], true);
      const dataset = await prepare();
      assert.deepEqual(sources(dataset), ['storage', 'system', 'download', 'download']);
      assert.equal(dataset.source, 'download');
      assert.deepEqual(server.requests.sort(), [`/good/${testImages.name}.gz`, `/good/${testLabels.name}.gz`].sort());
      assertDatasetFolderGood();
    });

    it('takes the base address with or without a trailing slash', async () => {
      const dataset = await prepare({ downloadBase: server.base('good').replace(/\/$/, '') });
      assert.equal(dataset.source, 'download');
      assertDatasetFolderGood();
    });
  });

  describe('damaged or missing sources', () => {
    it('replaces a corrupt copy in storage', async () => {
      writeDataset(datasetDir, files, false);
      writeFileSync(join(datasetDir, trainImages.name), corrupt(trainImages.content));
      writeDataset(systemDir, files, true);
      const dataset = await prepare();
      assert.deepEqual(sources(dataset), ['system', 'storage', 'storage', 'storage']);
      assertDatasetFolderGood();
    });

    it('downloads instead of a damaged system copy, with a warning that says to reinstall', async () => {
      writeDataset(systemDir, files, true);
      const damaged = join(systemDir, `${testImages.name}.gz`);
      writeFileSync(damaged, gzipSync(testImages.content.subarray(0, 100)));
      const dataset = await prepare();
      assert.deepEqual(sources(dataset), ['system', 'system', 'download', 'system']);
      assert.equal(dataset.warnings.length, 1);
      assert.ok(dataset.warnings[0].includes(damaged));
      assert.match(dataset.warnings[0], /truncated.*reinstall dataset-fashion-mnist.*downloaded instead/s);
      assertDatasetFolderGood();
    });

    it('names a damaged system file and the way out when it cannot download', async () => {
      writeDataset(systemDir, files, true);
      const damaged = join(systemDir, `${testLabels.name}.gz`);
      writeFileSync(damaged, corrupt(readFileSync(damaged)));
      await assert.rejects(prepare({ downloadBase: undefined }), (error: Error) => {
        assert.ok(error instanceof DatasetError);
        assert.ok(error.message.includes(damaged), error.message);
        assert.match(error.message, /reinstall dataset-fashion-mnist/);
        assert.match(error.message, /fashionClassifier\.datasetPath/);
        return true;
      });
    });

    it('reports a missing file in the setting folder instead of looking elsewhere', async () => {
      writeDataset(settingDir, [trainImages, trainLabels, testImages], true);
      writeDataset(systemDir, files, true);
      await assert.rejects(prepare({ settingPath: settingDir }), (error: Error) => {
        assert.ok(error instanceof DatasetError && error.involvesSetting);
        assert.match(error.message, /has no t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte\.gz/);
        assert.match(error.message, /clear the setting/);
        return true;
      });
      assert.deepEqual(server.requests, []);
    });

    it('reports a corrupt file in the setting folder and leaves it alone', async () => {
      writeDataset(settingDir, files, false);
      const damaged = join(settingDir, trainLabels.name);
      const bytes = corrupt(trainLabels.content);
      writeFileSync(damaged, bytes);
      await assert.rejects(prepare({ settingPath: settingDir }), (error: Error) => {
        assert.ok(error instanceof DatasetError && error.involvesSetting);
        assert.ok(error.message.includes(`${damaged}: its content does not match`), error.message);
        assert.match(error.message, /Replace it with a good copy, or clear the setting fashionClassifier\.datasetPath/);
        return true;
      });
      assert.deepEqual(readFileSync(damaged), bytes);
      assert.equal(existsSync(join(datasetDir, trainLabels.name)), false);
    });

    it('falls back to the gzipped file when the plain one in the setting folder is bad', async () => {
      writeDataset(settingDir, files, true);
      writeFileSync(join(settingDir, trainImages.name), 'not an IDX file');
      const dataset = await prepare({ settingPath: settingDir });
      assert.equal(dataset.source, 'setting');
      assertDatasetFolderGood();
    });

    it('reports a setting that is not a folder', async () => {
      await assert.rejects(prepare({ settingPath: join(root, 'nowhere') }), /nowhere, which does not exist/);
    });
  });

  describe('failed and cancelled downloads', () => {
    it('keeps the files already verified and leaves nothing half-written', async () => {
      writeDataset(systemDir, [trainImages, trainLabels], true);
      await assert.rejects(prepare({ downloadBase: server.base('reset') }), (error: Error) => {
        assert.ok(error instanceof DatasetError);
        assert.match(error.message, /Could not get the Fashion-MNIST file t10k-images-idx3-ubyte/);
        assert.match(error.message, /reset\/t10k-images-idx3-ubyte\.gz: the connection broke/);
        return true;
      });
      assert.deepEqual(readFileSync(join(datasetDir, trainImages.name)), trainImages.content);
      assert.deepEqual(readFileSync(join(datasetDir, trainLabels.name)), trainLabels.content);
      assert.equal(existsSync(join(datasetDir, testImages.name)), false);
      assert.deepEqual(partFiles(datasetDir), []);

      const retry = await prepare();
      assert.deepEqual(sources(retry), ['storage', 'storage', 'download', 'download']);
    });

    it('rejects a corrupted transfer', async () => {
      await assert.rejects(prepare({ downloadBase: server.base('wrongContent') }), /SHA-256/);
      assert.deepEqual(partFiles(datasetDir), []);
      assert.equal(existsSync(join(datasetDir, trainImages.name)), false);
    });

    it('stops on cancellation, leaving no part file', async () => {
      writeDataset(systemDir, [trainLabels, testImages, testLabels], true);
      const abort = new AbortController();
      await assert.rejects(
        prepare({ downloadBase: server.base('stall'), signal: abort.signal, onProgress: () => abort.abort() }),
        DatasetCancelledError,
      );
      assert.deepEqual(partFiles(datasetDir), []);
      assert.equal(existsSync(join(datasetDir, trainImages.name)), false);
      assert.deepEqual(readFileSync(join(datasetDir, testLabels.name)), testLabels.content);
    });

    it('removes part files left long ago, but not recent ones', async () => {
      writeDataset(datasetDir, files, false);
      const stale = join(datasetDir, `${trainImages.name}.0123456789ab.part`);
      const fresh = join(datasetDir, `${trainImages.name}.ba9876543210.part`);
      writeFileSync(stale, 'left by a crash');
      writeFileSync(fresh, 'being written by another window');
      const longAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
      utimesSync(stale, longAgo, longAgo);
      await prepare();
      assert.equal(existsSync(stale), false);
      assert.equal(existsSync(fresh), true);
    });
  });

  describe('the setting value', () => {
    it('is unset when empty or not a string', () => {
      assert.equal(resolveSettingPath('', '/home/u', undefined), undefined);
      assert.equal(resolveSettingPath('   ', '/home/u', undefined), undefined);
      assert.equal(resolveSettingPath(undefined, '/home/u', undefined), undefined);
      assert.equal(resolveSettingPath(42, '/home/u', undefined), undefined);
    });

    it('expands ~ and resolves relative paths against the workspace folder', () => {
      assert.equal(resolveSettingPath('~/data/fmnist', '/home/u', undefined), join('/home/u', 'data/fmnist'));
      assert.equal(resolveSettingPath('/srv/fmnist/', '/home/u', undefined), '/srv/fmnist');
      assert.equal(resolveSettingPath('data', '/home/u', '/work/project'), '/work/project/data');
      assert.throws(() => resolveSettingPath('data', '/home/u', undefined), /relative path/);
    });
  });
});
