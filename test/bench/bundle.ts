// Bundles a benchmark page like the panel's bundle, with one copy of TF.js' core (see esbuild.mjs).
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';

/** The page script `entry` (a path from the repository's root) as one IIFE for Chromium. */
export async function bundleBenchPage(entry: string): Promise<Uint8Array> {
  const esmCore = join(repoRoot, 'node_modules/@tensorflow/tfjs-core/dist/index.js');
  const result = await esbuild.build({
    entryPoints: [join(repoRoot, entry)],
    outfile: 'bench.js',
    write: false,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    logLevel: 'warning',
    plugins: [
      {
        name: 'single-tfjs-core',
        setup: (b) => b.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, () => ({ path: esmCore })),
      },
    ],
  });
  return result.outputFiles[0].contents;
}
