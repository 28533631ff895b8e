// One process of the model store's stress test (modelStoreStress.test.ts forks several on one
// storage folder, as editor windows share one): rounds of save, list, read the selected run back
// and check it, now and then a select or a remove. Each run's three files are tied together: a
// random, unique `finishedAt` in run.json and in model.json's topology, which also holds the
// weights' SHA-256, and the weights' float count in run.json's trainCount. A run read with
// another run's files, or torn, shows.
// Reports to the parent over IPC; the parent uses `checkRunFiles` on the final state too.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { ModelFile, ModelStore, ModelToSave, RunNotFoundError, StoredRun } from '../../src/model/modelStore';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

export interface StressOptions {
  storageDir: string;
  rounds: number;
  limit: number;
  /** A worker stops after this long even when rounds are left, to keep the test bounded. */
  budgetMs: number;
}

export interface StressReport {
  pid: number;
  rounds: number;
  saves: number;
  reads: number;
  selects: number;
  removes: number;
  /** Reads, selects and removes of runs that another process removed first: expected, not a fault. */
  vanished: number;
  problems: string[];
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A small model with random weights, its three files tied together by `tag` (see above). */
export function taggedModel(): { model: ModelToSave; tag: string } {
  const floats = 256 + randomInt(768);
  const weightData = randomBytes(4 * floats);
  // Any time from 1970 to 6429: as unique as the test needs, and a valid finishedAt.
  const tag = new Date(randomInt(2 ** 47)).toISOString();
  const model: ModelToSave = {
    modelTopology: { finishedAt: tag, weightsSha256: sha256(weightData) },
    weightSpecs: [{ name: 'dense/kernel', shape: [floats], dtype: 'float32' }],
    weightData,
    run: {
      finishedAt: tag,
      settings: { ...DEFAULT_SETTINGS },
      backend: 'cpu',
      trainCount: floats,
      validationCount: 0,
      testCount: 0,
      history: [{ epoch: 1, loss: 1, accuracy: 0.5, valLoss: null, valAccuracy: null, seconds: 1 }],
      evaluation: { loss: 1, accuracy: 0.5, confusionMatrix: Array.from({ length: 10 }, () => Array(10).fill(0)) },
      predictions: [],
    },
  };
  return { model, tag };
}

/** What is wrong with a run's files read together (files of different runs, torn weights), if anything. */
export function checkRunFiles(files: ModelFile[], expected?: StoredRun): string | undefined {
  const byName = Object.fromEntries(files.map((file) => [file.name, Buffer.from(file.bytes)]));
  const modelJson = JSON.parse(byName['model.json'].toString('utf8'));
  const runJson = JSON.parse(byName['run.json'].toString('utf8'));
  const weights = byName['weights.bin'];
  const tag: string = modelJson.modelTopology.finishedAt;
  const [spec] = modelJson.weightsManifest[0].weights;
  if (runJson.finishedAt !== tag) {
    return `model.json is tagged ${tag} but run.json ${runJson.finishedAt}`;
  }
  if (modelJson.modelTopology.weightsSha256 !== sha256(weights)) {
    return `weights.bin (${weights.length} bytes) is not the one model.json (${tag}) was saved with`;
  }
  if (weights.length !== 4 * spec.shape[0] || weights.length !== 4 * runJson.trainCount) {
    return `weights.bin has ${weights.length} bytes; model.json says ${spec.shape[0]} floats, run.json ${runJson.trainCount}`;
  }
  if (expected && expected.run.finishedAt !== tag) {
    return `run ${expected.id} was listed as ${expected.run.finishedAt} but its files say ${tag}`;
  }
  return undefined;
}

async function stress(options: StressOptions): Promise<StressReport> {
  const report: StressReport = {
    pid: process.pid,
    rounds: 0,
    saves: 0,
    reads: 0,
    selects: 0,
    removes: 0,
    vanished: 0,
    problems: [],
  };
  const store = await ModelStore.open(options.storageDir, { limit: options.limit });
  const deadline = Date.now() + options.budgetMs;

  /** Runs `step`; a run that another process removed first only counts as vanished. */
  const tolerateVanished = async (step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (error) {
      if (!(error instanceof RunNotFoundError)) {
        throw error;
      }
      report.vanished++;
    }
  };
  const readBack = (stored: StoredRun): Promise<void> =>
    tolerateVanished(async () => {
      const problem = checkRunFiles(await store.readFiles(stored.id), stored);
      report.reads++;
      if (problem) {
        report.problems.push(problem);
      }
    });

  for (; report.rounds < options.rounds && Date.now() < deadline; report.rounds++) {
    const round = `${process.pid}-${report.rounds}`;
    try {
      const { model, tag } = taggedModel();
      const saved = await store.save(model);
      report.saves++;
      if (saved.run.finishedAt !== tag || !saved.selected) {
        report.problems.push(`save ${round} returned ${saved.run.finishedAt}, selected: ${saved.selected}`);
      }
      await readBack(saved);

      const listed = await store.list();
      const ids = listed.map((r) => r.id);
      if (ids.join() !== [...ids].sort().reverse().join() || listed.filter((r) => r.selected).length !== 1) {
        report.problems.push(`round ${round} listed ${listed.map((r) => `${r.id}${r.selected ? '*' : ''}`).join(' ')}`);
      }
      const selected = await store.selected();
      if (selected) {
        await readBack(selected);
      } else {
        report.problems.push(`round ${round}: no run selected just after a save`);
      }

      const other = listed[randomInt(listed.length)];
      if (Math.random() < 0.1) {
        await tolerateVanished(async () => void (await store.select(other.id)));
        report.selects++;
      } else if (Math.random() < 0.05) {
        await tolerateVanished(async () => void (await store.remove(other.id)));
        report.removes++;
      }
    } catch (error) {
      report.problems.push(`round ${round}: ${(error as Error).stack ?? error}`);
    }
  }
  return report;
}

if (require.main === module) {
  const options = JSON.parse(process.argv[2]) as StressOptions;
  void stress(options).then((report) => process.send!(report, () => process.disconnect()));
}
