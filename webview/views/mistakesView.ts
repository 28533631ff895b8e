// The test images behind one cell of the confusion matrix (true X, predicted Y), with their ten
// probabilities, a page at a time: where the model goes wrong, in pictures.
//
// DOM for tests:
//   #confusion-images[data-true][data-predicted][data-count][data-start]   the shown cell and page
//   #confusion-images-summary               e.g. "Shirt taken for T-shirt/top: 112 test images (1–12)"
//   #confusion-images .prediction           one card per image, with its "Why?" and "Inside" (see predictionCard.ts)
//   #confusion-images-previous, #confusion-images-next   paging buttons (disabled at the ends)
import { CLASS_NAMES } from '../../src/shared/classNames';
import { createButton, setDisabled } from '../ui/toolkit';
import { h, placeholder } from './dom';
import { formatCount } from './format';
import type { CellPage } from '../ml/testSetInspector';
import { CardActions, createPredictionCard } from './predictionCard';

/** Images shown at once. */
export const PAGE_SIZE = 12;

export type CellPageLoader = (trueLabel: number, predicted: number, start: number, count: number) => Promise<CellPage>;

export interface MistakesView {
  readonly element: HTMLElement;
  show(trueLabel: number, predicted: number): Promise<void>;
}

export function createMistakesView(load: CellPageLoader, actions?: CardActions): MistakesView {
  const summary = h('p', { id: 'confusion-images-summary', class: 'confusion-images-summary', 'aria-live': 'polite' });
  const grid = h('div', { class: 'prediction-grid image-grid' });
  const previous = createButton('Previous', () => void showPage(start - PAGE_SIZE), 'secondary');
  const next = createButton('Next', () => void showPage(start + PAGE_SIZE), 'secondary');
  previous.id = 'confusion-images-previous';
  next.id = 'confusion-images-next';
  const element = h(
    'div',
    { id: 'confusion-images', class: 'confusion-images' },
    placeholder('Choose a cell of the confusion matrix to see the test images behind it.'),
  );
  let cell: [number, number] | undefined;
  let start = 0;
  let total = 0;

  async function showPage(from: number): Promise<void> {
    if (!cell) {
      return;
    }
    const [trueLabel, predicted] = cell;
    start = Math.max(0, from);
    summary.textContent = 'Finding the images…';
    let page: CellPage;
    try {
      page = await load(trueLabel, predicted, start, PAGE_SIZE);
    } catch (error) {
      summary.textContent = `The images could not be shown: ${error instanceof Error ? error.message : String(error)}`;
      element.replaceChildren(summary);
      return;
    }
    total = page.total;
    Object.assign(element.dataset, { true: trueLabel, predicted, count: total, start });
    const what =
      trueLabel === predicted
        ? `${CLASS_NAMES[trueLabel]} recognised`
        : `${CLASS_NAMES[trueLabel]} taken for ${CLASS_NAMES[predicted]}`;
    const range = total ? ` (${start + 1}–${Math.min(total, start + PAGE_SIZE)})` : '';
    summary.textContent = `${what}: ${formatCount(total)} test image(s)${range}.`;
    grid.replaceChildren(...page.images.map((image) => createPredictionCard(image, actions)));
    setDisabled(previous, start === 0);
    setDisabled(next, start + PAGE_SIZE >= total);
    element.replaceChildren(summary, grid, h('div', { class: 'button-row' }, previous, next));
  }

  return {
    element,
    show(trueLabel, predicted) {
      cell = [trueLabel, predicted];
      return showPage(0);
    },
  };
}
