// The trained model on disk, in TF.js' layers format (model.json + weights.bin) with the run
// that produced it (run.json), under the extension's global storage. No `vscode` import: the
// saving rules are unit-tested in Node.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSavedRun, SavedRun } from '../shared/savedRun';

export const MODEL_FOLDER = 'model';
export const MODEL_FILES = ['model.json', 'weights.bin', 'run.json'] as const;
const STAGING_PREFIX = 'model.staging-';
const REPLACED_PREFIX = 'model.replaced-';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

export interface ModelToSave {
  modelTopology: unknown;
  weightSpecs: WeightSpec[];
  weightData: Uint8Array;
  run: SavedRun;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** The weights' byte count that `specs` describe; a mismatch means a damaged transfer. */
export function expectedWeightBytes(specs: WeightSpec[]): number {
  return specs.reduce((sum, spec) => {
    const size = BYTES_PER_ELEMENT[spec.dtype];
    if (!size) {
      throw new Error(`Weight ${spec.name} has unsupported type ${spec.dtype}.`);
    }
    return sum + size * spec.shape.reduce((a, b) => a * b, 1);
  }, 0);
}

async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.writeFile(data);
    // Flushed before the rename that publishes it: a crash must not leave a published, empty file.
    await file.sync();
  } finally {
    await file.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Puts back a model that a save interrupted between its two renames, and removes staging
 * folders of saves that never finished. Safe to call any time no save is running.
 */
export async function recoverInterruptedSave(storageDir: string): Promise<void> {
  const entries = await readdir(storageDir).catch(() => [] as string[]);
  const modelPath = join(storageDir, MODEL_FOLDER);
  const replaced = entries.filter((name) => name.startsWith(REPLACED_PREFIX));
  if (replaced.length > 0 && !(await exists(modelPath))) {
    await rename(join(storageDir, replaced[0]), modelPath);
    replaced.shift();
  }
  for (const name of [...replaced, ...entries.filter((n) => n.startsWith(STAGING_PREFIX))]) {
    await rm(join(storageDir, name), { recursive: true, force: true });
  }
}

/**
 * Saves a trained model, replacing the previous one only once the new one is completely on
 * disk: everything is written to a staging folder first, then swapped in by renames. Any
 * failure before the swap leaves the previous model exactly as it was.
 */
export async function saveModel(storageDir: string, model: ModelToSave): Promise<string> {
  const expected = expectedWeightBytes(model.weightSpecs);
  if (model.weightData.byteLength !== expected) {
    throw new Error(
      `The weights are ${model.weightData.byteLength} bytes, but the model needs ${expected}; nothing was saved.`,
    );
  }
  await mkdir(storageDir, { recursive: true });
  await recoverInterruptedSave(storageDir);
  const suffix = randomBytes(6).toString('hex');
  const staging = join(storageDir, STAGING_PREFIX + suffix);
  const modelPath = join(storageDir, MODEL_FOLDER);
  const replaced = join(storageDir, REPLACED_PREFIX + suffix);
  try {
    await mkdir(staging);
    const modelJson = {
      format: 'layers-model',
      generatedBy: 'Fashion Classifier for VS Code',
      modelTopology: model.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: model.weightSpecs }],
    };
    await writeDurably(join(staging, 'weights.bin'), model.weightData);
    await writeDurably(join(staging, 'run.json'), JSON.stringify(model.run));
    // model.json last: a staging folder with model.json is complete.
    await writeDurably(join(staging, 'model.json'), JSON.stringify(modelJson));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const hadModel = await exists(modelPath);
  if (hadModel) {
    await rename(modelPath, replaced);
  }
  try {
    await rename(staging, modelPath);
  } catch (error) {
    if (hadModel) {
      await rename(replaced, modelPath);
    }
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await rm(replaced, { recursive: true, force: true });
  return modelPath;
}

/** The saved run, or undefined when there is no complete saved model (or its run is unreadable). */
export async function loadSavedRun(storageDir: string): Promise<SavedRun | undefined> {
  await recoverInterruptedSave(storageDir);
  const modelPath = join(storageDir, MODEL_FOLDER);
  for (const file of MODEL_FILES) {
    if (!(await exists(join(modelPath, file)))) {
      return undefined;
    }
  }
  try {
    return parseSavedRun(JSON.parse(await readFile(join(modelPath, 'run.json'), 'utf8')));
  } catch {
    return undefined;
  }
}

/** True when a complete model is saved. */
export async function hasSavedModel(storageDir: string): Promise<boolean> {
  return (await loadSavedRun(storageDir)) !== undefined;
}

/** The saved model's files by name, read together, for an export to any file system the editor reaches. */
export async function readSavedModelFiles(
  storageDir: string,
): Promise<{ name: (typeof MODEL_FILES)[number]; bytes: Uint8Array }[]> {
  const modelPath = join(storageDir, MODEL_FOLDER);
  if (!(await hasSavedModel(storageDir))) {
    throw new Error('There is no trained model to export yet.');
  }
  return Promise.all(MODEL_FILES.map(async (name) => ({ name, bytes: await readFile(join(modelPath, name)) })));
}
