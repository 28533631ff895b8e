// Whether this machine's Python can run a run's Keras notebook, and what to tell the person when
// it cannot. Asks `python3` on the PATH which of the needed packages it has, without importing
// them (that takes seconds: Keras starts its backend). No `vscode` import: unit-tested in Node.
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';

/** What the notebook imports; a Keras backend comes on top. */
export const NOTEBOOK_PACKAGES = ['keras', 'numpy', 'matplotlib'] as const;
export const KERAS_BACKENDS = ['tensorflow', 'jax', 'torch'] as const;
/** One command that installs all a notebook needs, with a Jupyter kernel. */
export const PIP_INSTALL = 'pip install keras jax numpy matplotlib ipykernel';

export type PythonCheck =
  | { found: false; executable: string; error: string }
  | {
      found: true;
      executable: string;
      version: string;
      /** Needed packages it lacks. */
      missing: string[];
      kerasVersion?: string;
      /** The Keras backends it has. */
      backends: string[];
    };

/**
 * Prints what the Python has, as JSON. find_spec and importlib.metadata look packages up
 * without importing them.
 */
const PROBE = `
import importlib.metadata, importlib.util, json, sys
def has(name):
    return importlib.util.find_spec(name) is not None
try:
    keras_version = importlib.metadata.version("keras")
except Exception:
    keras_version = None
print(json.dumps({
    "version": sys.version.split()[0],
    "missing": [n for n in ${JSON.stringify(NOTEBOOK_PACKAGES)} if not has(n)],
    "kerasVersion": keras_version,
    "backends": [n for n in ${JSON.stringify(KERAS_BACKENDS)} if has(n)],
}))
`;

export function defaultPython(): string {
  return process.platform === 'win32' ? 'python' : 'python3';
}

/** Runs the probe with `executable`; never throws. */
export function checkPython(executable = defaultPython(), timeoutMs = 15_000): Promise<PythonCheck> {
  return new Promise((resolve) => {
    // -I: isolated, so nothing of the current folder or PYTHON* variables is imported or run.
    execFile(
      executable,
      ['-I', '-c', PROBE],
      { cwd: tmpdir(), timeout: timeoutMs, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const reason =
            code === 'ENOENT'
              ? `${executable} was not found`
              : `${executable} failed: ${firstLine(stderr || error.message)}`;
          resolve({ found: false, executable, error: reason });
          return;
        }
        try {
          const answer = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
            version: string;
            missing: string[];
            kerasVersion: string | null;
            backends: string[];
          };
          resolve({
            found: true,
            executable,
            version: answer.version,
            missing: answer.missing,
            ...(answer.kerasVersion ? { kerasVersion: answer.kerasVersion } : {}),
            backends: answer.backends,
          });
        } catch {
          resolve({ found: false, executable, error: `${executable} did not answer as Python 3 does` });
        }
      },
    );
  });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0].slice(0, 200);
}

/** What this Python lacks for the notebook, as a sentence; undefined when it has everything. */
export function pythonShortcoming(check: PythonCheck): string | undefined {
  if (!check.found) {
    return `${check.error.replace(/[.!?]+$/, '')}.`;
  }
  const [major] = check.version.split('.');
  if (major !== '3') {
    return `${check.executable} is Python ${check.version}, not Python 3.`;
  }
  const problems: string[] = [];
  if (check.missing.length > 0) {
    problems.push(`has no ${check.missing.join(', ')}`);
  }
  if (check.kerasVersion && !check.kerasVersion.startsWith('3.')) {
    problems.push(`has Keras ${check.kerasVersion}, not Keras 3`);
  }
  if (check.backends.length === 0) {
    problems.push(`has no Keras backend (${KERAS_BACKENDS.join(', ')})`);
  }
  return problems.length > 0 ? `${check.executable} (Python ${check.version}) ${problems.join(' and ')}.` : undefined;
}

/** The notification for a Python that cannot run the notebook: what is missing and what to do. */
export function pythonAdvice(check: PythonCheck): string | undefined {
  const shortcoming = pythonShortcoming(check);
  return (
    shortcoming &&
    `The notebook needs Python 3 with keras (3), a Keras backend, numpy and matplotlib to run: ${shortcoming} ` +
      `Install them with "${PIP_INSTALL}", then choose that Python as the notebook's kernel.`
  );
}
