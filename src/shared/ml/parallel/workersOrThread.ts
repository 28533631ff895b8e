// A run on data-parallel workers that falls back to the page's own thread when the workers fail
// before training has begun (out of memory building their replicas, say): the model is still
// untouched then, so nothing is lost. A failure later ends the run, as any training error does.
import { errorMessage } from '../../errorMessage';
import { evaluateModel } from '../evaluate';
import { trainModel } from '../train';
import type { ParallelTrainer } from './parallelTrainer';
import type { Trainer } from './trainer';

/** A worker failed after training had begun: the run is lost (the saved model is not touched). */
export class WorkersFailed extends Error {}

export class WorkersOrThread implements Trainer {
  private onThread = false;

  constructor(
    private readonly parallel: ParallelTrainer,
    /** Told why training moved to the page's thread. */
    private readonly onFallback: (reason: string) => void,
  ) {}

  get workers(): number {
    return this.onThread ? 1 : this.parallel.workers;
  }

  async train(...args: Parameters<Trainer['train']>): ReturnType<Trainer['train']> {
    try {
      return await this.parallel.train(...args);
    } catch (error) {
      if (this.parallel.batchesTrained > 0) {
        throw new WorkersFailed(errorMessage(error));
      }
      this.fallBack(errorMessage(error));
      return trainModel(...args);
    }
  }

  /** On the workers; where they failed, on the page's thread (the model holds the trained weights). */
  async evaluate(...args: Parameters<Trainer['evaluate']>): ReturnType<Trainer['evaluate']> {
    if (!this.onThread) {
      try {
        return await this.parallel.evaluate(...args);
      } catch (error) {
        this.fallBack(errorMessage(error));
      }
    }
    return evaluateModel(...args);
  }

  syncWeights(...args: Parameters<Trainer['syncWeights']>): Promise<void> {
    return this.onThread ? Promise.resolve() : this.parallel.syncWeights(...args);
  }

  dispose(): void {
    this.parallel.dispose();
  }

  private fallBack(reason: string): void {
    this.parallel.dispose();
    this.onThread = true;
    this.onFallback(reason);
  }
}
