import * as assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  symlinkSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ModelStore, ModelToSave, RunNotFoundError, RUNS_FOLDER } from '../../src/model/modelStore';
import { DEFAULT_LOCK_WAIT_MS, STALE_AFTER_MS } from '../../src/model/storeLock';
import { makeUnwritable } from '../harness/unwritableFolder';
import type { SavedRun } from '../../src/shared/savedRun';
import { savedRunFixture } from './runFixtures';

const root = join(__dirname, '..', '..', '..', 'test-output', 'unit', 'modelStore');
const MINUTE = 60_000;

function run(accuracy: number): SavedRun {
  return savedRunFixture({
    backend: 'cpu',
    evaluation: { loss: 0.9, accuracy, confusionMatrix: Array.from({ length: 10 }, () => Array(10).fill(0)) },
    predictions: [{ pixels: Array(784).fill(7), trueLabel: 3, predictedClass: 3, probabilities: Array(10).fill(0.1) }],
  });
}

function model(fill: number, accuracy: number): ModelToSave {
  return {
    modelTopology: { class_name: 'Sequential' },
    weightSpecs: [{ name: 'dense/kernel', shape: [2, 3], dtype: 'float32' }],
    weightData: new Uint8Array(24).fill(fill),
    run: run(accuracy),
  };
}

/** Every folder and file under `dir` with its bytes: equal snapshots mean nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (folder: string, prefix: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        entries[`${prefix}${name}/`] = '';
        walk(path, `${prefix}${name}/`);
      } else {
        entries[prefix + name] = readFileSync(path).toString('base64');
      }
    }
  };
  walk(dir, '');
  return entries;
}

function setAge(path: string, ageMs: number): void {
  const time = new Date(Date.now() - ageMs);
  for (const name of statSync(path).isDirectory() ? readdirSync(path) : []) {
    utimesSync(join(path, name), time, time);
  }
  utimesSync(path, time, time);
}

function writeLock(runsDir: string, holder: { pid: number; hostname: string; time: string }): string {
  const lockPath = join(runsDir, '.lock');
  writeFileSync(lockPath, JSON.stringify({ ...holder, token: 'someone-else' }));
  return lockPath;
}

/** A process that is certainly gone: it ran and exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('model store', () => {
  let dir: string;
  let runsDir: string;
  let n = 0;

  beforeEach(() => {
    dir = join(root, `case-${++n}`);
    runsDir = join(dir, RUNS_FOLDER);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  });

  describe('saving, listing and selecting', () => {
    it('saves a run as model.json, weights.bin and run.json in TF.js layers format, and selects it', async () => {
      const store = await ModelStore.open(dir);
      const saved = await store.save(model(1, 0.8));
      assert.equal(saved.folder, join(runsDir, saved.id));
      assert.equal(saved.selected, true);
      assert.equal(saved.run.evaluation.accuracy, 0.8);
      const modelJson = JSON.parse(readFileSync(join(saved.folder, 'model.json'), 'utf8'));
      assert.equal(modelJson.format, 'layers-model');
      assert.deepEqual(modelJson.weightsManifest[0].paths, ['weights.bin']);
      assert.equal(readFileSync(join(saved.folder, 'weights.bin')).length, 24);
      const onDisk = ['model.json', 'weights.bin', 'run.json'].map((f) => statSync(join(saved.folder, f)).size);
      assert.equal(saved.bytes, onDisk[0] + onDisk[1] + onDisk[2]);
      assert.deepEqual(readdirSync(runsDir).sort(), [saved.id, 'selected.json']);
      assert.deepEqual(await store.selected(), saved);
    });

    it('lists runs newest first, each save selecting the new run', async () => {
      const store = await ModelStore.open(dir);
      const saved = [];
      for (let i = 1; i <= 4; i++) {
        saved.push(await store.save(model(i, i / 10)));
      }
      const listed = await store.list();
      assert.deepEqual(
        listed.map((r) => r.id),
        saved.map((r) => r.id).reverse(),
      );
      assert.deepEqual(
        listed.map((r) => r.id),
        listed
          .map((r) => r.id)
          .sort()
          .reverse(),
        'ids sort by save time',
      );
      assert.deepEqual(
        listed.map((r) => r.selected),
        [true, false, false, false],
      );
      assert.equal((await store.selected())?.run.evaluation.accuracy, 0.4);
    });

    it('selects any run, for every window, and moves the selection to the newest run when the selected one is removed', async () => {
      const store = await ModelStore.open(dir);
      const [a, b, c] = [
        await store.save(model(1, 0.1)),
        await store.save(model(2, 0.2)),
        await store.save(model(3, 0.3)),
      ];
      assert.equal((await store.select(a.id)).id, a.id);
      const otherWindow = await ModelStore.open(dir);
      assert.equal((await otherWindow.selected())?.id, a.id);
      assert.deepEqual(
        (await otherWindow.list()).map((r) => r.selected),
        [false, false, true],
      );

      assert.equal((await store.remove(b.id))?.id, a.id, 'removing another run keeps the selection');
      assert.equal((await store.remove(a.id))?.id, c.id, 'the newest remaining run takes over');
      assert.equal((await otherWindow.selected())?.id, c.id);
      assert.deepEqual(JSON.parse(readFileSync(join(runsDir, 'selected.json'), 'utf8')), { id: c.id });

      assert.equal(await store.remove(c.id), undefined, 'no run left, none selected');
      assert.equal(await store.selected(), undefined);
      assert.deepEqual(readdirSync(runsDir), []);
    });

    it('refuses ids of runs that do not exist, and ids that would reach outside the store', async () => {
      const store = await ModelStore.open(dir);
      const saved = await store.save(model(1, 0.8));
      const gone = saved.id.replace(/.{12}$/, '000000000000');
      for (const id of [gone, '..', '../runs', 'selected.json']) {
        await assert.rejects(store.select(id), RunNotFoundError);
        await assert.rejects(store.remove(id), RunNotFoundError);
        await assert.rejects(store.readFiles(id), RunNotFoundError);
      }
      assert.equal((await store.selected())?.id, saved.id);
    });

    it('reads a run’s three files for an export, as they are on disk', async () => {
      const store = await ModelStore.open(dir);
      const older = await store.save(model(1, 0.8));
      await store.save(model(2, 0.9));
      const files = await store.readFiles(older.id);
      assert.deepEqual(
        files.map((f) => f.name),
        ['model.json', 'weights.bin', 'run.json'],
      );
      for (const file of files) {
        assert.deepEqual(file.bytes, readFileSync(join(older.folder, file.name)));
      }
    });

    it('counts the bytes of all runs', async () => {
      const store = await ModelStore.open(dir);
      assert.equal(await store.usage(), 0);
      const a = await store.save(model(1, 0.8));
      const b = await store.save({
        ...model(2, 0.9),
        weightSpecs: [{ name: 'k', shape: [100], dtype: 'float32' }],
        weightData: new Uint8Array(400),
      });
      assert.equal(await store.usage(), a.bytes + b.bytes);
    });

    it('keeps the order of saves racing in one process', async () => {
      const store = await ModelStore.open(dir);
      const saved = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => store.save(model(i, i / 10))));
      const listed = await store.list();
      assert.equal(new Set(listed.map((r) => r.id)).size, 6);
      assert.equal(listed.filter((r) => r.selected).length, 1);
      assert.ok(
        saved.some((r) => r.id === listed[0].id && listed[0].selected),
        'the last save published is selected',
      );
    });
  });

  describe('pruning', () => {
    it('keeps the newest runs up to the limit, the new, selected run among them', async () => {
      const store = await ModelStore.open(dir, { limit: 3 });
      const saved = [];
      for (let i = 1; i <= 5; i++) {
        saved.push(await store.save(model(i, i / 10)));
        assert.ok((await store.list()).length <= 3);
      }
      assert.deepEqual(
        (await store.list()).map((r) => r.id),
        [saved[4].id, saved[3].id, saved[2].id],
      );
      assert.deepEqual(readdirSync(runsDir).sort(), [saved[2].id, saved[3].id, saved[4].id, 'selected.json']);
    });

    it('keeps the selected run, the one just saved, even with a limit of one and an older run selected before', async () => {
      const wide = await ModelStore.open(dir, { limit: 10 });
      const oldest = await wide.save(model(1, 0.1));
      await wide.save(model(2, 0.2));
      await wide.select(oldest.id);
      const narrow = await ModelStore.open(dir, { limit: 1 });
      const newest = await narrow.save(model(3, 0.3));
      assert.deepEqual(
        (await narrow.list()).map((r) => [r.id, r.selected]),
        [[newest.id, true]],
      );
      await assert.rejects(ModelStore.open(dir, { limit: 0 }), RangeError);
    });
  });

  describe('failed saves', () => {
    async function storeWithTwoRuns(): Promise<ModelStore> {
      const store = await ModelStore.open(dir);
      const first = await store.save(model(1, 0.8));
      await store.save(model(2, 0.9));
      await store.select(first.id);
      return store;
    }

    it('refuses weights that do not match their specs and changes nothing', async () => {
      const store = await storeWithTwoRuns();
      const before = snapshot(dir);
      const damaged = { ...model(3, 0.7), weightData: new Uint8Array(20) };
      await assert.rejects(store.save(damaged), /20 bytes, but the model needs 24/);
      assert.deepEqual(snapshot(dir), before);
    });

    it('changes nothing and leaves no staging folder when writing fails', async () => {
      const store = await storeWithTwoRuns();
      const before = snapshot(dir);
      // weights.bin and run.json are written before model.json fails to serialise.
      const unwritable = { ...model(3, 0.7), modelTopology: { units: BigInt(1) } };
      await assert.rejects(store.save(unwritable), /BigInt/);
      assert.deepEqual(snapshot(dir), before);
    });

    it('changes nothing when another process holds the lock past the timeout, and says who holds it', async () => {
      const store = await storeWithTwoRuns();
      const impatient = await ModelStore.open(dir, { lockTimeoutMs: 200 });
      writeLock(runsDir, { pid: process.pid, hostname: hostname(), time: new Date().toISOString() });
      const before = snapshot(dir);
      await assert.rejects(
        impatient.save(model(3, 0.7)),
        new RegExp(`locked by process ${process.pid} on ${hostname()}.*delete .*\\.lock`),
      );
      await assert.rejects(impatient.select((await store.list())[0].id), /locked by process/);
      assert.deepEqual(snapshot(dir), before);
    });
  });

  describe('reading without changing anything', () => {
    it('lists only complete runs, and neither lists nor reads write, move or delete anything', async () => {
      const store = await ModelStore.open(dir);
      const runs = [];
      for (let i = 1; i <= 5; i++) {
        runs.push(await store.save(model(i, i / 10)));
      }
      const [good, noRunJson, badRunJson, shortWeights, newest] = runs;
      unlinkSync(join(noRunJson.folder, 'run.json'));
      writeFileSync(join(badRunJson.folder, 'run.json'), '{"finishedAt": 1}');
      truncateSync(join(shortWeights.folder, 'weights.bin'), 20);
      unlinkSync(join(newest.folder, 'model.json'));
      await store.select(good.id);
      // Leftovers that only a locked cleanup may touch, and names the store does not know.
      mkdirSync(join(runsDir, '.staging-0123456789ab'));
      setAge(join(runsDir, '.staging-0123456789ab'), 60 * MINUTE);
      mkdirSync(join(runsDir, '.removed-0123456789ab'));
      writeFileSync(join(runsDir, '.selected-0123456789ab.tmp'), '{"id":');
      mkdirSync(join(runsDir, 'not-a-run'));
      writeLock(runsDir, { pid: deadPid(), hostname: hostname(), time: new Date().toISOString() });
      const before = snapshot(dir);

      assert.deepEqual(
        (await store.list()).map((r) => [r.id, r.selected]),
        [[good.id, true]],
      );
      assert.equal((await store.selected())?.id, good.id);
      assert.equal(await store.usage(), good.bytes);
      await assert.rejects(store.readFiles(shortWeights.id), RunNotFoundError);
      assert.equal((await store.readFiles(good.id)).length, 3);
      assert.equal((await store.selected())?.run.evaluation.accuracy, 0.1);
      assert.deepEqual(snapshot(dir), before);
    });

    it('falls back to the newest complete run when the pointer names a missing or damaged run', async () => {
      const store = await ModelStore.open(dir);
      const older = await store.save(model(1, 0.1));
      const newer = await store.save(model(2, 0.2));
      await store.select(older.id);
      rmSync(older.folder, { recursive: true });
      assert.equal((await store.selected())?.id, newer.id);
      writeFileSync(join(runsDir, 'selected.json'), 'not json');
      assert.equal((await store.selected())?.id, newer.id);
      writeFileSync(join(runsDir, 'selected.json'), JSON.stringify({ id: '../../elsewhere' }));
      assert.deepEqual(
        (await store.list()).map((r) => r.selected),
        [true],
      );
    });

    it('reports nothing saved, and creates nothing, in a storage folder without runs', async () => {
      const missing = join(dir, 'never-created');
      const store = await ModelStore.open(missing);
      assert.deepEqual(await store.list(), []);
      assert.equal(await store.selected(), undefined);
      assert.equal(await store.usage(), 0);
      assert.equal(existsSync(missing), false);
    });
  });

  describe('crash leftovers', () => {
    it('removes them under the lock, but not a staging folder a save may still be writing', async () => {
      const store = await ModelStore.open(dir);
      await store.save(model(1, 0.1));
      const abandoned = join(runsDir, '.staging-aaaaaaaaaaaa');
      const young = join(runsDir, '.staging-bbbbbbbbbbbb');
      for (const staging of [abandoned, young]) {
        mkdirSync(staging);
        writeFileSync(join(staging, 'weights.bin'), new Uint8Array(24));
      }
      setAge(abandoned, 11 * MINUTE);
      mkdirSync(join(runsDir, '.removed-cccccccccccc'));
      writeFileSync(join(runsDir, '.selected-dddddddddddd.tmp'), '{');
      writeFileSync(join(runsDir, `.lock.pending-${Date.now() - 2 * MINUTE}-eeeeeeeeeeee`), '{}');
      const youngPending = `.lock.pending-${Date.now()}-ffffffffffff`;
      writeFileSync(join(runsDir, youngPending), '{}');
      const saved = await store.save(model(2, 0.2));
      assert.deepEqual(
        readdirSync(runsDir)
          .filter((name) => name.startsWith('.'))
          .sort(),
        [youngPending, '.staging-bbbbbbbbbbbb'],
        'a young staging folder or lock being taken may belong to a live process',
      );
      assert.equal((await store.selected())?.id, saved.id);
    });
  });

  describe('the lock', () => {
    let holder: ChildProcess | undefined;

    afterEach(() => {
      holder?.kill();
      holder = undefined;
    });

    it('makes a save wait while another live process holds it', async () => {
      const store = await ModelStore.open(dir);
      await store.save(model(1, 0.1));
      holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      const lockPath = writeLock(runsDir, { pid: holder.pid!, hostname: hostname(), time: new Date().toISOString() });

      let settled = false;
      const saving = store.save(model(2, 0.2)).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(settled, false);
      assert.equal((await store.list()).length, 1, 'nothing published while waiting');

      unlinkSync(lockPath);
      const saved = await saving;
      assert.equal((await store.selected())?.id, saved.id);
      assert.equal(existsSync(lockPath), false);
    });

    for (const [what, lock] of [
      ['of a process that is gone', () => ({ pid: deadPid(), hostname: hostname(), time: new Date().toISOString() })],
      [
        'older than the stale limit, on another host',
        () => ({ pid: 1, hostname: 'elsewhere', time: new Date(Date.now() - STALE_AFTER_MS - 1000).toISOString() }),
      ],
    ] as const) {
      it(`breaks a lock ${what}`, async () => {
        const store = await ModelStore.open(dir, { lockTimeoutMs: 2000 });
        await store.save(model(1, 0.1));
        writeLock(runsDir, lock());
        const saved = await store.save(model(2, 0.2));
        assert.equal((await store.selected())?.id, saved.id);
        assert.deepEqual(
          readdirSync(runsDir).filter((name) => name.startsWith('.')),
          [],
        );
      });
    }

    it('leaves a stale lock to the process breaking it, and clears the mark of a breaker that crashed', async () => {
      const store = await ModelStore.open(dir, { lockTimeoutMs: 300 });
      await store.save(model(1, 0.1));
      writeLock(runsDir, { pid: deadPid(), hostname: hostname(), time: new Date().toISOString() });
      const mark = join(runsDir, '.lock.breaking');
      writeFileSync(mark, '');
      // Another process is breaking it: this one waits for that one rather than break it too.
      await assert.rejects(store.save(model(2, 0.2)), /locked by process/);
      setAge(mark, MINUTE);
      await store.save(model(2, 0.2));
      assert.equal((await store.list()).length, 2);
      assert.deepEqual(
        readdirSync(runsDir).filter((name) => name.startsWith('.')),
        [],
      );
    });

    it('waits for a lock file still being written, and breaks one a crash left empty long ago', async () => {
      const store = await ModelStore.open(dir, { lockTimeoutMs: 300 });
      await store.save(model(1, 0.1));
      const lockPath = join(runsDir, '.lock');
      writeFileSync(lockPath, '');
      await assert.rejects(store.save(model(2, 0.2)), /locked by a process that left no details/);
      setAge(lockPath, 3 * MINUTE);
      await store.save(model(2, 0.2));
      assert.equal((await store.list()).length, 2);
    });

    it('breaks an empty lock a crash left a moment ago, well before the wait ends', async () => {
      const store = await ModelStore.open(dir, { lockTimeoutMs: 10_000 });
      mkdirSync(runsDir);
      writeFileSync(join(runsDir, '.lock'), '');
      const started = Date.now();
      await store.save(model(1, 0.1));
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    });

    it('waits long enough by default to break a lock whose holder cannot be checked', async () => {
      assert.ok(DEFAULT_LOCK_WAIT_MS >= STALE_AFTER_MS + 5000, 'a waiter meets the stale limit before its deadline');
      const store = await ModelStore.open(dir);
      await store.save(model(1, 0.1));
      // On another host, so its pid says nothing here: it goes once older than the stale limit.
      writeLock(runsDir, {
        pid: 1,
        hostname: 'elsewhere',
        time: new Date(Date.now() - STALE_AFTER_MS + 800).toISOString(),
      });
      const started = Date.now();
      await store.save(model(2, 0.2));
      const waited = Date.now() - started;
      assert.ok(waited >= 500 && waited < 5000, `waited ${waited} ms`);
      assert.equal((await store.list()).length, 2);
    });

    it('removes a dangling link at the lock’s name at once, without spinning', async () => {
      const store = await ModelStore.open(dir, { lockTimeoutMs: 10_000 });
      await store.save(model(1, 0.1));
      const lockPath = join(runsDir, '.lock');
      symlinkSync(join(dir, 'nowhere', 'lock'), lockPath);
      const cpuBefore = process.cpuUsage();
      const started = Date.now();
      await store.save(model(2, 0.2));
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
      const cpu = process.cpuUsage(cpuBefore);
      assert.ok(cpu.user + cpu.system < 1_000_000, 'no busy loop');
      assert.equal(existsSync(lockPath), false);
      assert.deepEqual(
        readdirSync(runsDir).filter((name) => name.startsWith('.')),
        [],
      );
    });

    it('gives up by its deadline on a lock that is a folder, saying what to delete', async () => {
      const store = await ModelStore.open(dir, { lockTimeoutMs: 300 });
      await store.save(model(1, 0.1));
      mkdirSync(join(runsDir, '.lock'));
      await assert.rejects(store.save(model(2, 0.2)), /\.lock, is a folder; delete it/);
    });
  });

  describe('a store that cannot be written', () => {
    let restore: (() => void) | undefined;

    afterEach(() => {
      restore?.();
      restore = undefined;
    });

    it('tries a save again and succeeds once the folder is writable again, losing nothing', async () => {
      const retries: string[] = [];
      const store = await ModelStore.open(dir, {
        saveRetryDelaysMs: [300, 300, 300],
        onSaveRetry: (error) => retries.push((error as NodeJS.ErrnoException).code ?? String(error)),
      });
      const first = await store.save(model(1, 0.1));
      restore = makeUnwritable(runsDir);
      const saving = store.save(model(2, 0.2));
      await new Promise((resolve) => setTimeout(resolve, 450));
      restore();
      restore = undefined;
      const saved = await saving;
      assert.ok(retries.length >= 1, 'it failed at first');
      assert.match(retries[0], /^E(PERM|ACCES)$/);
      assert.deepEqual(
        (await store.list()).map((r) => r.id),
        [saved.id, first.id],
      );
    });

    it('gives up after its retries with the error and the path, and changes nothing', async () => {
      const store = await ModelStore.open(dir, { saveRetryDelaysMs: [50, 50] });
      await store.save(model(1, 0.1));
      const before = snapshot(dir);
      restore = makeUnwritable(runsDir);
      await assert.rejects(store.save(model(2, 0.2)), (error: NodeJS.ErrnoException) => {
        assert.match(error.code ?? '', /^E(PERM|ACCES)$/);
        assert.ok(error.message.includes(runsDir), error.message);
        return true;
      });
      restore();
      restore = undefined;
      assert.deepEqual(snapshot(dir), before);
    });
  });
});
