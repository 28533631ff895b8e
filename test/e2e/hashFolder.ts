import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** SHA-256 of each file under `dir` (recursively), by relative path: equal only if every byte is. */
export function hashFolder(dir: string, prefix = ''): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      Object.assign(hashes, hashFolder(path, `${prefix}${name}/`));
    } else {
      hashes[`${prefix}${name}`] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  }
  return hashes;
}
