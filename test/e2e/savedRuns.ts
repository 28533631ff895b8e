// The trained runs an editor's extension storage holds, read as the extension reads them.
import { join } from 'node:path';
import { ModelStore, RUNS_FOLDER, type StoredRun } from '../../src/model/modelStore';

/** The folder of every run and the selection pointer: a save or a failure shows up in its hashes. */
export const runsFolder = (globalStorage: string) => join(globalStorage, RUNS_FOLDER);

/** The run "Classify image" uses, with its run.json as parsed by the extension. */
export async function selectedRun(globalStorage: string): Promise<StoredRun> {
  const selected = await (await ModelStore.open(globalStorage)).selected();
  if (!selected) {
    throw new Error(`No trained run in ${globalStorage}.`);
  }
  return selected;
}
