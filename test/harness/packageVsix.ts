// Builds the VSIX a user installs, with the same `vsce package` a release uses.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths';

export interface PackagedVsix {
  path: string;
  /** Everything vsce printed, warnings included. */
  output: string;
}

export function packageVsix(outFile: string): PackagedVsix {
  mkdirSync(dirname(outFile), { recursive: true });
  const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  const result = spawnSync(vsce, ['package', '--out', outFile], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    throw new Error(`vsce package failed (exit ${result.status}):\n${output}`);
  }
  return { path: outFile, output };
}
