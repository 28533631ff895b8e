// The three files of a trained model: model.json (TF.js' layers format: topology and weight
// specs), weights.bin (all weights, one shard) and run.json (the run that trained them), and the
// rule that makes a folder of them complete: all three there, run.json a valid run, and
// weights.bin exactly as long as model.json's weight specs say.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSavedRun, SavedRun } from '../shared/savedRun';
import { isMissing, writeDurably } from './durableFiles';

export const MODEL_FILES = ['model.json', 'weights.bin', 'run.json'] as const;
type ModelFileName = (typeof MODEL_FILES)[number];

export interface ModelFile {
  name: ModelFileName;
  bytes: Uint8Array;
}

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

/** What a complete model folder holds, as far as a list of runs needs it. */
export interface ModelFolder {
  run: SavedRun;
  /** The three files' sizes together. */
  bytes: number;
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

/** Refuses weights whose size differs from their specs' before anything is written. */
export function checkWeightBytes(model: ModelToSave): void {
  const expected = expectedWeightBytes(model.weightSpecs);
  if (model.weightData.byteLength !== expected) {
    throw new Error(
      `The weights are ${model.weightData.byteLength} bytes, but the model needs ${expected}; nothing was saved.`,
    );
  }
}

/** The three files of `model` as they are written, in the order a save writes them (model.json last). */
export function modelFilesOf(model: ModelToSave): ModelFile[] {
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'Fashion Classifier for VS Code',
    modelTopology: model.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: model.weightSpecs }],
  };
  const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  return [
    { name: 'weights.bin', bytes: model.weightData },
    { name: 'run.json', bytes: text(model.run) },
    { name: 'model.json', bytes: text(modelJson) },
  ];
}

/** Writes the three files into an empty folder, each flushed to the disk. */
export async function writeModelFiles(folder: string, model: ModelToSave): Promise<void> {
  for (const file of modelFilesOf(model)) {
    await writeDurably(join(folder, file.name), file.bytes);
  }
}

function isWeightSpec(value: unknown): value is WeightSpec {
  const spec = value as WeightSpec;
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof spec.name === 'string' &&
    typeof spec.dtype === 'string' &&
    Array.isArray(spec.shape) &&
    spec.shape.every((n) => Number.isInteger(n) && n >= 0)
  );
}

/** The weight specs of a model.json this store wrote (one shard, weights.bin), or undefined. */
function weightSpecsOf(modelJson: string): WeightSpec[] | undefined {
  try {
    const manifest: unknown = JSON.parse(modelJson)?.weightsManifest;
    if (!Array.isArray(manifest) || manifest.length !== 1) {
      return undefined;
    }
    const [group] = manifest as { paths?: unknown; weights?: unknown }[];
    const onlyWeightsBin = Array.isArray(group?.paths) && group.paths.length === 1 && group.paths[0] === 'weights.bin';
    return onlyWeightsBin && Array.isArray(group.weights) && group.weights.every(isWeightSpec)
      ? group.weights
      : undefined;
  } catch {
    return undefined;
  }
}

function parseRunJson(runJson: string): SavedRun | undefined {
  try {
    return parseSavedRun(JSON.parse(runJson));
  } catch {
    return undefined;
  }
}

/** The run of three files that form a complete model, or undefined when they do not. */
function checkModelFiles(modelJson: string, runJson: string, weightBytes: number): SavedRun | undefined {
  const specs = weightSpecsOf(modelJson);
  try {
    return specs && expectedWeightBytes(specs) === weightBytes ? parseRunJson(runJson) : undefined;
  } catch {
    // A weight type this store does not know: not a model it can serve.
    return undefined;
  }
}

/**
 * Reads a model folder without changing anything: its run and size when it is complete,
 * undefined when a file is missing or damaged. Other read errors (permissions, I/O) are thrown.
 */
export async function readModelFolder(folder: string): Promise<ModelFolder | undefined> {
  try {
    const [modelJson, runJson, weights] = await Promise.all([
      readFile(join(folder, 'model.json')),
      readFile(join(folder, 'run.json')),
      stat(join(folder, 'weights.bin')),
    ]);
    const run = checkModelFiles(modelJson.toString('utf8'), runJson.toString('utf8'), weights.size);
    return run && { run, bytes: modelJson.length + runJson.length + weights.size };
  } catch (error) {
    if (isMissing(error)) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The three files' bytes, checked to form a complete model: what an export copies. Undefined
 * when a file is missing (the folder was removed meanwhile) or the files are damaged.
 */
export async function readModelFiles(folder: string): Promise<ModelFile[] | undefined> {
  try {
    const [modelJson, weights, runJson] = await Promise.all([
      readFile(join(folder, 'model.json')),
      readFile(join(folder, 'weights.bin')),
      readFile(join(folder, 'run.json')),
    ]);
    if (!checkModelFiles(modelJson.toString('utf8'), runJson.toString('utf8'), weights.length)) {
      return undefined;
    }
    return [
      { name: 'model.json', bytes: modelJson },
      { name: 'weights.bin', bytes: weights },
      { name: 'run.json', bytes: runJson },
    ];
  } catch (error) {
    if (isMissing(error)) {
      return undefined;
    }
    throw error;
  }
}
