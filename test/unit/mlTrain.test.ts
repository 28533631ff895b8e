import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { parseHistory } from '../../src/shared/ml/history';
import { createModel, disposeModel } from '../../src/shared/ml/model';
import { splitExamples } from '../../src/shared/ml/split';
import { disposeTensors, toTensors, type ExampleBytes } from '../../src/shared/ml/tensors';
import {
  nextMacrotask,
  StopSignal,
  trainModel,
  type BatchProgress,
  type TrainingData,
  type TrainResult,
} from '../../src/shared/ml/train';
import { adjustableLearningRate } from '../../src/shared/ml/tfInternals';
import { createTrainingStep, rowRange } from '../../src/shared/ml/trainingStep';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { syntheticExamples, useCpuBackend } from './mlFixtures';

// The mechanics (callbacks, stopping, tensor bookkeeping) do not depend on the model's size, and
// TF.js' CPU backend is slow, so most tests train a narrow model on 4 batches per epoch.
const SMALL = { hiddenUnits: 16, dropout: 0.2, learningRate: 0.01 };
const BATCH = 16;
const BATCHES_PER_EPOCH = 4;

function lossOn(model: tf.LayersModel, examples: ExampleBytes): number {
  const data = toTensors(examples);
  try {
    return tf.tidy(() => (model.evaluate(data.xs, data.ys) as tf.Scalar[])[0].dataSync()[0]);
  } finally {
    disposeTensors(data);
  }
}

/** 64 training examples (4 batches of 16) and 16 for validation. */
function smallData(): TrainingData {
  return splitExamples(syntheticExamples(80), 0.2);
}

describe('ML training', () => {
  useCpuBackend();

  it("makes the same update as Keras' fit: one step equals trainOnBatch from the same weights", async () => {
    // Without dropout both are deterministic, so the weights must agree to float precision.
    const settings = { ...SMALL, dropout: 0 };
    const [ours, keras] = [createModel(settings), createModel(settings)];
    keras.setWeights(ours.getWeights());
    const batch = toTensors(syntheticExamples(32, 3));
    try {
      const step = createTrainingStep(ours, 1);
      for (let i = 0; i < 3; i++) {
        const metrics = step(batch.xs, batch.ys, { epoch: 1, rows: rowRange(0, 32) });
        const [kerasLoss, kerasAccuracy] = (await keras.trainOnBatch(batch.xs, batch.ys)) as number[];
        assert.ok(Math.abs(metrics.loss.dataSync()[0] - kerasLoss) < 1e-5, `step ${i} loss`);
        assert.ok(Math.abs(metrics.accuracy.dataSync()[0] - kerasAccuracy) < 1e-6, `step ${i} accuracy`);
        tf.dispose([metrics.loss, metrics.accuracy]);
      }
      const difference = tf.tidy(() =>
        Math.max(...ours.getWeights().map((w, i) => tf.max(tf.abs(tf.sub(w, keras.getWeights()[i]))).dataSync()[0])),
      );
      // Adam divides each gradient by its own running size, so a weight whose gradient is nearly
      // zero moves by up to a whole step on float noise alone: 1e-5 was exceeded (1.4e-5, 1.6e-5)
      // in two full test runs of several. A wrong update differs by whole steps (the learning rate, 0.01).
      assert.ok(difference < 1e-4, `largest weight difference ${difference}`);
    } finally {
      disposeModel(ours);
      disposeModel(keras);
      disposeTensors(batch);
    }
  });

  it('refuses a model compiled with another loss', () => {
    const model = createModel(SMALL);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    try {
      assert.throws(() => createTrainingStep(model, 1), /sparseCategoricalCrossentropy/);
    } finally {
      disposeModel(model);
    }
  });

  it('lowers the loss of the tutorial model with one training step', async () => {
    const model = createModel(DEFAULT_SETTINGS);
    const batch = syntheticExamples(64, 7);
    try {
      const before = lossOn(model, batch);
      const reports: BatchProgress[] = [];
      const result = await trainModel(
        model,
        { train: batch },
        { epochs: 1, batchSize: 64, onBatchEnd: (p) => void reports.push(p) },
      );
      const after = lossOn(model, batch);
      assert.ok(after < before, `loss ${before} -> ${after}`);
      // Every batch is reported by default.
      assert.deepEqual(
        reports.map((p) => [p.epoch, p.batch, p.batchesPerEpoch]),
        [[1, 1, 1]],
      );
      assert.ok(reports[0].loss > 0 && reports[0].accuracy >= 0 && reports[0].accuracy <= 1);
      assert.equal(result.history.length, 1);
      assert.equal(result.history[0].valLoss, null);
      assert.equal(result.history[0].valAccuracy, null);
      assert.equal(result.stoppedEarly, false);
    } finally {
      model.dispose();
    }
  });

  describe('over three epochs', () => {
    let model: tf.LayersModel;
    let data: TrainingData;
    let result: TrainResult;
    let tensorsBefore: number;
    const tensorsAtEpochEnd: number[] = [];
    const epochsReported: number[] = [];
    const reports: BatchProgress[] = [];
    let yields = 0;

    before(async () => {
      model = createModel(SMALL);
      data = smallData();
      tensorsBefore = tf.memory().numTensors;
      result = await trainModel(model, data, {
        epochs: 3,
        batchSize: BATCH,
        reportEveryBatches: 2,
        onBatchEnd: (p) => void reports.push(p),
        onEpochEnd: (m) => {
          epochsReported.push(m.epoch);
          tensorsAtEpochEnd.push(tf.memory().numTensors);
        },
        yieldEveryMs: 0,
        yieldFunc: async () => void yields++,
      });
    });

    after(() => {
      model.dispose();
    });

    it('keeps the tensor count the same after every epoch', () => {
      assert.equal(tensorsAtEpochEnd.length, 3);
      assert.ok(
        tensorsAtEpochEnd.every((n) => n === tensorsAtEpochEnd[0]),
        `tensors after each epoch: ${tensorsAtEpochEnd}`,
      );
    });

    it('leaves only the optimizer state behind', () => {
      // Adam keeps a first and a second moment for each trainable weight, for the model's lifetime.
      const optimizerState = 2 * model.trainableWeights.length;
      assert.equal(tf.memory().numTensors, tensorsBefore + optimizerState);
      // Not even the epoch's running totals are alive when its end is reported.
      assert.equal(tensorsAtEpochEnd[0], tensorsBefore + optimizerState);
    });

    it('records a plain-JSON history with clear metric names', () => {
      assert.equal(result.stoppedEarly, false);
      assert.deepEqual(epochsReported, [1, 2, 3]);
      assert.deepEqual(
        result.history.map((m) => m.epoch),
        [1, 2, 3],
      );
      for (const m of result.history) {
        assert.deepEqual(Object.keys(m).sort(), ['accuracy', 'epoch', 'loss', 'seconds', 'valAccuracy', 'valLoss']);
        assert.ok(m.loss > 0 && m.accuracy >= 0 && m.accuracy <= 1, JSON.stringify(m));
        assert.ok(
          typeof m.valLoss === 'number' && m.valAccuracy !== null && m.valAccuracy >= 0 && m.valAccuracy <= 1,
          JSON.stringify(m),
        );
        assert.ok(m.seconds > 0);
      }
      assert.ok(result.history[2].loss < result.history[0].loss, JSON.stringify(result.history));
      assert.deepEqual(parseHistory(JSON.parse(JSON.stringify(result.history))), result.history);
      assert.ok(result.seconds >= result.history.reduce((sum, m) => sum + m.seconds, 0) - 1e-6);
    });

    it('reports only every Nth batch when asked for less', () => {
      assert.deepEqual(
        reports.map((p) => [p.epoch, p.batch, p.batchesPerEpoch]),
        [1, 2, 3].flatMap((epoch) => [
          [epoch, 2, BATCHES_PER_EPOCH],
          [epoch, 4, BATCHES_PER_EPOCH],
        ]),
      );
    });

    it('hands control back to the event loop between batches', () => {
      assert.equal(yields, 3 * BATCHES_PER_EPOCH);
    });
  });

  describe('stopping', () => {
    let model: tf.LayersModel;
    let data: TrainingData;

    beforeEach(() => {
      model = createModel(SMALL);
      data = smallData();
    });

    afterEach(() => {
      model.dispose();
    });

    it('ends training after the current batch when the signal fires mid-epoch', async () => {
      const before = tf.memory().numTensors;
      const signal = new StopSignal();
      const reports: BatchProgress[] = [];
      const result = await trainModel(model, data, {
        epochs: 3,
        batchSize: BATCH,
        stopSignal: signal,
        onBatchEnd: (p) => {
          reports.push(p);
          if (p.batch === 2) {
            signal.stop();
          }
        },
      });
      assert.deepEqual(
        reports.map((p) => [p.epoch, p.batch]),
        [
          [1, 1],
          [1, 2],
        ],
      );
      assert.equal(result.stoppedEarly, true);
      // The cut-short epoch is not a complete epoch of the history.
      assert.deepEqual(result.history, []);
      assert.equal(tf.memory().numTensors, before + 2 * model.trainableWeights.length);
    });

    it('ends training between epochs when the signal fires at the end of one', async () => {
      const signal = new StopSignal();
      const reports: BatchProgress[] = [];
      const result = await trainModel(model, data, {
        epochs: 3,
        batchSize: BATCH,
        stopSignal: signal,
        onBatchEnd: (p) => void reports.push(p),
        onEpochEnd: () => signal.stop(),
      });
      assert.equal(result.stoppedEarly, true);
      assert.deepEqual(
        result.history.map((m) => m.epoch),
        [1],
      );
      assert.equal(reports.length, BATCHES_PER_EPOCH);
    });

    it('does not train at all when stopped before it starts', async () => {
      const signal = new StopSignal();
      signal.stop();
      let batches = 0;
      const result = await trainModel(model, data, {
        epochs: 3,
        batchSize: BATCH,
        stopSignal: signal,
        onBatchEnd: () => void batches++,
      });
      assert.equal(batches, 0);
      assert.deepEqual(result.history, []);
      assert.equal(result.stoppedEarly, true);
    });
  });

  it('trains epoch e at the compiled learning rate × decay^(e−1), then gives the model its own rate back', async () => {
    const model = createModel({ ...DEFAULT_SETTINGS, ...SMALL });
    try {
      const rate = adjustableLearningRate(model.optimizer)!;
      const seen = new Map<number, Set<number>>();
      await trainModel(model, smallData(), {
        epochs: 3,
        batchSize: BATCH,
        learningRateDecay: 0.5,
        onBatchEnd: ({ epoch }) => {
          seen.set(epoch, (seen.get(epoch) ?? new Set()).add(rate.learningRate));
        },
      });
      assert.deepEqual(
        [...seen].map(([epoch, rates]) => [epoch, [...rates]]),
        [
          [1, [0.01]],
          [2, [0.005]],
          [3, [0.0025]],
        ],
      );
      assert.equal(rate.learningRate, 0.01);
    } finally {
      disposeModel(model);
    }
  });

  it('yields on a macrotask by default, which lets timers run', async () => {
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    // A microtask chain would never let the timer in; a few macrotask hops do.
    for (let i = 0; i < 50 && !timerRan; i++) {
      await nextMacrotask();
    }
    assert.equal(timerRan, true);
  });
});

describe('early stopping', () => {
  useCpuBackend();

  it('ends training after `patience` epochs without a lower validation loss and keeps the best epoch’s weights', async () => {
    // Validation labels one class off the training labels: the better the model fits the
    // training images, the worse its validation loss, so the first epoch stays the best.
    const train = syntheticExamples(64, 11);
    const validation = { pixels: train.pixels, labels: train.labels.map((label) => (label + 1) % 10) };
    const before = tf.memory().numTensors;
    const model = createModel({ ...SMALL, dropout: 0 });
    let weightsAfterEpochOne: Float32Array[] = [];
    try {
      const result = await trainModel(
        model,
        { train, validation },
        {
          epochs: 10,
          batchSize: BATCH,
          earlyStoppingPatience: 2,
          onEpochEnd: (m) => {
            if (m.epoch === 1) {
              weightsAfterEpochOne = model.getWeights().map((w) => w.dataSync() as Float32Array);
            }
          },
        },
      );
      assert.deepEqual(result.earlyStop, { bestEpoch: 1, stoppedAfterEpoch: 3 });
      assert.equal(result.history.length, 3);
      assert.equal(result.stoppedEarly, false);
      assert.ok(result.history[2].valLoss! > result.history[0].valLoss!, JSON.stringify(result.history));
      const restored = model.getWeights().map((w) => w.dataSync() as Float32Array);
      restored.forEach((values, i) => assert.deepEqual(Array.from(values), Array.from(weightsAfterEpochOne[i])));
    } finally {
      disposeModel(model);
    }
    assert.equal(tf.memory().numTensors, before);
  });

  it('trains every epoch when the validation loss keeps falling', async () => {
    const data = smallData();
    const model = createModel(SMALL);
    try {
      const result = await trainModel(model, data, { epochs: 3, batchSize: BATCH, earlyStoppingPatience: 5 });
      assert.equal(result.earlyStop, undefined);
      assert.equal(result.history.length, 3);
    } finally {
      disposeModel(model);
    }
  });
});
