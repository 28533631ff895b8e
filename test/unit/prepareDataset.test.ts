import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetCancelledError, DatasetError } from '../../src/data/datasetError';
import {
  DownloadProgress,
  prepareDataset,
  PrepareOptions,
  removeIfUnchanged,
  resolveSettingPath,
} from '../../src/data/prepareDataset';
import { FASHION_MNIST_DOWNLOAD_BASES } from '../../src/shared/datasetFiles';
import {
  corrupt,
  makeTempDir,
  partFiles,
  SilentServer,
  startServer,
  startSilentServer,
  syntheticDataset,
  TestServer,
  writeDataset,
} from './datasetFixtures';

describe('preparing the data set', () => {
  const files = syntheticDataset();
  const [trainImages, trainLabels, testImages, testLabels] = files;
  let server: TestServer;
  let silent: SilentServer;
  let root: string;
  let settingDir: string;
  let storageDir: string;
  let systemDir: string;
  let datasetDir: string;

  before(async () => {
    server = await startServer(files);
    silent = await startSilentServer();
  });
  after(async () => {
    await server.close();
    await silent.close();
  });
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
    return prepareDataset({ storageDir, systemDir, spec: files, downloadBases: [server.base('good')], ...options });
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

    it('offers a stored compact copy only once it checks out, and deletes a damaged one', async () => {
      writeDataset(systemDir, files, true);
      const first = await prepare();
      const [damaged, swapped] = first.files;
      writeFileSync(damaged.compactPath!, gzipSync(corrupt(files[0].content)));
      // Gzip that unpacks to far more than the file: the panel must never be handed it.
      writeFileSync(swapped.compactPath!, gzipSync(Buffer.alloc(files[1].bytes * 50)));
      const again = await prepare();
      assert.deepEqual(
        again.files.map((file) => file.compactPath !== undefined),
        [false, false, true, true],
      );
      assert.equal(existsSync(damaged.compactPath!), false);
      assert.equal(existsSync(swapped.compactPath!), false);
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
      const dataset = await prepare({ downloadBases: [server.base('good').replace(/\/$/, '')] });
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
      await assert.rejects(prepare({ downloadBases: [] }), (error: Error) => {
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
      await assert.rejects(prepare({ downloadBases: [server.base('reset')] }), (error: Error) => {
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
      await assert.rejects(prepare({ downloadBases: [server.base('wrongContent')] }), /SHA-256/);
      assert.deepEqual(partFiles(datasetDir), []);
      assert.equal(existsSync(join(datasetDir, trainImages.name)), false);
    });

    it('stops on cancellation, leaving no part file', async () => {
      writeDataset(systemDir, [trainLabels, testImages, testLabels], true);
      const abort = new AbortController();
      await assert.rejects(
        prepare({ downloadBases: [server.base('stall')], signal: abort.signal, onProgress: () => abort.abort() }),
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

  describe('download addresses', () => {
    it('are the HTTPS mirror first, then upstream over http', () => {
      assert.deepEqual(FASHION_MNIST_DOWNLOAD_BASES, [
        'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
        'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
      ]);
    });

    it('are tried in order for each file, the next when one does not answer in time', async () => {
      const dataset = await prepare({
        downloadBases: [silent.base('https'), server.base('good')],
        connectTimeoutMs: 100,
      });
      assert.deepEqual(sources(dataset), ['download', 'download', 'download', 'download']);
      assert.deepEqual(server.requests.sort(), files.map((file) => `/good/${file.name}.gz`).sort());
      assert.deepEqual(dataset.warnings, []);
      assertDatasetFolderGood();
    });

    it('stop at the first that gives a verified copy', async () => {
      await prepare({ downloadBases: [server.base('wrongContent'), server.base('good'), server.base('plain')] });
      assert.equal(server.requests.filter((path) => path.startsWith('/plain/')).length, 0);
      assert.equal(server.requests.filter((path) => path.startsWith('/wrongContent/')).length, files.length);
      assertDatasetFolderGood();
    });

    it('when none works, name each address with its problem, and what to do', async () => {
      const bases = [server.base('missing' as 'good'), server.base('wrongContent')];
      await assert.rejects(prepare({ downloadBases: bases }), (error: Error) => {
        assert.ok(error instanceof DatasetError);
        assert.match(error.message, new RegExp(`^Could not get the Fashion-MNIST file ${trainImages.name}\\. `));
        assert.ok(error.message.includes(`${bases[0]}${trainImages.name}.gz: the server answered HTTP 404`));
        assert.ok(error.message.includes(`${bases[1]}${trainImages.name}.gz: its content does not match`));
        assert.match(error.message, /To fix it: check the network and try again/);
        assert.ok(error.message.includes(FASHION_MNIST_DOWNLOAD_BASES[0]), error.message);
        return true;
      });
    });

    it('are not tried further after a cancel', async () => {
      const abort = new AbortController();
      await assert.rejects(
        prepare({
          downloadBases: [server.base('stall'), server.base('good')],
          signal: abort.signal,
          onProgress: () => abort.abort(),
        }),
        DatasetCancelledError,
      );
      assert.equal(server.requests.filter((path) => path.startsWith('/good/')).length, 0);
    });
  });

  describe('removing a bad copy', () => {
    it('removes the file that was checked', async () => {
      const path = join(root, 'copy');
      writeFileSync(path, 'bad');
      assert.equal(await removeIfUnchanged(path, statSync(path, { bigint: true })), true);
      assert.equal(existsSync(path), false);
    });

    it('keeps a file another window renamed into place after the check', async () => {
      const path = join(root, 'copy');
      writeFileSync(path, 'bad');
      const checked = statSync(path, { bigint: true });
      // The same size, so only the inode tells the new file from the one checked.
      writeFileSync(join(root, 'good.part'), 'new');
      renameSync(join(root, 'good.part'), path);
      assert.equal(await removeIfUnchanged(path, checked), false);
      assert.equal(readFileSync(path, 'utf8'), 'new');
    });

    it('keeps a file rewritten in place after the check, and does not mind one already gone', async () => {
      const path = join(root, 'copy');
      writeFileSync(path, 'bad');
      const checked = statSync(path, { bigint: true });
      writeFileSync(path, 'longer, and newer');
      assert.equal(await removeIfUnchanged(path, checked), false);
      assert.equal(existsSync(path), true);
      rmSync(path);
      assert.equal(await removeIfUnchanged(path, checked), false);
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
