import * as assert from 'node:assert/strict';
import { RunInProgressRecord, type StateStore } from '../../src/panel/runInProgress';
import type { TrainingStartedMessage } from '../../src/shared/protocol';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

/** A workspace state in memory, as vscode.Memento keeps it (undefined removes a key). */
class MemoryState implements StateStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) {
      this.values.delete(key);
    } else {
      this.values.set(key, JSON.parse(JSON.stringify(value)));
    }
    return Promise.resolve();
  }
}

const started = (change: Partial<TrainingStartedMessage> = {}): TrainingStartedMessage => ({
  type: 'trainingStarted',
  backend: 'wasm',
  settings: { ...DEFAULT_SETTINGS, seed: 4242 },
  trainCount: 48000,
  validationCount: 12000,
  ...change,
});

describe('the run a page trains, remembered until it ends', () => {
  const at = new Date(2026, 11, 1, 23, 5, 9);

  it('has nothing to tell when no run began', async () => {
    assert.equal(await new RunInProgressRecord(new MemoryState()).takeUnfinished(), undefined);
  });

  it('has nothing to tell once the run ended', async () => {
    const record = new RunInProgressRecord(new MemoryState(), () => at);
    await record.started(started());
    await record.ended();
    assert.equal(await record.takeUnfinished(), undefined);
  });

  it('names a run that never ended, once: which run, that nothing was saved, and what to do', async () => {
    const state = new MemoryState();
    await new RunInProgressRecord(state, () => at).started(started());
    // A new extension host after a window reload reads the same workspace state.
    const record = new RunInProgressRecord(state, () => at);
    const problem = await record.takeUnfinished();
    assert.equal(
      problem?.message,
      'The run started at 23:05:09 (the MLP, 5 epochs, seed 4242) did not finish: its panel closed or the window ' +
        'reloaded while it trained. Nothing of it was saved, and the model "Classify image" uses is unchanged. ' +
        'Start training to run it again.',
    );
    assert.deepEqual(problem?.actions, [{ kind: 'showLog' }]);
    assert.equal(await record.takeUnfinished(), undefined, 'said once');
  });

  it("says which run of an experiment it was, and where the experiment's finished runs are", async () => {
    const state = new MemoryState();
    const record = new RunInProgressRecord(state, () => at);
    const experiment = { label: 'Repeat ×3', run: 2, runs: 3 };
    await record.started(started({ settings: { ...DEFAULT_SETTINGS, model: 'cnn', epochs: 1, seed: 7 }, experiment }));
    const problem = await record.takeUnfinished();
    assert.match(
      problem?.message ?? '',
      /^The run started at 23:05:09 \(the CNN, 1 epoch, seed 7\), run 2 of 3 of "Repeat ×3", did not finish/,
    );
    assert.match(
      problem?.message ?? '',
      /unchanged\. The 1 run of "Repeat ×3" that finished before it is in the run history\. "8\. Repeat and sweep" starts it again\.$/,
    );
    await record.started(started({ experiment: { label: 'Sweep of learning rate', run: 1, runs: 6 } }));
    assert.match(
      (await record.takeUnfinished())?.message ?? '',
      /, run 1 of 6 of "Sweep of learning rate", did not finish.* No run of "Sweep of learning rate" had finished\./,
    );
    await record.started(started({ experiment: { label: 'Repeat ×5', run: 4, runs: 5 } }));
    assert.match(
      (await record.takeUnfinished())?.message ?? '',
      /The 3 runs of "Repeat ×5" that finished before it are/,
    );
    await record.started(started({ experiment: { label: 'Repeat each of 2 runs ×3', run: 5, runs: 6 } }));
    assert.match(
      (await record.takeUnfinished())?.message ?? '',
      /The 4 runs of "Repeat each of 2 runs ×3" .* "Repeat each ×3" in "7\. Compare runs" starts it again\.$/,
    );
  });

  it('gives the day of a run that was not today', async () => {
    const state = new MemoryState();
    await new RunInProgressRecord(state, () => at).started(started());
    const threeDaysLater = new Date(2026, 11, 4, 9, 0, 0);
    const problem = await new RunInProgressRecord(state, () => threeDaysLater).takeUnfinished();
    assert.match(problem?.message ?? '', /^The run started on 1 Dec at 23:05:09 \(the MLP/);
  });

  it('keeps only the latest run: a new start replaces one that ended unseen', async () => {
    const state = new MemoryState();
    const record = new RunInProgressRecord(state, () => at);
    await record.started(started());
    await record.started(started({ settings: { ...DEFAULT_SETTINGS, epochs: 12, seed: 1 } }));
    assert.match((await record.takeUnfinished())?.message ?? '', /\(the MLP, 12 epochs, seed 1\)/);
  });
});
