// Where a run's notebook and its files go on disk. A notebook saved in a folder of the workspace
// gets a copy of the run's three files in a folder beside it, `<notebook name>-run/`, so that the
// notebook keeps working when the run leaves the history or the folder moves to another machine;
// a folder per notebook, so that two runs' notebooks side by side do not overwrite each other's
// model. No `vscode` import: unit-tested in Node.
import { access, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { ModelFile } from '../model/modelStore';
import { DATASET_FOLDER, FASHION_MNIST } from '../shared/datasetFiles';
import { buildRunNotebook, type NotebookRun } from '../shared/notebook/runNotebook';
import { notebookText, type Notebook } from '../shared/notebook/ipynb';

/** model.json as the store writes it: what the notebook needs of it. */
interface ModelJson {
  modelTopology: unknown;
}

export interface RunForNotebook {
  run: NotebookRun & { finishedAt: string };
  files: ModelFile[];
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** e.g. `fashion-mlp-2026-12-01-1612`: the model and when the run finished, in the local time zone. */
export function runNotebookName(model: string, finishedAt: string): string {
  const t = new Date(finishedAt);
  return `fashion-${model}-${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}-${pad(t.getHours())}${pad(t.getMinutes())}`;
}

/** The folder beside a notebook that holds its run's files: `fashion-mlp-….ipynb` → `fashion-mlp-…-run`. */
export function companionFolderName(notebookPath: string): string {
  return `${basename(notebookPath, extname(notebookPath))}-run`;
}

/** The name the .keras file gets: the notebook's own, so it sits beside it. */
function kerasName(notebookPath: string): string {
  return basename(notebookPath, extname(notebookPath));
}

/**
 * The storage folder of verified Fashion-MNIST files, when all four are there. A file appears in
 * it only once its content has matched the published checksums (prepareDataset.ts), and the
 * notebook checks them again before use.
 */
export async function verifiedDatasetFolder(storageDir: string): Promise<string | undefined> {
  const folder = join(storageDir, DATASET_FOLDER);
  const present = await Promise.all(
    FASHION_MNIST.map((file) =>
      access(join(folder, file.name)).then(
        () => true,
        () => false,
      ),
    ),
  );
  return present.every(Boolean) ? folder : undefined;
}

function modelTopologyOf(files: ModelFile[]): unknown {
  const modelJson = files.find((file) => file.name === 'model.json');
  if (!modelJson) {
    throw new Error('The run has no model.json.');
  }
  return (JSON.parse(Buffer.from(modelJson.bytes).toString('utf8')) as ModelJson).modelTopology;
}

export interface NotebookPlace {
  /** The folder the notebook reads the run's files from: relative to the notebook, or absolute. */
  runFolder: string;
  /** The .keras file's name, without extension. */
  runName: string;
  finishedLabel: string;
  datasetFolder?: string;
}

/** The notebook of a run; throws an UnsupportedModelError for a network it cannot rebuild. */
export function runNotebook(source: RunForNotebook, place: NotebookPlace): Notebook {
  return buildRunNotebook({ run: source.run, modelTopology: modelTopologyOf(source.files), ...place });
}

/**
 * Writes the notebook to `notebookPath` and the run's files into the folder beside it; returns
 * that folder. Files of an earlier notebook of that name are replaced.
 */
export async function writeRunNotebook(
  notebookPath: string,
  source: RunForNotebook,
  place: Omit<NotebookPlace, 'runFolder' | 'runName'>,
): Promise<string> {
  const runFolderName = companionFolderName(notebookPath);
  // Built first: a run the notebook cannot rebuild leaves nothing behind.
  const notebook = runNotebook(source, { ...place, runFolder: runFolderName, runName: kerasName(notebookPath) });
  const runFolder = join(dirname(notebookPath), runFolderName);
  await mkdir(runFolder, { recursive: true });
  for (const file of source.files) {
    await writeFile(join(runFolder, file.name), file.bytes);
  }
  await writeFile(notebookPath, notebookText(notebook));
  return runFolder;
}
