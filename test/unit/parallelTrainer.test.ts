// The coordinator and its workers in one Node process: each worker is a ReplicaServer behind a
// MessageChannel, as a Web Worker is behind its port in the panel, on TF.js' CPU backend.
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { evaluateModel } from '../../src/shared/ml/evaluate';
import { createModel, disposeModel, type ModelSettings } from '../../src/shared/ml/model';
import { weightChecksum } from '../../src/shared/ml/parallel/checksum';
import { ParallelTrainer } from '../../src/shared/ml/parallel/parallelTrainer';
import { readFlatWeights } from '../../src/shared/ml/parallel/replica';
import { splitExamples } from '../../src/shared/ml/split';
import { StopSignal, trainModel, type BatchProgress, type TrainingData } from '../../src/shared/ml/train';
import { syntheticExamples, useCpuBackend } from './mlFixtures';
import { inProcessWorkers } from './parallelFixtures';

const SMALL: ModelSettings = { hiddenUnits: 16, dropout: 0.2, learningRate: 0.01 };

/** 70 training examples (batches of 16: the last has 6) and 30 for validation. */
function smallData(): TrainingData {
  return splitExamples(syntheticExamples(100), 0.3);
}

describe('Data-parallel training: coordinator and workers', () => {
  useCpuBackend();

  it('trains with 3 workers like trainModel: history, callbacks, identical replicas, the model gets their weights', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const workers = inProcessWorkers(3);
    const trainer = new ParallelTrainer(workers.endpoints, SMALL);
    const model = createModel(SMALL);
    const progress: BatchProgress[] = [];
    const epochsSeen: number[] = [];
    try {
      const data = smallData();
      const result = await trainer.train(model, data, {
        epochs: 2,
        batchSize: 16,
        onBatchEnd: (p) => void progress.push(p),
        onEpochEnd: (metrics) => void epochsSeen.push(metrics.epoch),
      });
      assert.equal(result.stoppedEarly, false);
      assert.equal(result.history.length, 2);
      assert.deepEqual(epochsSeen, [1, 2]);
      assert.deepEqual(
        progress.map((p) => `${p.epoch}.${p.batch}/${p.batchesPerEpoch}`),
        ['1.1/5', '1.2/5', '1.3/5', '1.4/5', '1.5/5', '2.1/5', '2.2/5', '2.3/5', '2.4/5', '2.5/5'],
      );
      for (const metrics of result.history) {
        assert.ok(metrics.valLoss !== null && metrics.valAccuracy !== null && metrics.loss > 0);
      }
      assert.ok(result.history[1].loss < result.history[0].loss, 'the loss falls');
      const checksums = await trainer.checksums();
      assert.equal(new Set(checksums).size, 1, `replicas agree: ${checksums.join(', ')}`);
      assert.equal(weightChecksum(readFlatWeights(model)), checksums[0], 'the model holds the replicas’ weights');
      // Evaluation split across the workers predicts as the model itself does.
      const test = syntheticExamples(45, 8);
      const parallel = await trainer.evaluate(model, test, 16);
      const single = await evaluateModel(model, test, 16);
      assert.deepEqual(parallel.confusionMatrix, single.confusionMatrix);
      assert.equal(parallel.accuracy, single.accuracy);
      assert.ok(Math.abs(parallel.loss - single.loss) < 1e-6);
    } finally {
      trainer.dispose();
      disposeModel(model);
    }
    assert.equal(workers.terminated(), 3);
    assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensor left by the replicas or the coordinator');
  });

  it('gives the same first-epoch loss as one thread with the same seed, within summation order (dropout on)', async () => {
    const settings = { ...SMALL, dropout: 0.2, seed: 7 };
    const data = smallData();
    // The seed gives both models the same initial weights, the same order and the same masks.
    const single = createModel(settings);
    const parallel = createModel(settings);
    assert.deepEqual([...readFlatWeights(parallel)], [...readFlatWeights(single)]);
    const trainer = new ParallelTrainer(inProcessWorkers(2).endpoints, settings);
    try {
      const options = { epochs: 1, batchSize: 16, seed: 7 };
      const one = await trainModel(single, data, options);
      const two = await trainer.train(parallel, data, options);
      assert.equal(two.seed, 7);
      const [a, b] = [one.history[0], two.history[0]];
      assert.ok(Math.abs(a.loss - b.loss) / a.loss <= 1e-4, `training loss ${a.loss} vs ${b.loss}`);
      assert.ok(Math.abs(a.valLoss! - b.valLoss!) / a.valLoss! <= 1e-4, `validation loss ${a.valLoss} vs ${b.valLoss}`);
      assert.equal(a.accuracy, b.accuracy);
      // Another seed draws other masks and another order: not the same epoch.
      const other = createModel(settings);
      const otherTrainer = new ParallelTrainer(inProcessWorkers(2).endpoints, settings);
      try {
        const three = await otherTrainer.train(other, data, { ...options, seed: 8 });
        assert.notEqual(three.history[0].loss, b.loss);
      } finally {
        otherTrainer.dispose();
        disposeModel(other);
      }
    } finally {
      trainer.dispose();
      disposeModel(single);
      disposeModel(parallel);
    }
  });

  it('stops between batches: the model keeps its weights, the workers end, nothing is left', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const workers = inProcessWorkers(2);
    const trainer = new ParallelTrainer(workers.endpoints, SMALL);
    const model = createModel(SMALL);
    const initial = weightChecksum(readFlatWeights(model));
    const stopSignal = new StopSignal();
    try {
      const result = await trainer.train(model, smallData(), {
        epochs: 3,
        batchSize: 8,
        stopSignal,
        onBatchEnd: ({ batch }) => (batch === 3 ? stopSignal.stop() : undefined),
      });
      assert.equal(result.stoppedEarly, true);
      assert.equal(result.history.length, 0);
      assert.equal(weightChecksum(readFlatWeights(model)), initial);
      assert.equal(workers.terminated(), 2, 'stopping ends the workers at once');
    } finally {
      trainer.dispose();
      disposeModel(model);
    }
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });

  it('trains again on the same workers after a run was stopped mid-epoch (as the calibration does)', async () => {
    const workers = inProcessWorkers(2);
    // The calibration keeps its pool between worker counts: a stop must not end the workers.
    const kept = workers.endpoints.map((endpoint) => ({ ...endpoint, terminate: () => undefined }));
    const model = createModel(SMALL);
    try {
      const stopSignal = new StopSignal();
      const first = new ParallelTrainer(kept, SMALL);
      await first.train(model, smallData(), {
        epochs: 1,
        batchSize: 4,
        stopSignal,
        onBatchEnd: ({ batch }) => (batch === 2 ? stopSignal.stop() : undefined),
      });
      first.dispose();
      const second = new ParallelTrainer(kept, SMALL);
      const result = await second.train(model, smallData(), { epochs: 1, batchSize: 16 });
      assert.equal(result.history.length, 1);
      assert.equal(new Set(await second.checksums()).size, 1);
    } finally {
      workers.endpoints.forEach((endpoint) => endpoint.terminate());
      disposeModel(model);
    }
  });

  it('keeps the best epoch’s weights when early stopping ends the run', async () => {
    const trainer = new ParallelTrainer(inProcessWorkers(2).endpoints, SMALL);
    // A learning rate this high makes the validation loss rise after the first epochs.
    const model = createModel({ ...SMALL, learningRate: 0.5 });
    try {
      const result = await trainer.train(model, smallData(), { epochs: 12, batchSize: 16, earlyStoppingPatience: 1 });
      assert.ok(result.earlyStop, 'early stopping ended the run');
      const best = result.history[result.earlyStop.bestEpoch - 1];
      const now = await evaluateModel(model, splitExamples(syntheticExamples(100), 0.3).validation!, 64);
      assert.ok(
        Math.abs(now.loss - best.valLoss!) < 1e-4,
        `the model's validation loss ${now.loss} is the best epoch's ${best.valLoss}`,
      );
    } finally {
      trainer.dispose();
      disposeModel(model);
    }
  });

  it('fails the run with the worker’s reason when a worker fails', async () => {
    const workers = inProcessWorkers(2, (message) => message.type === 'batches');
    const trainer = new ParallelTrainer(workers.endpoints, SMALL);
    const model = createModel(SMALL);
    try {
      await assert.rejects(
        trainer.train(model, smallData(), { epochs: 1, batchSize: 16 }),
        /Training worker \d failed: .*out of memory \(pretend\) on batches/,
      );
    } finally {
      trainer.dispose();
      disposeModel(model);
    }
  });

  it('trains batches smaller than the number of workers (some workers get no rows)', async () => {
    const trainer = new ParallelTrainer(inProcessWorkers(4).endpoints, SMALL);
    const model = createModel(SMALL);
    try {
      const result = await trainer.train(model, { train: syntheticExamples(10, 3) }, { epochs: 1, batchSize: 3 });
      assert.equal(result.history.length, 1);
      assert.ok(Number.isFinite(result.history[0].loss));
      assert.equal(new Set(await trainer.checksums()).size, 1);
    } finally {
      trainer.dispose();
      disposeModel(model);
    }
  });
});
