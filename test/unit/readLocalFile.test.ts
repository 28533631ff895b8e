// Reading a picture found by a folder walk: links refused when opened, the size limit held on the
// bytes read.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileTooLargeError, LinkRefusedError, readLocalFile } from '../../src/commands/readLocalFile';

describe('reading a local picture', () => {
  const dir = join(__dirname, '..', '..', '..', 'test-output', 'unit', 'readLocalFile');
  const picture = join(dir, 'shirt.png');
  const link = join(dir, 'link.png');

  before(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(picture, Buffer.alloc(1000, 7));
    symlinkSync(picture, link);
  });

  it('reads a plain file whole', async () => {
    const bytes = await readLocalFile(picture, { maxBytes: 1000, refuseLinks: true });
    assert.equal(bytes.length, 1000);
    assert.ok(bytes.every((b) => b === 7));
  });

  it('refuses a link at open time when walking, and follows one the person picked', async () => {
    await assert.rejects(readLocalFile(link, { maxBytes: 5000, refuseLinks: true }), LinkRefusedError);
    assert.equal((await readLocalFile(link, { maxBytes: 5000, refuseLinks: false })).length, 1000);
  });

  it('refuses a file over the limit, and a folder', async () => {
    await assert.rejects(
      readLocalFile(picture, { maxBytes: 999, refuseLinks: true }),
      (error: FileTooLargeError) => error instanceof FileTooLargeError && error.bytes === 1000,
    );
    await assert.rejects(readLocalFile(dir, { maxBytes: 5000, refuseLinks: true }), /not a regular file|EISDIR/);
  });

  it('holds the limit on the bytes read, not on the size the file system reported', async function () {
    // Linux's /proc files say they are empty and still have content: a file whose size changed
    // between the look and the read behaves the same.
    if (process.platform !== 'linux') {
      this.skip();
    }
    const status = '/proc/self/status';
    const whole = await readLocalFile(status, { maxBytes: 1_000_000, refuseLinks: true });
    assert.ok(whole.length > 100, `${whole.length} bytes`);
    await assert.rejects(
      readLocalFile(status, { maxBytes: 50, refuseLinks: true }),
      (error: FileTooLargeError) => error instanceof FileTooLargeError && error.bytes === 51,
    );
  });
});
