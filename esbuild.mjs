// Builds the extension (Node, CommonJS), the panel (browser, IIFE) and, with --tests, the test
// bundles. Type checking is separate: `npm run typecheck`.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** Logs each rebuild so `--watch` shows when the bundles are fresh. */
const logRebuilds = (name) => ({
  name: 'log-rebuilds',
  setup(build) {
    build.onEnd((result) => {
      const status = result.errors.length ? `failed with ${result.errors.length} error(s)` : 'done';
      console.log(`[esbuild] ${name}: ${status}`);
    });
  },
});

/**
 * One copy of TF.js' core in the panel's bundle. tfjs-vis ships CommonJS that `require`s the
 * core, which would otherwise pull in its Node build next to the ES module build that TF.js
 * imports: two engines, and tensors from one meet ops registered only in the other.
 */
const singleTfjsCore = {
  name: 'single-tfjs-core',
  setup(build) {
    const esmEntry = join(process.cwd(), 'node_modules/@tensorflow/tfjs-core/dist/index.js');
    build.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, () => ({ path: esmEntry }));
  },
};

function options(name, overrides) {
  return {
    bundle: true,
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [logRebuilds(name)],
    ...overrides,
  };
}

const bundles = [
  options('extension', {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  }),
  options('webview', {
    entryPoints: {
      webview: 'webview/main.ts',
      results: 'webview/results/main.ts',
      draw: 'webview/draw/main.ts',
      // Started by the panel as data-parallel training workers (webview/ml/workers/workerPool.ts).
      'training-worker': 'webview/worker/trainingWorker.ts',
    },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    plugins: [logRebuilds('webview'), singleTfjsCore],
  }),
];

if (tests) {
  const tsFiles = (dir, suffix = '.ts') =>
    readdirSync(dir)
      .filter((f) => f.endsWith(suffix))
      .map((f) => join(dir, f));
  // Test bundles resolve their packages from node_modules at run time, like the code under test would.
  // Tests are never minified, so their failures read well even when the bundles under test are.
  const nodeTest = {
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    external: ['vscode'],
    minify: false,
    sourcemap: true,
  };
  bundles.push(
    options('unit tests', {
      ...nodeTest,
      // The model store's stress test forks this worker as separate processes.
      entryPoints: [...tsFiles('test/unit', '.test.ts'), 'test/unit/modelStoreStressWorker.ts'],
      outdir: 'out/test/unit',
    }),
    options('integration suite and harness', {
      ...nodeTest,
      entryPoints: ['test/runElectron.ts', ...tsFiles('test/integration'), ...tsFiles('test/harness')],
      outdir: 'out/test',
      outbase: 'test',
    }),
    options('end-to-end tests', { ...nodeTest, entryPoints: tsFiles('test/e2e', '.test.ts'), outdir: 'out/test/e2e' }),
    options('packaged extension tests', {
      ...nodeTest,
      entryPoints: tsFiles('test/vsix', '.test.ts'),
      outdir: 'out/test/vsix',
    }),
  );
}

/** The WASM backend fetches its binaries at run time, so they ship next to the panel's bundle. */
function copyWasmBinaries() {
  const from = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  mkdirSync('dist/wasm', { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.wasm'))) {
    cpSync(join(from, file), join('dist/wasm', file));
  }
}

copyWasmBinaries();
if (watch) {
  for (const bundle of bundles) {
    const context = await esbuild.context(bundle);
    await context.watch();
  }
} else {
  await Promise.all(bundles.map((bundle) => esbuild.build(bundle)));
}
