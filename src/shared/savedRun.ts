// What is kept of a finished training run next to the model, so that the panel shows the last
// run's curves and results after a reload without retraining. Plain JSON.
import type { BatchPoint } from './ml/batchCurve';
import { parseHistory, TrainingHistory } from './ml/history';
import type { EarlyStop } from './ml/train';
import { BACKEND_NAMES, type BackendName } from './backendPolicy';
import { normalizeSettings, type TrainingSettings } from './settings';
import { parseRunGroup, type RunGroup } from './experiments/runGroup';

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
  /**
   * The settings it trained with. `seed` is the seed it used, drawn or set; null in runs saved
   * before runs recorded their seed.
   */
  settings: TrainingSettings;
  /** The TF.js backend that trained the model (webgl, wasm, cpu). */
  backend: BackendName;
  trainCount: number;
  validationCount: number;
  testCount: number;
  history: TrainingHistory;
  /** The smoothed loss and accuracy of the batches, a few points per epoch (x in epochs); absent in older runs. */
  batchCurve?: BatchPoint[];
  /** Where early stopping ended the run, when it did. */
  earlyStop?: EarlyStop;
  evaluation: {
    loss: number;
    accuracy: number;
    confusionMatrix: number[][];
  };
  /** The prediction gallery's images and results. */
  predictions: SavedPrediction[];
  /** The repeat or sweep the run was trained in; absent for a run trained alone (and in older runs). */
  group?: RunGroup;
}

/** Most points a batch curve may have: 25 an epoch (see ml/batchCurve.ts), 100 epochs, some slack. */
const MAX_BATCH_CURVE_POINTS = 3_000;

function parseBatchCurve(value: unknown, epochs: number): BatchPoint[] | undefined | false {
  if (value === undefined) {
    return undefined;
  }
  const ok =
    Array.isArray(value) &&
    value.length <= MAX_BATCH_CURVE_POINTS &&
    value.every((p) => {
      const point = p as BatchPoint;
      return (
        typeof point === 'object' &&
        point !== null &&
        isFiniteNumber(point.x) &&
        point.x >= 0 &&
        point.x <= epochs &&
        isFiniteNumber(point.loss) &&
        point.loss >= 0 &&
        isProbability(point.accuracy)
      );
    });
  return ok ? (value as BatchPoint[]).map(({ x, loss, accuracy }) => ({ x, loss, accuracy })) : false;
}

/** Most predictions a saved run may carry (the panel keeps 60). */
export const MAX_SAVED_PREDICTIONS = 200;
const MAX_EXAMPLES = 60_000;

const isFiniteNumber = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
const isCount = (n: unknown, max = MAX_EXAMPLES): n is number =>
  Number.isInteger(n) && (n as number) >= 0 && (n as number) <= max;
const isLabel = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 9;
const isProbability = (n: unknown): n is number => isFiniteNumber(n) && n >= 0 && n <= 1;

function isArrayOf<T>(value: unknown, length: number, item: (v: unknown) => v is T): value is T[] {
  return Array.isArray(value) && value.length === length && value.every(item);
}

function isSavedPrediction(value: unknown): value is SavedPrediction {
  const p = value as SavedPrediction;
  return (
    typeof p === 'object' &&
    p !== null &&
    isArrayOf(p.pixels, 784, (v): v is number => isCount(v, 255)) &&
    isArrayOf(p.probabilities, 10, isProbability) &&
    isLabel(p.trueLabel) &&
    isLabel(p.predictedClass)
  );
}

function isConfusionMatrix(value: unknown): value is number[][] {
  return isArrayOf(value, 10, (row): row is number[] => isArrayOf(row, 10, (n): n is number => isCount(n, 10_000)));
}

/**
 * Checks a run read back from disk, or sent by a panel, against everything a real run can be:
 * types, ranges (counts, labels 0-9, probabilities, a history no longer than its epochs, in
 * order) and sizes. Anything else gives `undefined`: a damaged or hostile file then shows an
 * empty panel, never a broken or hanging one. The settings come back normalised.
 */
export function parseSavedRun(value: unknown): SavedRun | undefined {
  const run = value as SavedRun;
  if (typeof run !== 'object' || run === null || typeof run.settings !== 'object' || run.settings === null) {
    return undefined;
  }
  const settings = normalizeSettings(run.settings as unknown as Record<string, unknown>);
  const history = parseHistory(run.history);
  const batchCurve = parseBatchCurve(run.batchCurve, settings.epochs);
  const earlyStop = run.earlyStop;
  const earlyStopValid =
    earlyStop === undefined ||
    (typeof earlyStop === 'object' &&
      earlyStop !== null &&
      Number.isInteger(earlyStop.bestEpoch) &&
      Number.isInteger(earlyStop.stoppedAfterEpoch) &&
      earlyStop.bestEpoch >= 1 &&
      earlyStop.bestEpoch <= earlyStop.stoppedAfterEpoch &&
      earlyStop.stoppedAfterEpoch === history?.length);
  const evaluation = run.evaluation;
  const group = parseRunGroup(run.group, settings);
  const valid =
    group !== false &&
    typeof run.finishedAt === 'string' &&
    run.finishedAt.length <= 40 &&
    !Number.isNaN(Date.parse(run.finishedAt)) &&
    (BACKEND_NAMES as readonly string[]).includes(run.backend) &&
    history !== undefined &&
    batchCurve !== false &&
    earlyStopValid &&
    history.length <= settings.epochs &&
    history.every((m, i) => m.epoch === i + 1 && m.loss >= 0 && isProbability(m.accuracy) && m.seconds >= 0) &&
    history.every(
      (m) => (m.valAccuracy === null || isProbability(m.valAccuracy)) && (m.valLoss === null || m.valLoss >= 0),
    ) &&
    isCount(run.trainCount) &&
    isCount(run.validationCount) &&
    isCount(run.testCount, 10_000) &&
    typeof evaluation === 'object' &&
    evaluation !== null &&
    isFiniteNumber(evaluation.loss) &&
    evaluation.loss >= 0 &&
    isProbability(evaluation.accuracy) &&
    isConfusionMatrix(evaluation.confusionMatrix) &&
    Array.isArray(run.predictions) &&
    run.predictions.length <= MAX_SAVED_PREDICTIONS &&
    run.predictions.every(isSavedPrediction);
  if (!valid) {
    return undefined;
  }
  return {
    finishedAt: run.finishedAt,
    settings,
    backend: run.backend,
    trainCount: run.trainCount,
    validationCount: run.validationCount,
    testCount: run.testCount,
    history: history.map((m) => ({ ...m })),
    ...(batchCurve ? { batchCurve } : {}),
    ...(earlyStop
      ? { earlyStop: { bestEpoch: earlyStop.bestEpoch, stoppedAfterEpoch: earlyStop.stoppedAfterEpoch } }
      : {}),
    evaluation: { loss: evaluation.loss, accuracy: evaluation.accuracy, confusionMatrix: evaluation.confusionMatrix },
    predictions: run.predictions.map((p) => ({
      pixels: p.pixels,
      trueLabel: p.trueLabel,
      predictedClass: p.predictedClass,
      probabilities: p.probabilities,
    })),
    ...(group ? { group } : {}),
  };
}

/**
 * The settings that train `run` again as it was trained: its own settings and seed, on the
 * backend it trained on (the same seed gives the same weights only on the same backend). None
 * for a run saved before runs recorded their seed.
 */
export function settingsToRunAgain(run: Pick<SavedRun, 'settings' | 'backend'>): TrainingSettings | undefined {
  return run.settings.seed === null ? undefined : { ...run.settings, backend: run.backend };
}
