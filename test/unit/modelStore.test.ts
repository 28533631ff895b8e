import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadSavedRun, readSavedModelFiles, ModelToSave, saveModel } from '../../src/model/modelStore';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import type { SavedRun } from '../../src/shared/savedRun';

const root = join(__dirname, '..', '..', '..', 'test-output', 'unit', 'modelStore');

function run(accuracy: number): SavedRun {
  return {
    finishedAt: new Date(0).toISOString(),
    settings: { ...DEFAULT_SETTINGS },
    backend: 'cpu',
    trainCount: 8,
    validationCount: 2,
    testCount: 4,
    history: [{ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1.1, valAccuracy: 0.4, seconds: 1 }],
    evaluation: { loss: 0.9, accuracy, confusionMatrix: Array.from({ length: 10 }, () => Array(10).fill(0)) },
    predictions: [{ pixels: Array(784).fill(7), trueLabel: 3, predictedClass: 3, probabilities: Array(10).fill(0.1) }],
  };
}

function model(fill: number, accuracy: number): ModelToSave {
  return {
    modelTopology: { class_name: 'Sequential' },
    weightSpecs: [{ name: 'dense/kernel', shape: [2, 3], dtype: 'float32' }],
    weightData: new Uint8Array(24).fill(fill),
    run: run(accuracy),
  };
}

function snapshot(dir: string): Record<string, string> {
  const modelDir = join(dir, 'model');
  return Object.fromEntries(readdirSync(modelDir).map((f) => [f, readFileSync(join(modelDir, f)).toString('base64')]));
}

describe('model store', () => {
  let dir: string;
  let n = 0;

  beforeEach(() => {
    dir = join(root, `case-${++n}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  });

  it('saves model.json, weights.bin and run.json in TF.js layers format', async () => {
    const path = await saveModel(dir, model(1, 0.8));
    const modelJson = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8'));
    assert.equal(modelJson.format, 'layers-model');
    assert.deepEqual(modelJson.weightsManifest[0].paths, ['weights.bin']);
    assert.equal(readFileSync(join(path, 'weights.bin')).length, 24);
    assert.equal((await loadSavedRun(dir))?.evaluation.accuracy, 0.8);
  });

  it('replaces the previous model when a save completes, leaving no staging folders', async () => {
    await saveModel(dir, model(1, 0.8));
    await saveModel(dir, model(2, 0.9));
    assert.equal((await loadSavedRun(dir))?.evaluation.accuracy, 0.9);
    assert.deepEqual(readdirSync(dir), ['model']);
    assert.equal(readFileSync(join(dir, 'model', 'weights.bin'))[0], 2);
  });

  it('refuses weights that do not match their specs and keeps the previous model byte for byte', async () => {
    await saveModel(dir, model(1, 0.8));
    const before = snapshot(dir);
    const damaged = { ...model(2, 0.9), weightData: new Uint8Array(20) };
    await assert.rejects(saveModel(dir, damaged), /20 bytes, but the model needs 24/);
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(readdirSync(dir), ['model']);
  });

  it('puts the previous model back when a save was interrupted between its renames', async () => {
    await saveModel(dir, model(1, 0.8));
    const before = snapshot(dir);
    renameSync(join(dir, 'model'), join(dir, 'model.replaced-abc'));
    mkdirSync(join(dir, 'model.staging-def'));
    assert.equal((await loadSavedRun(dir))?.evaluation.accuracy, 0.8);
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(readdirSync(dir), ['model']);
  });

  it('reports no saved run when there is none or when run.json is damaged', async () => {
    assert.equal(await loadSavedRun(dir), undefined);
    await saveModel(dir, model(1, 0.8));
    rmSync(join(dir, 'model', 'run.json'));
    assert.equal(await loadSavedRun(dir), undefined);
  });

  it('reads the three files for an export, as they are on disk', async () => {
    await saveModel(dir, model(1, 0.8));
    const files = await readSavedModelFiles(dir);
    assert.deepEqual(
      files.map((f) => f.name),
      ['model.json', 'weights.bin', 'run.json'],
    );
    for (const file of files) {
      assert.deepEqual(file.bytes, readFileSync(join(dir, 'model', file.name)));
    }
    await assert.rejects(readSavedModelFiles(join(dir, 'empty')), /no trained model/);
  });
});
