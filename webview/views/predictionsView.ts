// Section 5, "Make predictions": test images with the predicted class, its probability and the
// true class, and a switch to look only at the mistakes. It is given more predictions than it
// shows, so that "Show only misclassified" still finds a screenful of mistakes.
//
// DOM for tests:
//   #predictions[data-filter]       "all" | "misclassified"; the grid of cards
//   #predictions .prediction[data-correct="true|false"][data-predicted][data-true][data-confidence]
//   #predictions .probability[data-class][data-predicted][data-true]   ten bars per card
//   #predictions .prediction .why-button[aria-pressed]   "Why?", when show() was given `explain`
//   #predictions .prediction .inside-button   "Inside", when show() was given `showInside`
//   #predictions .prediction .saliency[data-ready="true"][data-ms]   its explanation; see
//                                   saliencyOverlay.ts
//   #only-misclassified             the checkbox
//   #predictions-count              e.g. "Showing 15 of 200 test images · 23 misclassified (11.5%)"
import { createCheckbox, isChecked } from '../ui/toolkit';
import { createSection, h, placeholder } from './dom';
import { formatCount, formatPercent } from './format';
import { CardActions, createPredictionCard, PredictedImage } from './predictionCard';

export type { PredictedImage } from './predictionCard';

export interface PredictionsView {
  readonly element: HTMLElement;
  /**
   * Keeps all `predictions` and shows the first ones that pass the filter. `actions`, when the
   * model that made them is at hand, give each card its "Why?" and "Inside".
   */
  show(predictions: readonly PredictedImage[], actions?: CardActions): void;
  clear(): void;
}

export function createPredictionsView(maxShown = 15): PredictionsView {
  const { section, body } = createSection(
    'predictions-section',
    '5. Make predictions',
    'For each test image the model outputs ten probabilities, one per class; its answer is the most probable class. The bars show all ten; the true class is underlined. “Why?” shows which pixels the answer rests on.',
  );
  let all: readonly PredictedImage[] = [];
  let cardActions: CardActions = {};
  // Cards live as long as their predictions, so an explanation stays open across filter changes.
  const cards = new Map<PredictedImage, HTMLElement>();
  const cardFor = (prediction: PredictedImage) => {
    const card = cards.get(prediction) ?? createPredictionCard(prediction, cardActions);
    cards.set(prediction, card);
    return card;
  };
  const grid = h('div', { id: 'predictions', class: 'prediction-grid', 'data-filter': 'all' });
  const count = h('p', { id: 'predictions-count', class: 'predictions-count' });
  const toggle = createCheckbox('Show only misclassified', () => render());
  toggle.id = 'only-misclassified';
  const controls = h('div', { class: 'predictions-controls' }, toggle, count);

  function render(): void {
    const onlyWrong = isChecked(toggle);
    grid.dataset.filter = onlyWrong ? 'misclassified' : 'all';
    const mistakes = all.filter((p) => p.predictedClass !== p.trueLabel);
    const wrong = mistakes.length;
    const candidates = onlyWrong ? mistakes : all;
    const shown = candidates.slice(0, maxShown);
    count.textContent = `Showing ${formatCount(shown.length)} of ${formatCount(all.length)} test images · ${formatCount(wrong)} misclassified (${formatPercent(all.length ? wrong / all.length : 0)})`;
    grid.replaceChildren(
      ...(shown.length
        ? shown.map(cardFor)
        : [placeholder(`None of these ${formatCount(all.length)} images is misclassified.`)]),
    );
  }

  function clear(): void {
    all = [];
    cards.clear();
    body.replaceChildren(placeholder('Predictions appear after evaluation.'));
  }
  clear();

  return {
    element: section,
    clear,
    show(predictions, actions = {}) {
      all = [...predictions];
      cardActions = actions;
      cards.clear();
      body.replaceChildren(controls, grid);
      render();
    },
  };
}
