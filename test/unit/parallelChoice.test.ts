// How many threads a run trains on, and what happens when the workers fail.
import * as assert from 'node:assert/strict';
import { createModel, disposeModel } from '../../src/shared/ml/model';
import { ParallelTrainer } from '../../src/shared/ml/parallel/parallelTrainer';
import { planWorkers, workerCandidates } from '../../src/shared/ml/parallel/workerCount';
import { WorkersFailed, WorkersOrThread } from '../../src/shared/ml/parallel/workersOrThread';
import { syntheticExamples, useCpuBackend } from './mlFixtures';
import { inProcessWorkers } from './parallelFixtures';

const SMALL = { hiddenUnits: 16, dropout: 0.2, learningRate: 0.01 };

describe('Data-parallel training: how many threads', () => {
  it('uses workers on WebAssembly only, and never more than the cores', () => {
    assert.equal(planWorkers(4, 'webgl', 8).count, 1);
    assert.equal(planWorkers(4, 'cpu', 8).count, 1);
    assert.deepEqual(planWorkers(4, 'wasm', 8), { count: 4, reason: 'fashionClassifier.workers is 4' });
    assert.deepEqual(planWorkers(16, 'wasm', 2), {
      count: 2,
      reason: 'fashionClassifier.workers asks for 16; this machine has 2 cores',
    });
    assert.equal(planWorkers(2, 'wasm', 1).count, 1);
  });

  it("keeps today's single thread for 1, and for auto trains as timing found fastest", () => {
    assert.equal(planWorkers(1, 'wasm', 8).count, 1);
    assert.equal(planWorkers(0, 'wasm', 8, 4).count, 4);
    assert.equal(planWorkers(0, 'wasm', 8, 1).count, 1);
    assert.deepEqual(planWorkers(0, 'wasm', 8), { count: 1, reason: 'auto, not timed' });
    assert.equal(planWorkers(0, 'wasm', 2, 8).count, 2, 'a timing kept from another machine is capped');
  });

  it('times worker counts doubling up to the cores (16 at most), and the cores themselves', () => {
    assert.deepEqual(workerCandidates(1), []);
    assert.deepEqual(workerCandidates(2), [2]);
    assert.deepEqual(workerCandidates(6), [2, 4, 6]);
    assert.deepEqual(workerCandidates(8), [2, 4, 8]);
    assert.deepEqual(workerCandidates(64), [2, 4, 8, 16]);
  });
});

describe('Data-parallel training: falling back to one thread', () => {
  useCpuBackend();

  it('trains on the page’s thread, saying why, when the workers fail before the first batch', async () => {
    const reasons: string[] = [];
    const workers = inProcessWorkers(2, (message) => message.type === 'setup');
    const trainer = new WorkersOrThread(new ParallelTrainer(workers.endpoints, SMALL), (r) => void reasons.push(r));
    const model = createModel(SMALL);
    try {
      const result = await trainer.train(model, { train: syntheticExamples(64) }, { epochs: 1, batchSize: 16 });
      assert.equal(result.history.length, 1);
      assert.equal(trainer.workers, 1);
      assert.equal(reasons.length, 1);
      assert.match(reasons[0], /out of memory \(pretend\) on setup/);
      assert.equal(workers.terminated(), 2, 'the failed workers are ended');
      const evaluation = await trainer.evaluate(model, syntheticExamples(20, 2), 8);
      assert.equal(evaluation.examples, 20);
    } finally {
      trainer.dispose();
      disposeModel(model);
    }
  });

  it('ends the run with the reason when a worker fails after training began', async () => {
    // Validation comes after the first epoch's batches.
    const workers = inProcessWorkers(2, (message) => message.type === 'validate');
    const trainer = new WorkersOrThread(new ParallelTrainer(workers.endpoints, SMALL), () =>
      assert.fail('no fallback'),
    );
    const model = createModel(SMALL);
    try {
      const data = { train: syntheticExamples(64), validation: syntheticExamples(16, 2) };
      const promise = trainer.train(model, data, { epochs: 2, batchSize: 16 });
      await assert.rejects(
        promise,
        (error: Error) => error instanceof WorkersFailed && /out of memory/.test(error.message),
      );
    } finally {
      trainer.dispose();
      disposeModel(model);
    }
  });
});
