// Makes a folder refuse new entries, as a read-only disk or another program's hold would, for
// tests of what a failed save keeps. Root ignores permission bits, so as root the folder is made
// immutable (chattr +i) instead. The probe write proves it took effect; a test that could not
// make its folder unwritable fails instead of passing for the wrong reason.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Makes `folder` unwritable; returns the function that makes it writable again. */
export function makeUnwritable(folder: string): () => void {
  const asRoot = process.getuid?.() === 0;
  const restore = asRoot ? () => execFileSync('chattr', ['-i', folder]) : () => chmodSync(folder, 0o755);
  if (asRoot) {
    execFileSync('chattr', ['+i', folder]);
  } else {
    chmodSync(folder, 0o555);
  }
  const probe = join(folder, '.probe');
  try {
    writeFileSync(probe, '');
  } catch {
    return restore;
  }
  rmSync(probe);
  restore();
  throw new Error(`${folder} could not be made unwritable on this machine, so this test cannot run here.`);
}
