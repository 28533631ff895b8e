// The code's layers, as its folders name them: pure shared code imports only shared code; the
// panel's ML code knows no view, no presenter and not the host; views neither know the host nor
// decide what happens (presenters and the controller do). The compiler checks what each layer may
// use from the platform; this checks what they use of each other.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder)).flatMap((name) => {
    const path = join(folder, name);
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of `file`, as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => m[1]);
  return specifiers.map((specifier) => relative(root, resolve(root, dirname(file), specifier)));
}

function crossings(folder: string, forbidden: (target: string) => boolean): string[] {
  return sourceFiles(folder).flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((target) => `${file} imports ${target}`),
  );
}

describe("the code's layers", () => {
  it('finds the imports it checks', () => {
    assert.ok(importsOf('webview/controller.ts').includes('webview/ml/runTraining'));
  });

  it('keeps the panel’s ML code free of views, presenters and the host', () => {
    assert.deepEqual(
      crossings('webview/ml', (target) =>
        /^webview\/(views|presenters|results)\/|^webview\/(hostChannel|controller|main)$/.test(target),
      ),
      [],
    );
  });

  it('keeps views free of the host, the controller and the presenters', () => {
    assert.deepEqual(
      crossings('webview/views', (target) =>
        /^webview\/presenters\/|^webview\/(hostChannel|controller|main)$/.test(target),
      ),
      [],
    );
  });

  it('keeps shared code to itself', () => {
    assert.deepEqual(
      crossings('src/shared', (target) => !target.startsWith('src/shared/')),
      [],
    );
  });
});
