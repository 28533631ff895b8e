// The single model of earlier versions, <storage>/model, which a save replaced by two renames
// (model → model.replaced-*, then model.staging-* → model). Under the store's lock, on first use,
// it becomes a run of its own and the old folders go. The import copies, and its run id comes
// from the model's save time and contents: a crash before the old folder is removed leaves an
// import that the next one recognises instead of duplicating.
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { exists, isMissing, writeDurably } from './durableFiles';
import { readModelFiles } from './modelFiles';
import { isAbandoned, publishRun, runIdAt, writeStaging } from './runFolders';

const LEGACY_FOLDER = 'model';
const LEGACY_STAGING_PREFIX = 'model.staging-';
const LEGACY_REPLACED_PREFIX = 'model.replaced-';

function isLegacyLeftover(name: string): boolean {
  return name.startsWith(LEGACY_STAGING_PREFIX) || name.startsWith(LEGACY_REPLACED_PREFIX);
}

async function storageEntries(storageDir: string): Promise<string[]> {
  try {
    return await readdir(storageDir);
  } catch (error) {
    if (isMissing(error)) {
      return [];
    }
    throw error;
  }
}

/** True when `storageDir` holds an earlier version's model or what its saves left behind. */
export async function hasLegacyModel(storageDir: string): Promise<boolean> {
  return (await storageEntries(storageDir)).some((name) => name === LEGACY_FOLDER || isLegacyLeftover(name));
}

/** Imports an earlier version's model as a run and removes its folders. Only under the lock. */
export async function importLegacyModel(storageDir: string, runsDir: string): Promise<void> {
  const names = await storageEntries(storageDir);
  const hasModel = names.includes(LEGACY_FOLDER);
  if (hasModel) {
    await importFolder(join(storageDir, LEGACY_FOLDER), runsDir);
    await rm(join(storageDir, LEGACY_FOLDER), { recursive: true, force: true });
  }
  for (const name of names.filter(isLegacyLeftover)) {
    const path = join(storageDir, name);
    // A window still running an earlier version (until it reloads) may be in the middle of a save.
    if (!(await isAbandoned(path))) {
      continue;
    }
    if (name.startsWith(LEGACY_REPLACED_PREFIX) && !hasModel) {
      // Put aside by a save that died between its renames: earlier versions restored it.
      await importFolder(path, runsDir);
    }
    await rm(path, { recursive: true, force: true });
  }
}

/** Copies a complete legacy model folder into a new run; a damaged one has nothing to import. */
async function importFolder(source: string, runsDir: string): Promise<void> {
  const files = await readModelFiles(source);
  if (!files) {
    return;
  }
  const savedAt = (await stat(join(source, 'model.json'))).mtime;
  const contents = createHash('sha256');
  files.forEach((file) => contents.update(file.bytes));
  const id = runIdAt(savedAt, contents.digest('hex').slice(0, 12));
  if (await exists(join(runsDir, id))) {
    return;
  }
  const staging = await writeStaging(runsDir, async (folder) => {
    for (const file of files) {
      await writeDurably(join(folder, file.name), file.bytes);
    }
  });
  await publishRun(runsDir, staging, id);
}
