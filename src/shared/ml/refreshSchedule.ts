// When to redraw the weights while a model trains: a few times per epoch, at fixed points of it
// (every quarter by default), and never so often that drawing costs training more than a small
// share of its time. Reading and drawing the weights takes the page some milliseconds; an epoch
// of the whole data set lasts seconds, but an epoch of a small subset only a fraction of one, so
// a fixed number per epoch alone could slow a quick run down noticeably. The share caps it: a
// refresh waits until the time spent on refreshes, this one included (guessed from the last),
// stays within `maxShare` of the time since training started.
// Pure: no TF.js, no DOM; the caller passes the clock.

export interface RefreshScheduleOptions {
  /** Refreshes per epoch at most: 4 redraws after each quarter of the epoch's batches. */
  perEpoch?: number;
  /** The largest share of the training time that refreshes may take: 0.02 is 2%. */
  maxShare?: number;
}

/** Where training is: as train.ts reports each batch. */
export interface TrainingPosition {
  /** 1-based. */
  epoch: number;
  /** Batches finished in this epoch, 1 to `batchesPerEpoch`. */
  batch: number;
  batchesPerEpoch: number;
}

export class RefreshSchedule {
  private readonly perEpoch: number;
  private readonly maxShare: number;
  /** The point of training last drawn: 0 is the start, perEpoch × epochs the end. */
  private lastPoint = 0;
  private spentMs = 0;
  private lastCostMs = 0;

  constructor(
    private readonly startedAt: number,
    { perEpoch = 4, maxShare = 0.02 }: RefreshScheduleOptions = {},
  ) {
    if (!Number.isInteger(perEpoch) || perEpoch < 1) {
      throw new RangeError(`Weights cannot be redrawn ${perEpoch} times per epoch.`);
    }
    this.perEpoch = perEpoch;
    this.maxShare = maxShare;
  }

  /** The last of the epoch's fixed points that `position` has passed, counted from the start of training. */
  point({ epoch, batch, batchesPerEpoch }: TrainingPosition): number {
    return (epoch - 1) * this.perEpoch + Math.floor((batch * this.perEpoch) / batchesPerEpoch);
  }

  /** Whether to redraw now: a new point has been passed and the time share allows it. */
  due(position: TrainingPosition, now: number): boolean {
    if (this.point(position) <= this.lastPoint) {
      return false;
    }
    return this.spentMs + this.lastCostMs <= this.maxShare * (now - this.startedAt);
  }

  /** Notes a redraw at `position` that took `ms`. */
  done(position: TrainingPosition, ms: number): void {
    this.lastPoint = this.point(position);
    this.spentMs += ms;
    this.lastCostMs = ms;
  }

  /** Milliseconds spent on redraws so far. */
  get spent(): number {
    return this.spentMs;
  }
}
