// The weights redrawn while a model trains, a few times per epoch within a small share of the
// training time (see refreshSchedule.ts), when the learner leaves "Redraw the weights while
// training" on. Reading happens between two batches, so the picture is of one state of the model.
import type * as tf from '@tensorflow/tfjs';
import { RefreshSchedule, type TrainingPosition } from '../../src/shared/ml/refreshSchedule';
import {
  planWeightFigures,
  readWeightFigures,
  type WeightFigure,
  type WeightFigurePlan,
} from '../../src/shared/ml/weightFigures';

/** Where the weights are drawn while training (the inside view), and whether the learner wants them. */
export interface LiveWeightsView {
  readonly liveWeights: boolean;
  showLiveWeights(weights: readonly WeightFigure[], caption: string, readMs: number): void;
}

export class LiveWeights {
  private readonly plans: WeightFigurePlan[];
  private readonly schedule = new RefreshSchedule(performance.now());

  constructor(
    private readonly model: tf.LayersModel,
    private readonly view: LiveWeightsView,
    /** Brings `model` up to date first (training on workers updates their replicas, not it). */
    private readonly refresh: () => Promise<void> = () => Promise.resolve(),
  ) {
    this.plans = planWeightFigures(model);
  }

  /** The weights as training starts: the random ones training begins from. */
  async showStart(): Promise<void> {
    if (this.view.liveWeights) {
      await this.draw('Before training: the random weights training starts from.');
    }
  }

  /** Called after each reported batch; redraws when the schedule says it is time. */
  async afterBatch(position: TrainingPosition): Promise<void> {
    if (!this.view.liveWeights || !this.schedule.due(position, performance.now())) {
      return;
    }
    const { epoch, batch, batchesPerEpoch } = position;
    const ms = await this.draw(
      `During training: epoch ${epoch}, after batch ${batch.toLocaleString('en-US')} of ${batchesPerEpoch.toLocaleString('en-US')}.`,
    );
    this.schedule.done(position, ms);
  }

  /** Reads and draws the weights; returns the milliseconds it took. */
  private async draw(caption: string): Promise<number> {
    const started = performance.now();
    await this.refresh();
    const figures = await readWeightFigures(this.model, this.plans);
    this.view.showLiveWeights(figures, caption, performance.now() - started);
    return performance.now() - started;
  }
}
