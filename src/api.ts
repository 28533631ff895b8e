/**
 * What `activate` returns. Other extensions and the integration tests use it to observe the
 * extension without reaching into its internals.
 */
export interface FashionClassifierApi {
  /** Resolves once the classifier panel is open and its webview has said `ready`. */
  classifierPanelReady(): Promise<void>;
  /** Resolves with the outcome of the next training run to end: 'completed', 'stopped' or 'failed'. */
  trainingEnded(): Promise<string>;
  /** Where the trained model (model.json, weights.bin, run.json) is saved. */
  modelFolder: string;
}
