// What is kept of a finished training run next to the model, so that the panel shows the last
// run's curves and results after a reload without retraining. Plain JSON.
import { parseHistory, TrainingHistory } from './ml/history';
import { BACKEND_NAMES, type BackendName } from './backendPolicy';
import type { TrainingSettings } from './settings';

export interface SavedPrediction {
  /** 784 bytes of the test image, 0-255. */
  pixels: number[];
  trueLabel: number;
  predictedClass: number;
  probabilities: number[];
}

export interface SavedRun {
  /** ISO time the run finished. */
  finishedAt: string;
  settings: TrainingSettings;
  /** The TF.js backend that trained the model (webgl, wasm, cpu). */
  backend: BackendName;
  trainCount: number;
  validationCount: number;
  testCount: number;
  history: TrainingHistory;
  evaluation: {
    loss: number;
    accuracy: number;
    confusionMatrix: number[][];
  };
  /** The prediction gallery's images and results. */
  predictions: SavedPrediction[];
}

function isNumberArray(value: unknown, length?: number): value is number[] {
  return (
    Array.isArray(value) &&
    (length === undefined || value.length === length) &&
    value.every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}

function isSavedPrediction(value: unknown): value is SavedPrediction {
  const p = value as SavedPrediction;
  return (
    typeof p === 'object' &&
    p !== null &&
    isNumberArray(p.pixels, 784) &&
    isNumberArray(p.probabilities, 10) &&
    Number.isInteger(p.trueLabel) &&
    Number.isInteger(p.predictedClass)
  );
}

/**
 * Checks a run read back from disk. Anything malformed gives `undefined`: a damaged file then
 * shows an empty panel, never a broken one.
 */
export function parseSavedRun(value: unknown): SavedRun | undefined {
  const run = value as SavedRun;
  if (
    typeof run !== 'object' ||
    run === null ||
    typeof run.finishedAt !== 'string' ||
    !(BACKEND_NAMES as readonly string[]).includes(run.backend)
  ) {
    return undefined;
  }
  const history: TrainingHistory | undefined = parseHistory(run.history);
  const evaluation = run.evaluation;
  const valid =
    history !== undefined &&
    typeof run.settings === 'object' &&
    run.settings !== null &&
    [run.trainCount, run.validationCount, run.testCount].every(Number.isInteger) &&
    typeof evaluation === 'object' &&
    evaluation !== null &&
    typeof evaluation.loss === 'number' &&
    typeof evaluation.accuracy === 'number' &&
    Array.isArray(evaluation.confusionMatrix) &&
    evaluation.confusionMatrix.length === 10 &&
    evaluation.confusionMatrix.every((row) => isNumberArray(row, 10)) &&
    Array.isArray(run.predictions) &&
    run.predictions.every(isSavedPrediction);
  return valid ? run : undefined;
}
