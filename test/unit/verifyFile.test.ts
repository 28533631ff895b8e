import * as assert from 'node:assert/strict';
import { createReadStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetError } from '../../src/data/datasetError';
import { installVerified, isGzip, verifyFile } from '../../src/data/verifyFile';
import { corrupt, makeTempDir, partFiles, syntheticDataset } from './datasetFixtures';

/** An IDX images file of `count` images of rows × cols pixels, all zero. */
function idxImages(count: number, rows: number, cols: number, magic = 0x803): Buffer {
  const bytes = Buffer.alloc(16 + count * rows * cols);
  [magic, count, rows, cols].forEach((word, i) => bytes.writeUInt32BE(word, i * 4));
  return bytes;
}

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

  it('names an images file of another image size by the size in its header, before hashing it', async () => {
    // As many bytes as the real spec's file, so only the header tells them apart.
    const wrongSize = idxImages((images.bytes - 16) / (32 * 32), 32, 32);
    assert.equal(wrongSize.length, images.bytes);
    for (const [name, bytes] of [
      [images.name, wrongSize],
      [`${images.name}.gz`, gzipSync(wrongSize)],
      ['much-longer', idxImages(10_000, 32, 32)],
    ] as const) {
      const path = write(name, bytes);
      await assert.rejects(verifyFile(path, images), (error: Error) => {
        assert.ok(error instanceof DatasetError);
        assert.equal(
          error.message,
          `${path}: its images are 32 × 32 pixels, but Fashion-MNIST's are 28 × 28. It is not ${images.name}.`,
        );
        return true;
      });
    }
  });

  it('names an images file that is not IDX images by its magic number', async () => {
    const path = write(images.name, idxImages(256, 28, 28, 0x801));
    await assert.rejects(verifyFile(path, images), /magic number 0x00000801, expected 0x00000803\. It is not/);
  });

  it('does not look for an image size in a labels file', async () => {
    await assert.rejects(verifyFile(write(labels.name, corrupt(labels.content)), labels), /SHA-256/);
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

  it('refuses to install from content of another image size', async () => {
    const dest = join(dir, images.name);
    const source = write('source.gz', gzipSync(idxImages(4, 32, 32)));
    await assert.rejects(installVerified(createReadStream(source), images, dest, source), /32 × 32 pixels/);
    assert.equal(existsSync(dest), false);
    assert.deepEqual(partFiles(dir), []);
  });

  it('neither writes nor removes a part file that already exists: another window may be writing it', async () => {
    const dest = write(images.name, Buffer.from('previous'));
    const partPath = write(`${images.name}.0123456789ab.part`, Buffer.from("another window's bytes"));
    const source = write('source.gz', gzipSync(images.content));
    await assert.rejects(
      installVerified(createReadStream(source), images, dest, source, { partPath }),
      (error: Error) => {
        assert.ok(error instanceof DatasetError);
        assert.match(error.message, /\.part already exists: another download may be writing it/);
        assert.ok(error.message.includes(partPath), error.message);
        return true;
      },
    );
    assert.equal(readFileSync(partPath, 'utf8'), "another window's bytes");
    assert.equal(readFileSync(dest, 'utf8'), 'previous');
  });

  it('writes the part file it is given and renames it into place', async () => {
    const dest = join(dir, images.name);
    const partPath = join(dir, `${images.name}.fedcba987654.part`);
    await installVerified(createReadStream(write('source.gz', gzipSync(images.content))), images, dest, 'source.gz', {
      partPath,
    });
    assert.deepEqual(readFileSync(dest), images.content);
    assert.equal(existsSync(partPath), false);
  });
});
