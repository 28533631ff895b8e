// What the status bar says about a training run, as text: pure, so the wording is unit-tested.
// The status bar item itself is src/panel/trainingStatusBar.ts.

/** What the host knows of the run in progress, from the panel's messages. */
export interface RunningStatus {
  /** The epoch being trained, 1-based. */
  epoch: number;
  epochs: number;
  /** The accuracies of the last finished epoch; undefined before the first ends. */
  finished?: FinishedEpoch;
  /** Estimate of the time left, when the panel has one. */
  secondsLeft?: number | null;
  backend: string;
  model: string;
}

export interface FinishedEpoch {
  epoch: number;
  accuracy: number;
  /** null without a validation set. */
  valAccuracy: number | null;
}

export interface StatusBarText {
  /** The item's text, with its codicon. */
  text: string;
  /** Hover text. */
  tooltip: string;
  /** What a screen reader says for the item. */
  label: string;
}

const TITLE = 'Fashion Classifier';
const CLICK = 'Click to show the panel.';

/** "Fashion Classifier: epoch 3/5 · acc 0.86", with a spinning icon. */
export function runningText(status: RunningStatus): StatusBarText {
  const { epoch, epochs, finished, secondsLeft } = status;
  const acc = finished ? ` · acc ${finished.accuracy.toFixed(2)}` : '';
  const measured = finished
    ? `; after epoch ${finished.epoch}, training accuracy ${finished.accuracy.toFixed(4)}` +
      (finished.valAccuracy === null ? '' : `, validation accuracy ${finished.valAccuracy.toFixed(4)}`)
    : '';
  const left = secondsLeft === null || secondsLeft === undefined ? '' : `, about ${formatSeconds(secondsLeft)} left`;
  const sentence = `Training the ${status.model.toUpperCase()} on ${status.backend}: epoch ${epoch} of ${epochs}${measured}${left}.`;
  return {
    text: `$(sync~spin) ${TITLE}: epoch ${epoch}/${epochs}${acc}`,
    tooltip: `${sentence} ${CLICK}`,
    label: `${TITLE}: ${sentence}`,
  };
}

/** Shown for a few seconds after a run: its test accuracy, or that it stopped or failed. */
export function endedText(outcome: 'completed' | 'stopped' | 'failed', testAccuracy?: number): StatusBarText {
  if (outcome === 'completed' && testAccuracy !== undefined) {
    const sentence = `Training done: test accuracy ${testAccuracy.toFixed(4)}.`;
    return {
      text: `$(pass) ${TITLE}: test accuracy ${testAccuracy.toFixed(4)}`,
      tooltip: `${sentence} ${CLICK}`,
      label: `${TITLE}: ${sentence}`,
    };
  }
  const sentence =
    outcome === 'failed'
      ? 'Training failed; the panel says why, and the saved model is unchanged.'
      : 'Training stopped; the saved model is unchanged.';
  return {
    text: `$(${outcome === 'failed' ? 'error' : 'debug-stop'}) ${TITLE}: training ${outcome === 'failed' ? 'failed' : 'stopped'}`,
    tooltip: `${sentence} ${CLICK}`,
    label: `${TITLE}: ${sentence}`,
  };
}

function formatSeconds(seconds: number): string {
  return seconds < 90 ? `${Math.max(1, Math.round(seconds))} s` : `${Math.round(seconds / 60)} min`;
}
