// One test image with the model's answer, like the tutorial's plot_image and plot_value_array:
// the image, "predicted confidence% (true class)", and ten bars of probability. Right and wrong
// differ in colour and in a ✓/✗ mark, so the difference does not rest on colour alone; the true
// class's bar is also marked under the bars. Given a way to explain the answer, the card also
// has a "Why?" toggle that shows which pixels the answer rests on (see saliencyOverlay.ts); given
// a way to show it, an "Inside" button that shows the picture's way through the network.
//
// DOM for tests:
//   .prediction .why-button[aria-pressed], .prediction .saliency   see saliencyOverlay.ts
//   .prediction .inside-button      "Inside": the picture in "Look inside the network"
import { CLASS_NAMES } from '../../src/shared/classNames';
import { h } from './dom';
import { formatPercent } from './format';
import { createButton } from '../ui/toolkit';
import type { PredictedImage } from '../../src/shared/ml/evaluate';
import { createPixelCanvas } from './pixelImage';

export type { PredictedImage } from '../../src/shared/ml/evaluate';
import { createSaliencyToggle, type Explain } from './saliencyOverlay';

const className = (label: number) => CLASS_NAMES[label] ?? `class ${label}`;

function probabilityBars({ trueLabel, predictedClass: predicted, probabilities }: PredictedImage): HTMLElement {
  const bars = probabilities.map((p, label) => {
    const bar = h(
      'div',
      {
        class: 'probability',
        'data-class': label,
        'data-predicted': String(label === predicted),
        'data-true': String(label === trueLabel),
        title: `${className(label)}: ${formatPercent(p)}`,
      },
      h('div', { class: 'probability-column' }, h('div', { class: 'probability-fill' })),
      h('span', { class: 'probability-index' }, String(label)),
    );
    bar.style.setProperty('--p', Math.max(0, Math.min(1, p)).toFixed(4));
    return bar;
  });
  const summary = probabilities.map((p, label) => `${className(label)} ${formatPercent(p)}`).join(', ');
  return h('div', { class: 'probability-bars', role: 'img', 'aria-label': `Probabilities: ${summary}` }, ...bars);
}

/** What a card can do besides showing the answer. */
export interface CardActions {
  /** "Why?": the saliency map of the card's picture. */
  explain?: Explain;
  /** "Inside": the card's picture in "Look inside the network". */
  showInside?: (prediction: PredictedImage) => void;
}

/** The card for `prediction`, with a "Why?" toggle and an "Inside" button when `actions` has them. */
export function createPredictionCard(
  prediction: PredictedImage,
  { explain, showInside }: CardActions = {},
): HTMLElement {
  const { trueLabel, predictedClass: predicted, probabilities } = prediction;
  const correct = predicted === trueLabel;
  const confidence = probabilities[predicted] ?? 0;
  const card = h(
    'figure',
    {
      class: 'prediction',
      'data-correct': String(correct),
      'data-predicted': predicted,
      'data-true': trueLabel,
      'data-confidence': confidence.toFixed(4),
    },
    createPixelCanvas(prediction.pixels, `Test image of a ${className(trueLabel)}`),
    h(
      'figcaption',
      { class: 'prediction-caption' },
      h('span', { class: 'verdict', 'aria-label': correct ? 'right' : 'wrong' }, correct ? '✓' : '✗'),
      ' ',
      h('span', { class: 'predicted-name' }, className(predicted)),
      ' ',
      h('span', { class: 'confidence' }, formatPercent(confidence, 0)),
      h('span', { class: 'true-name' }, `true: ${className(trueLabel)}`),
    ),
    probabilityBars(prediction),
  );
  const why = explain && createSaliencyToggle(prediction.pixels, explain);
  if (showInside) {
    const inside = createButton('Inside', () => showInside(prediction), 'secondary');
    inside.classList.add('inside-button');
    inside.title = "Show this picture's way through the network, layer by layer";
    inside.setAttribute('aria-label', `Look inside the network for this ${className(trueLabel)}`);
    card.append(h('div', { class: 'card-buttons' }, ...(why ? [why.button] : []), inside));
  } else if (why) {
    card.append(why.button);
  }
  if (why) {
    card.append(why.panel);
  }
  return card;
}
