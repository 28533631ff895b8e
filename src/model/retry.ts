// Retrying file system work that failed for a passing reason: on Windows an indexer or an
// antivirus holds a file for a moment (EPERM, EBUSY, EACCES), and anywhere a process can run out
// of file handles for a moment. A save is worth a few seconds of retries; a trained model is not
// worth losing to a scanner.

const TRANSIENT_CODES = new Set(['EPERM', 'EBUSY', 'EACCES', 'EAGAIN', 'EMFILE', 'ENFILE', 'ETXTBSY']);

/** Waits between attempts of a save: about 4 seconds in all, then the error stands. */
export const SAVE_RETRY_DELAYS_MS: readonly number[] = [200, 800, 3000];

/** True for an error that may pass if the same work is tried again in a moment. */
export function isTransientFileError(error: unknown): boolean {
  return TRANSIENT_CODES.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/**
 * Runs `work`, and again after each of `delaysMs` while it fails with a transient error; any
 * other error, or the last one, is thrown. `work` must leave nothing changed when it fails.
 */
export async function retryTransient<T>(
  work: () => Promise<T>,
  delaysMs: readonly number[],
  onRetry?: (error: unknown, attempt: number) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= delaysMs.length || !isTransientFileError(error)) {
        throw error;
      }
      onRetry?.(error, attempt + 1);
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  }
}
