// The two ways preparing the data set ends without data: a problem a person can fix, or a cancel.

/** A data set problem a person can act on: the message names the file and says what to do. */
export class DatasetError extends Error {
  override name = 'DatasetError';
  /** True when fixing it means changing `fashionClassifier.datasetPath`, so the UI can offer the setting. */
  readonly involvesSetting: boolean;

  constructor(message: string, options: { involvesSetting?: boolean } = {}) {
    super(message);
    this.involvesSetting = options.involvesSetting ?? false;
  }
}

/** The user cancelled (or the caller aborted) while preparing the data set; nothing half-written is left behind. */
export class DatasetCancelledError extends Error {
  override name = 'DatasetCancelledError';

  constructor() {
    super('Preparing the Fashion-MNIST data set was cancelled.');
  }
}

/** True for the errors Node raises when an AbortSignal fires. */
export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'AbortError' || (error as NodeJS.ErrnoException).code === 'ABORT_ERR')
  );
}
