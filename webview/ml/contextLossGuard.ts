// Work on the WebGL backend that ends the moment the GPU context is lost. After a loss TF.js'
// readbacks wait on fences that never signal, so a training step awaiting one would hang the run
// forever; racing it against the loss lets the run fail at once, with its explanation.
import * as tf from '@tensorflow/tfjs';
import { isWebglLost, watchContextLoss } from './backend';

const onWebgl = () => tf.getBackend() === 'webgl';

export class ContextLossGuard {
  private happened = false;
  private rejectLoss: (error: Error) => void = () => {};
  private readonly lost: Promise<never>;
  private readonly unwatch: () => void;

  /** `onLost` runs first (e.g. to ask the training loop to stop); `failure` is what `race` throws. */
  constructor(onLost: () => void, failure: () => Error) {
    this.lost = new Promise<never>((_, reject) => {
      this.rejectLoss = reject;
    });
    // Seen through race() only; a loss while nothing races is not an unhandled rejection.
    this.lost.catch(() => {});
    const lose = () => {
      this.happened = true;
      onLost();
      this.rejectLoss(failure());
    };
    this.unwatch = watchContextLoss(lose);
    // The event fires once: a context lost before this guard existed fails the work at once.
    if (onWebgl() && isWebglLost()) {
      lose();
    }
  }

  get contextLost(): boolean {
    return this.happened;
  }

  /** `work`'s result, or the loss failure as soon as the context is lost, whichever comes first. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.lost]);
  }

  dispose(): void {
    this.unwatch();
  }
}
