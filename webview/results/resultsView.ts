// The results page: one card per image with the original, the 28x28 input the model saw, the
// predicted class with its confidence, a "Why?" toggle that shows which pixels the answer rests
// on (see saliencyOverlay.ts), and the ten probabilities as bars.
//
// DOM for tests:
//   #results .result[data-name][data-predicted][data-confidence]   a classified image
//   #results .result .why-button[aria-pressed]   its "Why?" toggle
//   #results .result .saliency[data-ready="true"][data-ms]   the explanation (saliencyOverlay.ts)
//   #results .result[data-name][data-error]                         a file that failed, with the reason
//   #results-status[data-kind]      the summary line, or a problem (.problem, see problemView.ts)
//   #results[data-restored]         "true" when the results were restored after a reload
//   #results[data-model]            the id of the run whose model classified them
//   #copy-markdown, #copy-json
//   #draw-garment                   opens the drawing pad ("Draw a Garment")
import { CLASS_NAMES } from '../../src/shared/classNames';
import type { Problem, UserAction } from '../../src/shared/panelMessages';
import { createButton } from '../ui/toolkit';
import { h } from '../views/dom';
import { formatPercent } from '../views/format';
import { createPixelCanvas } from '../views/pixelImage';
import { createProblemElement } from '../views/problemView';
import { createSaliencyToggle, type Explain } from '../views/saliencyOverlay';
import type { ClassifiedImage } from './classifyImages';

export interface ResultsView {
  showStatus(message: string, kind?: 'info' | 'busy' | 'error'): void;
  showProblem(problem: Problem): void;
  /**
   * Shows `results` of the run `model` under `summary`; `restored` marks results brought back
   * after a reload.
   */
  showResults(results: ClassifiedImage[], summary: string, model: string | undefined, restored?: boolean): void;
}

/** "3 of 4 image(s) classified in 120 ms; 1 could not be." */
export function summarise(results: ClassifiedImage[], milliseconds: number): string {
  const failed = results.filter((r) => !r.prediction).length;
  return (
    `${results.length - failed} of ${results.length} image(s) classified in ${Math.round(milliseconds)} ms` +
    (failed ? `; ${failed} could not be.` : '.')
  );
}

export function probabilityRows(probabilities: number[], predicted: number): HTMLElement {
  return h(
    'div',
    { class: 'result-bars' },
    ...probabilities.map((p, label) => {
      const row = h(
        'div',
        { class: 'result-bar', 'data-class': label, 'data-predicted': String(label === predicted) },
        h('span', { class: 'result-bar-label' }, CLASS_NAMES[label]),
        h('span', { class: 'result-bar-track' }, h('span', { class: 'result-bar-fill' })),
        h('span', { class: 'result-bar-value' }, formatPercent(p)),
      );
      row.style.setProperty('--p', p.toFixed(4));
      return row;
    }),
  );
}

function card(result: ClassifiedImage, explain: Explain): HTMLElement {
  const original = h('img', { class: 'result-original', alt: result.name });
  if (result.thumbnail) {
    original.src = result.thumbnail;
  }
  if (result.error || !result.prediction || !result.pixels28) {
    return h(
      'article',
      { class: 'result', 'data-name': result.name, 'data-error': result.error ?? 'not classified' },
      h('h3', {}, result.name),
      h('p', { class: 'result-error' }, `✗ ${result.error ?? 'Not classified.'}`),
    );
  }
  const { predictedClass, confidence, probabilities } = result.prediction;
  const input = Uint8Array.from(result.pixels28);
  const why = createSaliencyToggle(input, explain);
  return h(
    'article',
    {
      class: 'result',
      'data-name': result.name,
      'data-predicted': predictedClass,
      'data-confidence': confidence.toFixed(4),
    },
    h('h3', {}, result.name),
    h(
      'div',
      { class: 'result-images' },
      h('figure', {}, original, h('figcaption', {}, 'Your picture')),
      h(
        'figure',
        {},
        createPixelCanvas(input, 'model input'),
        h('figcaption', {}, result.inverted ? '28×28 input (inverted)' : '28×28 input'),
      ),
    ),
    h(
      'div',
      { class: 'result-answer' },
      h('p', {}, h('strong', {}, CLASS_NAMES[predictedClass]), ` · ${formatPercent(confidence)} confident`),
      why.button,
    ),
    why.panel,
    probabilityRows(probabilities, predictedClass),
  );
}

export function toMarkdown(results: ClassifiedImage[]): string {
  const lines = ['| Image | Prediction | Confidence |', '| --- | --- | --- |'];
  for (const r of results) {
    const answer = r.prediction
      ? [CLASS_NAMES[r.prediction.predictedClass], formatPercent(r.prediction.confidence)]
      : [`error: ${r.error}`, ''];
    lines.push(`| ${r.name} | ${answer[0]} | ${answer[1]} |`);
  }
  return lines.join('\n') + '\n';
}

export function toJson(results: ClassifiedImage[]): string {
  const plain = results.map((r) =>
    r.prediction
      ? {
          image: r.name,
          predictedClass: CLASS_NAMES[r.prediction.predictedClass],
          confidence: r.prediction.confidence,
          probabilities: Object.fromEntries(CLASS_NAMES.map((name, i) => [name, r.prediction!.probabilities[i]])),
        }
      : { image: r.name, error: r.error },
  );
  return JSON.stringify(plain, null, 2) + '\n';
}

/** `explain` works out a card's saliency map, on its first "Why?", with the model that classified it. */
export function createResultsView(
  app: HTMLElement,
  onCopy: (text: string, format: 'Markdown' | 'JSON') => void,
  onAction: (action: UserAction) => void,
  explain: Explain,
): ResultsView {
  let current: ClassifiedImage[] = [];
  const cardOf = (result: ClassifiedImage) => card(result, explain);
  const status = h(
    'div',
    { id: 'results-status', class: 'status', 'data-kind': 'info', role: 'status' },
    'No pictures classified yet: right-click a picture in the explorer and choose "Classify image".',
  );
  const copyMarkdown = createButton('Copy as Markdown', () => onCopy(toMarkdown(current), 'Markdown'), 'secondary');
  const copyJson = createButton('Copy as JSON', () => onCopy(toJson(current), 'JSON'), 'secondary');
  copyMarkdown.id = 'copy-markdown';
  copyJson.id = 'copy-json';
  const draw = createButton('Draw a garment', () => onAction({ kind: 'drawGarment' }), 'secondary');
  draw.id = 'draw-garment';
  draw.title = 'Open a drawing pad whose answer follows the pen';
  const list = h('div', { id: 'results', class: 'results' });
  app.replaceChildren(
    h('h1', {}, 'Classification results'),
    status,
    h('div', { class: 'results-actions' }, copyMarkdown, copyJson, draw),
    list,
  );
  const view: ResultsView = {
    showStatus(message, kind = 'info') {
      status.textContent = message;
      status.dataset.kind = kind;
    },
    showProblem(problem) {
      status.replaceChildren(createProblemElement(problem, onAction));
      status.dataset.kind = 'error';
    },
    showResults(results, summary, model, restored = false) {
      // Groups of a request arrive one by one: cards already on the page stay, the new ones are added.
      const extends_ = current.length <= results.length && current.every((result, i) => result === results[i]);
      if (extends_ && list.dataset.restored === String(restored)) {
        list.append(...results.slice(current.length).map(cardOf));
      } else {
        list.replaceChildren(...results.map(cardOf));
      }
      current = results;
      list.dataset.restored = String(restored);
      if (model) {
        list.dataset.model = model;
      } else {
        delete list.dataset.model;
      }
      const failed = results.some((r) => !r.prediction);
      view.showStatus(restored ? `${summary} (restored after a reload)` : summary, failed ? 'error' : 'info');
    },
  };
  return view;
}
