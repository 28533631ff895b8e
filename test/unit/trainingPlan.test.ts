// The settings a person can write, over the whole range of every one, either make a plan that
// trains or are refused with a message that names them: never an error from inside TF.js.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { createModel, disposeModel } from '../../src/shared/ml/model';
import { planTraining } from '../../src/shared/ml/plan';
import { splitExamples } from '../../src/shared/ml/split';
import { firstExamples } from '../../src/shared/ml/tensors';
import { trainModel } from '../../src/shared/ml/train';
import { evaluateModel } from '../../src/shared/ml/evaluate';
import { BACKENDS, MODEL_PRESETS, normalizeSettings, TrainingSettings } from '../../src/shared/settings';
import { syntheticExamples, useCpuBackend } from './mlFixtures';

/** Anything settings.json may hold for a key: numbers in and far out of range, and other types. */
const anyValue = fc.oneof(
  fc.double(),
  fc.integer({ min: -100_000, max: 100_000 }),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom(0, 1, 0.9, 0.99, 60_000, 4096, Number.NaN, Infinity, -Infinity),
  fc.string(),
  fc.constant(null),
  fc.boolean(),
);

const rawSettings = fc.record(
  {
    epochs: anyValue,
    batchSize: anyValue,
    hiddenUnits: anyValue,
    dropout: anyValue,
    learningRate: anyValue,
    validationSplit: anyValue,
    trainSubsetSize: anyValue,
    testSubsetSize: anyValue,
    backend: fc.oneof(fc.constantFrom(...BACKENDS), fc.string()),
    model: fc.oneof(fc.constantFrom(...MODEL_PRESETS), fc.string(), fc.constant(null)),
    earlyStoppingPatience: anyValue,
    workers: anyValue,
  },
  { requiredKeys: [] },
);

/** Small images counts, so that every subset size (up to 60,000) can be cut to what is there. */
const available = fc.record({ train: fc.integer({ min: 1, max: 60_000 }), test: fc.integer({ min: 1, max: 10_000 }) });

function assertSettingsInRange(s: TrainingSettings): void {
  assert.ok(Number.isInteger(s.epochs) && s.epochs >= 1 && s.epochs <= 100, `epochs ${s.epochs}`);
  assert.ok(Number.isInteger(s.batchSize) && s.batchSize >= 1 && s.batchSize <= 4096, `batchSize ${s.batchSize}`);
  assert.ok(Number.isInteger(s.hiddenUnits) && s.hiddenUnits >= 1 && s.hiddenUnits <= 4096);
  assert.ok(s.dropout >= 0 && s.dropout <= 0.9, `dropout ${s.dropout}`);
  assert.ok(s.learningRate > 0 && s.learningRate <= 1, `learningRate ${s.learningRate}`);
  assert.ok(s.validationSplit >= 0 && s.validationSplit <= 0.9, `validationSplit ${s.validationSplit}`);
  assert.ok(Number.isInteger(s.trainSubsetSize) && s.trainSubsetSize >= 0 && s.trainSubsetSize <= 60_000);
  assert.ok(Number.isInteger(s.testSubsetSize) && s.testSubsetSize >= 0 && s.testSubsetSize <= 10_000);
  assert.ok((BACKENDS as readonly string[]).includes(s.backend));
  assert.ok((MODEL_PRESETS as readonly string[]).includes(s.model));
  assert.ok(Number.isInteger(s.earlyStoppingPatience) && s.earlyStoppingPatience >= 0 && s.earlyStoppingPatience <= 20);
  assert.ok(Number.isInteger(s.workers) && s.workers >= 0 && s.workers <= 16, `workers ${s.workers}`);
}

describe('training plan', () => {
  it('turns anything in settings.json into settings within range', () => {
    fc.assert(
      fc.property(rawSettings, (raw) => assertSettingsInRange(normalizeSettings(raw))),
      { numRuns: 2000 },
    );
  });

  it('plans every run that can train and refuses the others, naming the settings and their values', () => {
    fc.assert(
      fc.property(rawSettings, available, (raw, counts) => {
        const settings = normalizeSettings(raw);
        const outcome = planTraining(settings, counts);
        if (outcome.refusal) {
          assert.ok(outcome.refusal.settings.length > 0, outcome.refusal.message);
          for (const key of outcome.refusal.settings) {
            assert.ok(
              outcome.refusal.message.includes(`fashionClassifier.${key} is ${settings[key]}`),
              `${key} named in: ${outcome.refusal.message}`,
            );
          }
          assert.match(outcome.refusal.message, /\.$/);
          assert.doesNotMatch(outcome.refusal.message, /tensor|tf\.|undefined|NaN/);
          return;
        }
        const { plan } = outcome;
        const used = settings.trainSubsetSize === 0 ? counts.train : Math.min(settings.trainSubsetSize, counts.train);
        assert.equal(plan.usedCount, used);
        assert.ok(plan.trainCount >= 1);
        assert.equal(plan.trainCount + plan.validationCount, used);
        assert.equal(plan.validationCount > 0, settings.validationSplit > 0);
        assert.ok(
          settings.earlyStoppingPatience === 0 || plan.validationCount > 0,
          'early stopping has validation images',
        );
        assert.ok(plan.testCount >= 1 && plan.testCount <= counts.test);
        assert.equal(plan.batchesPerEpoch, Math.ceil(plan.trainCount / settings.batchSize));
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses the settings no training image is left by, in the panel's words", () => {
    const settings = normalizeSettings({
      trainSubsetSize: 5,
      validationSplit: 0.9,
      batchSize: 4096,
      testSubsetSize: 3,
    });
    const outcome = planTraining(settings, { train: 60_000, test: 10_000 });
    assert.equal(
      outcome.refusal?.message,
      'No training image is left: fashionClassifier.trainSubsetSize is 5 (5 images used) and ' +
        'fashionClassifier.validationSplit is 0.9, which holds out all 5 for validation. ' +
        'Use more images (0 uses all of them) or a smaller validation split.',
    );
    assert.deepEqual(outcome.refusal?.settings, ['trainSubsetSize', 'validationSplit']);
  });

  describe('runs what it plans', () => {
    useCpuBackend();

    it('trains and evaluates every planned run on a small data set without an error', async () => {
      // The plan, not the model, is under test: a narrow model and one epoch keep each run short.
      const small = fc.record({ train: fc.integer({ min: 1, max: 120 }), test: fc.integer({ min: 1, max: 40 }) });
      await fc.assert(
        fc.asyncProperty(rawSettings, small, async (raw, counts) => {
          const settings = normalizeSettings(raw);
          const outcome = planTraining(settings, counts);
          if (!outcome.plan) {
            return;
          }
          const data = firstExamples(syntheticExamples(counts.train, 5), settings.trainSubsetSize);
          const { train, validation } = splitExamples(data, settings.validationSplit);
          assert.equal(train.labels.length, outcome.plan.trainCount);
          assert.equal(validation?.labels.length ?? 0, outcome.plan.validationCount);
          const test = firstExamples(syntheticExamples(counts.test, 6), settings.testSubsetSize);
          const before = tf.memory().numTensors;
          const model = createModel({ hiddenUnits: 8, dropout: settings.dropout, learningRate: settings.learningRate });
          try {
            const result = await trainModel(
              model,
              { train, validation },
              { epochs: 1, batchSize: settings.batchSize, yieldEveryMs: 1e9 },
            );
            assert.equal(result.history.length, 1);
            assert.equal(result.history[0].valLoss === null, validation === undefined);
            const evaluation = await evaluateModel(model, test, 512);
            assert.equal(evaluation.examples, outcome.plan.testCount);
          } finally {
            disposeModel(model);
          }
          assert.equal(tf.memory().numTensors, before);
        }),
        { numRuns: 60 },
      );
    });
  });
});
