// Section 4, "Evaluate accuracy": loss and accuracy on the test images the model never saw,
// compared with the tutorial, then where it goes wrong (confusion matrix, accuracy per class).
//
// DOM for tests:
//   #test-accuracy[data-value]   e.g. "0.8712"
//   #test-loss[data-value]
//   #accuracy-remark             comparison with the tutorial and the overfitting gap
//   #confusion-matrix, #per-class-accuracy   see confusionMatrix.ts
//   #confusion-images                the images behind a chosen cell, see mistakesView.ts
import { CLASS_NAMES } from '../../src/shared/classNames';
import { createConfusionTable, createPerClassAccuracy } from './confusionMatrix';
import { CellPageLoader, createMistakesView } from './mistakesView';
import type { CardActions } from './predictionCard';
import { worstConfusion } from './confusionStats';
import { createSection, h, placeholder } from './dom';
import { formatCount, formatMetric, formatPercent } from './format';

/** TensorFlow's tutorial output for its model after 5 epochs. */
const TUTORIAL_TEST_ACCURACY = 0.8727;

/** The shape of the training code's evaluation result (extra fields allowed). */
export interface EvaluationResult {
  /** Mean cross-entropy over the test images. */
  loss: number;
  accuracy: number;
  /** confusionMatrix[trueLabel][predicted] = number of test images; 10 × 10. */
  confusionMatrix: number[][];
}

export interface EvaluationView {
  readonly element: HTMLElement;
  /**
   * `trainAccuracy` (the last epoch's) adds the overfitting remark the tutorial makes when
   * test accuracy comes out below training accuracy. With `inside`, a click on a confusion-matrix
   * cell shows the test images behind it, each with its "Why?" and "Inside" (the model and test set are the caller's).
   */
  show(result: EvaluationResult, trainAccuracy?: number, inside?: LookInside): void;
  /** Back to the "not evaluated yet" state, e.g. when a new run starts. */
  clear(): void;
}

function remarks(result: EvaluationResult, trainAccuracy: number | undefined): string[] {
  const lines: string[] = [];
  const difference = result.accuracy - TUTORIAL_TEST_ACCURACY;
  const comparison =
    Math.abs(difference) < 0.01
      ? 'About the same as'
      : difference > 0
        ? `${formatMetric(difference)} above`
        : `${formatMetric(-difference)} below`;
  lines.push(`${comparison} the tutorial's model, which reaches ${TUTORIAL_TEST_ACCURACY} after 5 epochs.`);
  if (trainAccuracy !== undefined && trainAccuracy > result.accuracy) {
    lines.push(
      `Training accuracy was ${formatMetric(trainAccuracy)}: the gap of ${formatMetric(trainAccuracy - result.accuracy)} is overfitting, the model does a little better on images it has seen.`,
    );
  }
  const worst = worstConfusion(result.confusionMatrix);
  if (worst) {
    lines.push(
      `Most common mistake: ${CLASS_NAMES[worst.trueLabel]} taken for ${CLASS_NAMES[worst.predicted]} (${formatPercent(worst.share)} of ${CLASS_NAMES[worst.trueLabel]} images).`,
    );
  }
  return lines;
}

/** How to look inside the evaluation: the images of a confusion cell, why the model answered, and how. */
export interface LookInside extends CardActions {
  loadCell: CellPageLoader;
}

export function createEvaluationView(): EvaluationView {
  const { section, body } = createSection(
    'evaluation-section',
    '4. Evaluate accuracy',
    'The test images took no part in training, so they show how the model does on clothes it has never seen.',
  );
  const clear = () => body.replaceChildren(placeholder('Evaluated on the test images once training finishes.'));
  clear();

  return {
    element: section,
    clear,
    show(result, trainAccuracy, inside) {
      const count = result.confusionMatrix.flat().reduce((a, b) => a + b, 0);
      const mistakes = inside && createMistakesView(inside.loadCell, inside);
      const select = mistakes && ((trueLabel: number, predicted: number) => void mistakes.show(trueLabel, predicted));
      const headline = h(
        'p',
        { class: 'test-metrics' },
        'Test accuracy ',
        h(
          'strong',
          { id: 'test-accuracy', class: 'metric', 'data-value': formatMetric(result.accuracy) },
          formatMetric(result.accuracy),
        ),
        ` (${formatPercent(result.accuracy)} of ${formatCount(count)} images) · test loss `,
        h(
          'strong',
          { id: 'test-loss', class: 'metric', 'data-value': formatMetric(result.loss) },
          formatMetric(result.loss),
        ),
      );
      const remark = h(
        'div',
        { id: 'accuracy-remark', class: 'remark' },
        ...remarks(result, trainAccuracy).map((line) => h('p', {}, line)),
      );
      body.replaceChildren(
        headline,
        remark,
        h(
          'div',
          { class: 'evaluation-grid' },
          h('div', { class: 'table-scroll' }, createConfusionTable(result.confusionMatrix, select)),
          createPerClassAccuracy(result.confusionMatrix),
        ),
        ...(mistakes ? [mistakes.element] : []),
      );
    },
  };
}
