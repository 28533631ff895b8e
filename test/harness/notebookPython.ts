// The Python that executes generated notebooks in tests (set up by setup-python.sh), and the two
// things done with it: run a notebook as Jupyter would, and load the .keras file it saved in a
// fresh Python. Both through run_notebook.py.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputRoot, pythonUnavailableNote, pythonVenv, repoRoot } from './paths';

/** The environment's python, or why there is none (to print beside the skipped test). */
export function notebookPython(): { python: string } | { reason: string } {
  const python = join(pythonVenv, 'bin', 'python');
  if (existsSync(python)) {
    return { python };
  }
  const note = existsSync(pythonUnavailableNote) ? readFileSync(pythonUnavailableNote, 'utf8').trim() : '';
  return {
    reason: note || `there is no Python environment at ${pythonVenv}: run test/harness/setup-python.sh (npm test does)`,
  };
}

/**
 * A `python3` for the editor's PATH that is the test Python, or, once switched off, one that
 * fails as a broken installation does: so that one editor shows both what the extension says to
 * a Python that cannot run the notebook and to one that can.
 */
export class PythonSwitch {
  readonly folder = join(outputRoot, 'python-switch');
  private readonly off = join(this.folder, 'off');

  constructor(python: string) {
    mkdirSync(this.folder, { recursive: true });
    const script = join(this.folder, 'python3');
    writeFileSync(
      script,
      `#!/bin/sh\nif [ -e '${this.off}' ]; then echo 'python3 is switched off by the test.' >&2; exit 1; fi\n` +
        `exec '${python}' "$@"\n`,
    );
    chmodSync(script, 0o755);
    this.restore();
  }

  fail(): void {
    writeFileSync(this.off, '');
  }

  restore(): void {
    rmSync(this.off, { force: true });
  }
}

/** What the executed notebook's kernel held at the end (run_notebook.py's probe). */
export interface NotebookRunReport {
  backend: string;
  kerasVersion: string;
  panelAccuracy: number;
  loadedAccuracy: number;
  loadedLoss: number;
  testCount: number;
  trainCount: number;
  validationCount: number;
  retrainCount: number;
  retrainEpochs: number;
  retrainHistory: Record<string, number[]>;
  retrainedAccuracy: number;
  kerasFile: string;
  datasetFromFiles: boolean;
  /** Pictures among the outputs (the samples and the curves). */
  pictures: number;
}

/**
 * Runs run_notebook.py with `args` in its own process group, so that a timeout also ends the
 * Jupyter kernel it started; resolves with the last line it printed, parsed.
 */
function runScript<T>(python: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(repoRoot, 'test', 'harness', 'run_notebook.py'), ...args], {
      env: { ...process.env, KERAS_BACKEND: 'jax', ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        reject(new Error(`run_notebook.py ${args[0]} ended with ${signal ?? `exit ${code}`}:\n${stderr.slice(-4000)}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(
          new Error(`run_notebook.py ${args[0]} printed no report: ${stdout.slice(-2000)}\n${stderr.slice(-2000)}`),
        );
      }
    });
  });
}

export interface ExecuteOptions {
  /** Reaches the kernel, e.g. the retraining subset. */
  env: Record<string, string>;
  timeoutMs: number;
  /** A folder for the pictures the cells draw, as `<cell id>.png`. */
  picturesDir?: string;
}

/**
 * Executes `notebook` with nbclient on Keras' JAX backend. The executed copy, outputs included,
 * is kept as `<notebook>.executed.ipynb`.
 */
export function executeNotebook(python: string, notebook: string, options: ExecuteOptions): Promise<NotebookRunReport> {
  const base = notebook.replace(/\.ipynb$/, '');
  const cellSeconds = String(Math.ceil(options.timeoutMs / 1000));
  return runScript(
    python,
    [
      'execute',
      notebook,
      '--executed',
      `${base}.executed.ipynb`,
      '--arrays',
      `${base}.test-images.npz`,
      '--timeout',
      cellSeconds,
      ...(options.picturesDir ? ['--pictures', options.picturesDir] : []),
    ],
    options.env,
    options.timeoutMs,
  );
}

/** Loads a .keras file in a fresh Python and evaluates it on the test images the notebook used. */
export function reloadKerasFile(
  python: string,
  kerasFile: string,
  notebook: string,
  timeoutMs: number,
): Promise<{ accuracy: number; loss: number; layers: string[] }> {
  const arrays = `${notebook.replace(/\.ipynb$/, '')}.test-images.npz`;
  return runScript(python, ['reload', kerasFile, '--arrays', arrays], {}, timeoutMs);
}
