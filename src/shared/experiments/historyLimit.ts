// Which kept runs the run-history limit removes, and what an experiment will make it remove
// before it starts. The store keeps the newest runs up to the limit, never the run "Classify
// image" uses, and never a run of the group being saved: a repeat or sweep keeps all its runs
// while it runs, even beyond the limit (a later save trims them). Pure: the store (host) and the
// panel's forecast use the same rule.

/** A kept run as the limit sees it. */
export interface LimitedRun {
  id: string;
  /** The run "Classify image" uses. */
  selected: boolean;
  /** Its repeat or sweep, if any. */
  groupId?: string;
}

/**
 * The runs to remove from `runs` (newest first) so that at most `limit` are left, oldest first,
 * sparing the selected run and the runs of `savingGroup`. Fewer are removed when only spared ones
 * are left to remove.
 */
export function runsToDrop(runs: readonly LimitedRun[], limit: number, savingGroup?: string): string[] {
  const excess = runs.length - limit;
  if (excess <= 0) {
    return [];
  }
  const removable = runs.filter((run) => !run.selected && (savingGroup === undefined || run.groupId !== savingGroup));
  return removable
    .slice(-excess)
    .reverse()
    .map((run) => run.id);
}

export interface LimitForecast {
  /** Kept runs (older than the experiment) that will be removed as its runs are saved. */
  dropped: number;
  /** The experiment's own runs beyond the limit: kept while it runs, trimmed by the next save after it. */
  ownBeyondLimit: number;
}

/**
 * What saving `planned` runs of one new group will remove from `kept` (newest first) under
 * `limit`: each save selects its run, and spares the group's runs.
 */
export function forecastDrops(kept: readonly LimitedRun[], planned: number, limit: number): LimitForecast {
  const group = '\u0000planned';
  const future: LimitedRun[] = [
    ...Array.from({ length: planned }, (_, i) => ({ id: `${group}${i}`, selected: i === 0, groupId: group })),
    ...kept.map((run) => ({ ...run, selected: false })),
  ];
  return {
    dropped: runsToDrop(future, limit, group).length,
    ownBeyondLimit: Math.max(0, planned - limit),
  };
}

/** The forecast in a sentence, for the panel before an experiment starts. */
export function describeForecast(forecast: LimitForecast, planned: number, limit: number, kept: number): string {
  const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;
  const base = `${runs(planned)} to train; ${runs(kept)} kept now, the last ${limit} are kept (fashionClassifier.runHistoryLimit)`;
  const parts = [
    forecast.dropped === 0
      ? `${base}: no kept run will be deleted.`
      : `${base}: the ${forecast.dropped === 1 ? 'oldest run' : `${forecast.dropped} oldest runs`} will be deleted as the new ones are saved.`,
  ];
  if (forecast.ownBeyondLimit > 0) {
    parts.push(
      `All ${runs(planned)} are kept while they train; the next run saved after them deletes the oldest ${runs(forecast.ownBeyondLimit)} of them unless you raise the limit.`,
    );
  }
  return parts.join(' ');
}
