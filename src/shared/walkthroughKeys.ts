// The context keys that complete walkthrough steps (package.json `contributes.walkthroughs`,
// `completionEvents: ["onContext:<key>"]`); set by src/walkthrough/progress.ts. Pure, so a unit
// test can hold the manifest to them.

/** The keys, as the manifest's `completionEvents` name them (`onContext:<key>`). */
export const WALKTHROUGH_KEYS = {
  /** The panel has the verified data set. */
  datasetReady: 'fashionClassifier.datasetReady',
  /** A training run finished and its model was saved. */
  trainedRun: 'fashionClassifier.hasTrainedRun',
  /** At least two runs are kept, so they can be compared. */
  twoRuns: 'fashionClassifier.hasTwoRuns',
} as const;
