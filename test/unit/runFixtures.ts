// A small run record as run.json holds it, for the tests of what reads, checks, stores and groups
// runs: one epoch of history, an evaluation and no predictions unless a test gives its own.
import type { SavedRun } from '../../src/shared/savedRun';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

export function savedRunFixture(overrides: Partial<SavedRun> = {}): SavedRun {
  return {
    finishedAt: new Date(0).toISOString(),
    settings: { ...DEFAULT_SETTINGS },
    backend: 'wasm',
    trainCount: 8,
    validationCount: 2,
    testCount: 4,
    history: [{ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1.1, valAccuracy: 0.4, seconds: 1 }],
    evaluation: { loss: 0.9, accuracy: 0.5, confusionMatrix: Array.from({ length: 10 }, () => Array(10).fill(0)) },
    predictions: [],
    ...overrides,
  };
}
