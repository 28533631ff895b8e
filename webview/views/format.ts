// How numbers read in the panel. One locale everywhere, so "60,000" looks the same on every
// machine and end-to-end tests can match the text.

const COUNT = new Intl.NumberFormat('en-US');

/** 60000 -> "60,000". */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** Loss and accuracy the way Keras prints them: four decimals. */
export function formatMetric(value: number): string {
  return value.toFixed(4);
}

/** 0.8712 -> "87.1%". */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** A rough time left, rounded so it does not flicker from batch to batch. */
export function formatTimeLeft(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return 'estimating time left';
  }
  if (seconds < 5) {
    return 'a few seconds left';
  }
  if (seconds < 90) {
    const step = seconds < 20 ? 1 : 5;
    return `about ${Math.round(seconds / step) * step} s left`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) {
    return `about ${minutes} min left`;
  }
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** [null, 28, 28] -> "(None, 28, 28)", the shape notation of the Keras tutorial's summary. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `(${shape.map((size) => (size === null ? 'None' : String(size))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** A duration: tenths under ten seconds (a quick run is not "0 s"), whole seconds above. */
export function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}
