// The result sections of a run (4. evaluation, 5. predictions, 6. inside the network), one way for
// the run just trained and for a saved run shown again: only where the model comes from differs.
import type * as tf from '@tensorflow/tfjs';
import type { ExampleBytes } from '../../src/shared/ml';
import type { PredictedImage } from '../../src/shared/ml/evaluate';
import { occlusionSaliency } from '../../src/shared/ml/saliency';
import type { SavedRun } from '../../src/shared/savedRun';
import { insideModel } from '../ml/insideModel';
import { TestSetInspector } from '../ml/testSetInspector';
import type { PanelViews } from '../views/layout';
import type { CardActions } from '../views/predictionCard';

export interface RunResults {
  evaluation: SavedRun['evaluation'];
  /** The last epoch's training accuracy, for the overfitting remark. */
  trainAccuracy?: number;
  predictions: readonly PredictedImage[];
  /**
   * The model that made them, asked for on first use: a saved run's is loaded only if the learner
   * looks. Absent when there is none to load. The caller owns it.
   */
  model?: () => Promise<tf.LayersModel>;
  /** The test images the run was evaluated on, asked for on first use. */
  testImages: () => ExampleBytes;
  testCount: number;
  /** The model is in memory (the run just trained): the network is drawn at once. */
  inMemory: boolean;
}

/** Shows a run's results in the evaluation, predictions and inside sections. */
export function showRunResults(
  views: Pick<PanelViews, 'evaluation' | 'predictions' | 'inside'>,
  results: RunResults,
): void {
  const { model, testImages } = results;
  const actions: CardActions = model
    ? {
        explain: async (pixels) => occlusionSaliency(await model(), pixels),
        showInside: (picture) => views.inside.lookAt(picture),
      }
    : {};
  if (model) {
    views.inside.show(insideModel(model, testImages, results.testCount), results.inMemory);
  } else {
    views.inside.clear();
  }
  const inspector = model && new TestSetInspector(model, testImages);
  views.evaluation.show(
    results.evaluation,
    results.trainAccuracy,
    inspector && { loadCell: (...cell) => inspector.cellPage(...cell), ...actions },
  );
  views.predictions.show(results.predictions, actions);
}
