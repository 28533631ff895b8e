// The independent check of a saved run: evaluate_saved.py reads its model.json and weights.bin
// with NumPy (no TF.js, none of this extension's code) and scores the 10,000 test images.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';

/** Test accuracy of the run saved in `folder`, computed by `python` running evaluate_saved.py. */
export function evaluateIndependently(python: string, folder: string): number {
  const result = spawnSync(python, [join(repoRoot, 'test', 'bench', 'evaluate_saved.py'), folder], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`evaluate_saved.py failed on ${folder} (exit ${result.status})`);
  }
  return (JSON.parse(result.stdout) as { accuracy: number }).accuracy;
}
