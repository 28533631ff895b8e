// The host's side of "Open Run as Keras Notebook" that needs no editor: where the notebook and
// the run's files go, which data set folder it is given, and what a Python that cannot run it
// is told.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelFile } from '../../src/model/modelStore';
import { checkPython, type PythonCheck, pythonAdvice, pythonShortcoming } from '../../src/notebook/pythonCheck';
import {
  companionFolderName,
  runNotebookName,
  verifiedDatasetFolder,
  writeRunNotebook,
} from '../../src/notebook/runNotebookFiles';
import { DATASET_FOLDER, FASHION_MNIST } from '../../src/shared/datasetFiles';
import { defaultsFor } from '../../src/shared/settings';

const MLP_TOPOLOGY = {
  class_name: 'Sequential',
  config: {
    name: 'sequential_1',
    layers: [
      { class_name: 'Flatten', config: { name: 'flatten', batch_input_shape: [null, 28, 28] } },
      { class_name: 'Dense', config: { units: 10, activation: 'softmax', name: 'output' } },
    ],
  },
};

function runFiles(topology: unknown): ModelFile[] {
  const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  return [
    { name: 'model.json', bytes: text({ modelTopology: topology, weightsManifest: [] }) },
    { name: 'weights.bin', bytes: new Uint8Array([1, 2, 3, 4]) },
    { name: 'run.json', bytes: text({ stand: 'in' }) },
  ];
}

const RUN = {
  finishedAt: '2026-12-01T16:12:00.000Z',
  settings: defaultsFor('mlp'),
  trainCount: 48_000,
  validationCount: 12_000,
  testCount: 10_000,
  history: [],
  evaluation: { loss: 0.4, accuracy: 0.87, confusionMatrix: [] },
};

describe('Run notebook on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'run-notebook-'));
  });

  it('names a notebook after the model and the local time the run finished', () => {
    const name = runNotebookName('cnn', '2026-12-01T16:12:45.000Z');
    assert.match(name, /^fashion-cnn-\d{4}-\d\d-\d\d-\d{4}$/);
    const local = new Date('2026-12-01T16:12:45.000Z');
    assert.ok(
      name.endsWith(`${String(local.getHours()).padStart(2, '0')}${String(local.getMinutes()).padStart(2, '0')}`),
    );
    assert.equal(companionFolderName('/work/my run.ipynb'), 'my run-run');
  });

  it("writes the notebook and copies the run's files into a folder beside it, which the notebook reads", async () => {
    const path = join(dir, 'fashion-mlp.ipynb');
    const runFolder = await writeRunNotebook(
      path,
      { run: RUN, files: runFiles(MLP_TOPOLOGY) },
      { finishedLabel: 'today', datasetFolder: '/data' },
    );
    assert.equal(runFolder, join(dir, 'fashion-mlp-run'));
    assert.deepEqual(readdirSync(runFolder).sort(), ['model.json', 'run.json', 'weights.bin']);
    assert.deepEqual([...readFileSync(join(runFolder, 'weights.bin'))], [1, 2, 3, 4]);
    const notebook = JSON.parse(readFileSync(path, 'utf8'));
    const setup = notebook.cells.find((c: { id: string }) => c.id === 'setup').source.join('');
    assert.match(setup, /^RUN_DIR = Path\("fashion-mlp-run"\)$/m);
    // The .keras file is named after the notebook, so it lands beside it.
    assert.match(setup, /^RUN_NAME = "fashion-mlp"$/m);
  });

  it('writes nothing for a network the notebook cannot rebuild', async () => {
    const path = join(dir, 'odd.ipynb');
    const topology = { class_name: 'Sequential', config: { layers: [{ class_name: 'GRU', config: { name: 'g' } }] } };
    await assert.rejects(
      writeRunNotebook(path, { run: RUN, files: runFiles(topology) }, { finishedLabel: 'today' }),
      /Layer g: GRU layers are not among those this notebook builds/,
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it("gives the notebook the storage's data set folder only when all four verified files are there", async () => {
    const folder = join(dir, DATASET_FOLDER);
    mkdirSync(folder);
    for (const file of FASHION_MNIST.slice(0, 3)) {
      writeFileSync(join(folder, file.name), '');
    }
    assert.equal(await verifiedDatasetFolder(dir), undefined);
    writeFileSync(join(folder, FASHION_MNIST[3].name), '');
    assert.equal(await verifiedDatasetFolder(dir), folder);
  });
});

describe('Python for the notebook', () => {
  it('says what is needed when there is no Python', async () => {
    const check = await checkPython(join(tmpdir(), 'no-such-python3'));
    assert.equal(check.found, false);
    const advice = pythonAdvice(check) ?? '';
    assert.match(advice, /no-such-python3 was not found\./);
    assert.match(advice, /Python 3 with keras \(3\), a Keras backend, numpy and matplotlib/);
    assert.match(advice, /pip install keras jax numpy matplotlib ipykernel/);
  });

  it('reads what a Python has from its answer, and names what it lacks', async () => {
    const fake = join(mkdtempSync(join(tmpdir(), 'fake-python-')), 'python3');
    writeFileSync(
      fake,
      `#!/bin/sh\necho '{"version": "3.12.1", "missing": ["keras"], "kerasVersion": null, "backends": ["jax"]}'\n`,
    );
    chmodSync(fake, 0o755);
    const check = await checkPython(fake);
    assert.deepEqual(check, {
      found: true,
      executable: fake,
      version: '3.12.1',
      missing: ['keras'],
      backends: ['jax'],
    });
    assert.equal(pythonShortcoming(check), `${fake} (Python 3.12.1) has no keras.`);
  });

  it("asks the PATH's python3 without importing the packages, so within seconds", async () => {
    const started = Date.now();
    const check = await checkPython();
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
    if (check.found) {
      assert.match(check.version, /^3\.\d+/);
      assert.ok(check.missing.every((name) => ['keras', 'numpy', 'matplotlib'].includes(name)));
    } else {
      assert.match(pythonAdvice(check) ?? '', /python3 was not found|python3 failed/);
    }
  });

  it('accepts Keras 3 with a backend, refuses Keras 2 or none', () => {
    const base: PythonCheck = {
      found: true,
      executable: 'python3',
      version: '3.11.7',
      missing: [],
      kerasVersion: '3.15.1',
      backends: ['jax'],
    };
    assert.equal(pythonShortcoming(base), undefined);
    assert.equal(pythonAdvice(base), undefined);
    assert.match(pythonShortcoming({ ...base, kerasVersion: '2.15.0' }) ?? '', /has Keras 2\.15\.0, not Keras 3/);
    assert.match(pythonShortcoming({ ...base, backends: [] }) ?? '', /no Keras backend \(tensorflow, jax, torch\)/);
    assert.match(
      pythonShortcoming({ ...base, missing: ['numpy', 'matplotlib'], backends: [] }) ?? '',
      /has no numpy, matplotlib and has no Keras backend/,
    );
    assert.match(pythonShortcoming({ ...base, version: '2.7.18' }) ?? '', /not Python 3/);
  });
});
