import * as assert from 'node:assert/strict';
import { ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ModelStore, RUNS_FOLDER } from '../../src/model/modelStore';
import { checkRunFiles, StressOptions, StressReport, taggedModel } from './modelStoreStressWorker';

const root = join(__dirname, '..', '..', '..', 'test-output', 'unit', 'modelStoreStress');
const WORKER = join(__dirname, 'modelStoreStressWorker.js');
const PROCESSES = 4;

function startWorker(options: StressOptions): { child: ChildProcess; report: Promise<StressReport> } {
  const child = fork(WORKER, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const report = new Promise<StressReport>((resolve, reject) => {
    let received: StressReport | undefined;
    child.on('message', (message) => (received = message as StressReport));
    child.on('exit', (code, signal) =>
      received
        ? resolve(received)
        : reject(new Error(`worker ${child.pid} ended (${code ?? signal}) without a report:\n${stderr}`)),
    );
  });
  return { child, report };
}

/** Starts a worker and kills it at a random moment, again and again until `done`: crashes mid-save. */
async function crashRepeatedly(options: StressOptions, done: () => boolean): Promise<number> {
  let kills = 0;
  while (!done()) {
    const { child, report } = startWorker(options);
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 500));
    child.kill('SIGKILL');
    await report.catch(() => undefined);
    kills++;
  }
  return kills;
}

describe('model store under load from several processes', () => {
  it(`keeps every run whole while ${PROCESSES} processes save, list, read, select and remove, and one keeps crashing`, async function () {
    this.timeout(120_000);
    const storageDir = join(root, 'storage');
    rmSync(storageDir, { recursive: true, force: true });
    mkdirSync(storageDir, { recursive: true });
    const options: StressOptions = { storageDir, rounds: 200, limit: 6, budgetMs: 20_000 };
    const started = performance.now();

    const workers = Array.from({ length: PROCESSES }, () => startWorker(options));
    let finished = false;
    const all = Promise.all(workers.map((w) => w.report)).finally(() => (finished = true));
    const [reports, kills] = await Promise.all([
      all,
      crashRepeatedly({ ...options, rounds: 1_000_000 }, () => finished),
    ]);
    const seconds = (performance.now() - started) / 1000;

    const total = (key: keyof Omit<StressReport, 'problems'>): number => reports.reduce((sum, r) => sum + r[key], 0);
    console.log(
      `      ${PROCESSES} processes, ${reports.map((r) => r.rounds).join('/')} rounds in ${seconds.toFixed(1)} s: ` +
        `${total('saves')} saves, ${total('reads')} reads, ${total('selects')} selects, ${total('removes')} removes, ` +
        `${total('vanished')} runs removed by another process first; a fifth process killed ${kills} times`,
    );
    assert.deepEqual(
      reports.flatMap((r) => r.problems),
      [],
    );
    for (const report of reports) {
      assert.equal(report.saves, report.rounds, `every save of process ${report.pid} succeeded`);
      assert.ok(report.rounds >= 20, `process ${report.pid} did only ${report.rounds} rounds`);
    }

    // The next save clears what the killed process left under the lock (its lock included).
    const store = await ModelStore.open(storageDir, { limit: options.limit, lockTimeoutMs: 5000 });
    const last = await store.save(taggedModel().model);
    const listed = await store.list();
    assert.ok(listed.length <= options.limit, `${listed.length} runs kept`);
    assert.deepEqual(
      listed.filter((r) => r.selected).map((r) => r.id),
      [last.id],
    );
    for (const run of listed) {
      assert.equal(checkRunFiles(await store.readFiles(run.id), run), undefined);
    }
    // Staging folders of saves killed while writing are left for a cleanup after ten minutes, and
    // the details of a lock being taken when the kill came for one after a minute.
    const entries = readdirSync(join(storageDir, RUNS_FOLDER)).filter(
      (name) => !name.startsWith('.staging-') && !name.startsWith('.lock.pending-'),
    );
    assert.deepEqual(entries.sort(), [...listed.map((r) => r.id), 'selected.json'].sort());
  });
});
