// An experiment while it runs: the planned runs in order, one at a time, what became of each,
// how long the rest will take, and how long the page took from one run's end to the next run's
// first batch. Stop ends it after the run under way (whose batches stop at once: the caller stops
// that run); the runs finished before stay. A run that fails, or whose model could not be
// stored, ends it too: the next would likely fail the same way. Pure: the page gives it a clock
// and a way to train one run, the unit tests fake both.
import type { ExperimentPlan, PlannedRun } from './experimentPlan';

/** How one planned run ended, as the page reports it. */
export interface RunEnd {
  outcome: 'completed' | 'stopped' | 'failed';
  /** False for a completed run whose model the store could not take. */
  saved: boolean;
  testAccuracy?: number;
}

export type ExperimentState = 'running' | 'stopping' | 'completed' | 'stopped' | 'failed';

export interface ExperimentProgress {
  state: ExperimentState;
  label: string;
  /** The run under way (or the last one), from 1; 0 before the first. */
  run: number;
  runs: number;
  /** The run under way (or the last one). */
  current?: PlannedRun;
  /** Runs completed and stored. */
  finished: number;
  /** Until the last run ends; null until something was timed. */
  secondsLeft: number | null;
  /** For each run after the first: milliseconds from the end of the run before it to its first batch. */
  gapsMs: number[];
}

/** A run's amount of work, for estimates: epochs × training images, say. */
export type RunCost = (run: PlannedRun) => number;

export class ExperimentQueue {
  private index = -1;
  private state: ExperimentState = 'running';
  private startedAt = 0;
  private lastEndedAt: number | undefined;
  private gapPending = false;
  private readonly gaps: number[] = [];
  private readonly timed: { cost: number; seconds: number }[] = [];
  private finished = 0;

  /**
   * @param cost weighs the runs against one another for the time estimate.
   * @param priorSecondsPerCost an estimate before any run of this experiment has ended (from the
   *   history, say); undefined when there is none.
   */
  constructor(
    readonly plan: ExperimentPlan,
    private readonly cost: RunCost,
    private readonly clock: () => number,
    private readonly priorSecondsPerCost?: number,
  ) {
    if (plan.runs.length === 0) {
      throw new RangeError('An experiment plans at least one run.');
    }
  }

  /** The next run to train, its start noted; undefined once every run is done, or after stop or a failure. */
  next(): PlannedRun | undefined {
    if (this.state !== 'running' || this.index + 1 >= this.plan.runs.length) {
      return undefined;
    }
    this.index++;
    this.startedAt = this.clock();
    this.gapPending = this.lastEndedAt !== undefined;
    return this.plan.runs[this.index];
  }

  /** The run under way trained its first batch: the gap since the run before it ended is measured. */
  firstBatch(): number | undefined {
    if (!this.gapPending || this.lastEndedAt === undefined) {
      return undefined;
    }
    this.gapPending = false;
    const gap = this.clock() - this.lastEndedAt;
    this.gaps.push(gap);
    return gap;
  }

  /** The run under way ended. */
  ended(end: RunEnd): void {
    const current = this.plan.runs[this.index];
    if (!current) {
      throw new Error('No run of the experiment is under way.');
    }
    const now = this.clock();
    this.lastEndedAt = now;
    this.gapPending = false;
    if (end.outcome === 'completed') {
      this.timed.push({ cost: this.cost(current), seconds: (now - this.startedAt) / 1000 });
    }
    if (end.outcome === 'completed' && end.saved) {
      this.finished++;
    }
    if (end.outcome === 'failed' || (end.outcome === 'completed' && !end.saved)) {
      this.state = 'failed';
    } else if (end.outcome === 'stopped' || this.state === 'stopping') {
      this.state = 'stopped';
    } else if (this.index + 1 >= this.plan.runs.length) {
      this.state = 'completed';
    }
  }

  /** No run starts after the one under way; the caller stops that one. */
  stop(): void {
    if (this.state === 'running') {
      this.state = this.index < 0 ? 'stopped' : 'stopping';
    }
  }

  get done(): boolean {
    return this.state === 'completed' || this.state === 'stopped' || this.state === 'failed';
  }

  /** Where the experiment is; `currentSecondsLeft` is the run under way's own estimate, when it has one. */
  progress(currentSecondsLeft: number | null = null): ExperimentProgress {
    const runs = this.plan.runs;
    return {
      state: this.state,
      label: this.plan.label,
      run: this.index + 1,
      runs: runs.length,
      current: runs[this.index],
      finished: this.finished,
      secondsLeft: this.done ? 0 : this.secondsLeft(currentSecondsLeft),
      gapsMs: [...this.gaps],
    };
  }

  /** Seconds per unit of cost: from this experiment's runs once one has ended, else the prior. */
  private secondsPerCost(): number | undefined {
    const cost = this.timed.reduce((sum, run) => sum + run.cost, 0);
    const seconds = this.timed.reduce((sum, run) => sum + run.seconds, 0);
    return cost > 0 ? seconds / cost : this.priorSecondsPerCost;
  }

  private secondsLeft(currentSecondsLeft: number | null): number | null {
    const rate = this.secondsPerCost();
    const later = this.plan.runs.slice(this.index + 1).reduce((sum, run) => sum + this.cost(run), 0);
    const current = this.plan.runs[this.index];
    let currentLeft = currentSecondsLeft;
    if (currentLeft === null && current && rate !== undefined) {
      const elapsed = (this.clock() - this.startedAt) / 1000;
      currentLeft = Math.max(0, rate * this.cost(current) - elapsed);
    }
    if (rate === undefined) {
      return later === 0 ? currentLeft : null;
    }
    return (currentLeft ?? 0) + rate * later;
  }
}

/**
 * Trains the experiment's runs in order through `trainOne` until all are done, it is stopped, or
 * a run fails; resolves with where it ended.
 */
export async function runExperiment(
  queue: ExperimentQueue,
  trainOne: (run: PlannedRun) => Promise<RunEnd>,
): Promise<ExperimentProgress> {
  for (let run = queue.next(); run; run = queue.next()) {
    queue.ended(await trainOne(run));
  }
  return queue.progress();
}

/** The seconds `plan` would take at `secondsPerCost`, or undefined without a rate. */
export function estimatePlanSeconds(
  plan: ExperimentPlan,
  cost: RunCost,
  secondsPerCost: number | undefined,
): number | undefined {
  return secondsPerCost === undefined ? undefined : secondsPerCost * plan.runs.reduce((sum, run) => sum + cost(run), 0);
}
