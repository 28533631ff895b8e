/**
 * What `activate` returns. Other extensions and the integration tests use it to observe the
 * extension without reaching into its internals.
 */
export interface FashionClassifierApi {
  /** Resolves once the classifier panel is open and its webview has said `ready`. */
  classifierPanelReady(): Promise<void>;
}
