// Per-epoch metrics as plain JSON: drawn live during training, saved next to the model and
// redrawn after a reload.

/** The metrics of one complete epoch, with clear names (TF.js says `acc`, `val_acc`). */
export interface EpochMetrics {
  /** 1-based, as people count epochs ("epoch 1 of 5"). */
  epoch: number;
  loss: number;
  accuracy: number;
  /** `null` when training ran without a validation set. */
  valLoss: number | null;
  valAccuracy: number | null;
  /** Wall-clock time of the epoch, validation included. */
  seconds: number;
}

/** One entry per complete epoch, in order. */
export type TrainingHistory = EpochMetrics[];

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isEpochMetrics(value: unknown): value is EpochMetrics {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const m = value as Record<string, unknown>;
  return (
    isNumber(m.epoch) &&
    isNumber(m.loss) &&
    isNumber(m.accuracy) &&
    (m.valLoss === null || isNumber(m.valLoss)) &&
    (m.valAccuracy === null || isNumber(m.valAccuracy)) &&
    isNumber(m.seconds)
  );
}

/**
 * Checks a history read back from a saved file. Returns `undefined` for anything that is not a
 * history, so a damaged or foreign file shows no chart rather than a broken one.
 */
export function parseHistory(value: unknown): TrainingHistory | undefined {
  return Array.isArray(value) && value.every(isEpochMetrics) ? (value as TrainingHistory) : undefined;
}

/** One epoch's numbers as a line of text, e.g. for the log. */
export function formatEpochMetrics(m: EpochMetrics): string {
  const validation =
    m.valLoss === null || m.valAccuracy === null
      ? 'no validation'
      : `val loss ${m.valLoss.toFixed(4)}, val accuracy ${m.valAccuracy.toFixed(4)}`;
  return `loss ${m.loss.toFixed(4)}, accuracy ${m.accuracy.toFixed(4)}, ${validation}, ${m.seconds.toFixed(1)} s`;
}
