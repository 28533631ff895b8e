import * as assert from 'node:assert/strict';
import { createReadStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetError } from '../../src/data/datasetError';
import { installVerified, isGzip, verifyFile } from '../../src/data/verifyFile';
import { corrupt, makeTempDir, partFiles, syntheticDataset } from './datasetFixtures';

describe('data set file verification', () => {
  const [images, labels] = syntheticDataset();
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir('verify');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, bytes: Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it('recognises gzip by its magic bytes', () => {
    assert.equal(isGzip(gzipSync(Buffer.from('x'))), true);
    assert.equal(isGzip(images.content), false);
    assert.equal(isGzip(new Uint8Array([0x1f])), false);
  });

  it('accepts a plain and a gzipped file with the right content', async () => {
    await verifyFile(write(images.name, images.content), images);
    await verifyFile(write(`${labels.name}.gz`, gzipSync(labels.content)), labels);
  });

  it('goes by content, not by name: gzip without .gz and plain with .gz both pass', async () => {
    await verifyFile(write(images.name, gzipSync(images.content)), images);
    await verifyFile(write(`${labels.name}.gz`, labels.content), labels);
  });

  it('rejects a truncated file, naming it and its size', async () => {
    const path = write(images.name, images.content.subarray(0, 1000));
    await assert.rejects(verifyFile(path, images), (error: Error) => {
      assert.ok(error instanceof DatasetError);
      assert.match(error.message, new RegExp(`${path.replace(/[\\.]/g, '\\$&')}: 1,000 bytes after decompression`));
      assert.match(error.message, /truncated/);
      return true;
    });
  });

  it('rejects a file longer than expected, and an empty one', async () => {
    await assert.rejects(
      verifyFile(write('long', Buffer.concat([labels.content, Buffer.from([0])])), labels),
      /more than the expected/,
    );
    await assert.rejects(verifyFile(write('empty', Buffer.alloc(0)), labels), /0 bytes after decompression/);
  });

  it('rejects a file of the right size with the wrong bytes', async () => {
    await assert.rejects(
      verifyFile(write(images.name, corrupt(images.content)), images),
      /does not match the SHA-256 checksum/,
    );
    await assert.rejects(verifyFile(write('x.gz', gzipSync(corrupt(images.content))), images), /SHA-256/);
  });

  it('rejects damaged or cut-short gzip data', async () => {
    const gz = gzipSync(images.content);
    await assert.rejects(
      verifyFile(write('cut.gz', gz.subarray(0, gz.length - 100)), images),
      /gzip data is damaged or cut short/,
    );
    await assert.rejects(verifyFile(write('bad.gz', corrupt(gz)), images), DatasetError);
  });

  it('reports a missing file as such', async () => {
    await assert.rejects(verifyFile(join(dir, 'nothing'), images), /nothing: the file does not exist/);
  });

  it('installs verified content decompressed, leaving no part file', async () => {
    const dest = join(dir, images.name);
    await installVerified(createReadStream(write('source.gz', gzipSync(images.content))), images, dest, 'source.gz');
    assert.deepEqual(readFileSync(dest), images.content);
    assert.deepEqual(partFiles(dir), []);
  });

  it('leaves the destination as it was and no part file when the content is wrong', async () => {
    const dest = write(images.name, Buffer.from('previous'));
    const source = write('source.gz', gzipSync(corrupt(images.content)));
    await assert.rejects(installVerified(createReadStream(source), images, dest, source), /SHA-256/);
    assert.equal(readFileSync(dest, 'utf8'), 'previous');
    assert.deepEqual(partFiles(dir), []);
    assert.equal(existsSync(join(dir, 'source.gz')), true);
  });
});
