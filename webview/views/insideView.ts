// Section 6, "Look inside the network": for one picture (a test image by its number, or a
// prediction card's picture), what every layer makes of it (inside/forwardPass.ts), and what the
// weights have learned (inside/learnedWeights.ts), redrawn a few times per epoch while training.
// The values come from the model (the caller's InsideModel); this view only draws them.
//
// DOM for tests:
//   #inside-section[data-model]       the section; data-model set once a model can be looked into
//   #inside-picture-index             the test image's number (0-based, as test_images[i]); Enter or
//                                     leaving the field shows it
//   #inside-previous, #inside-next, #inside-open   buttons ("Look inside" loads a saved run's model)
//   #inside-picture-title             which picture is shown, its true class and the answer
//   #inside-trace[data-ready="true|false"][data-source="test|card"][data-index][data-ms][data-error]
//                                     the picture's way through the network; see inside/forwardPass.ts
//                                     for the figures (.inside-layer[data-layer] with data-output,
//                                     data-pre-activation, data-mask) and #inside-probability-sum
//   #inside-dropout-step              "Another training step" (Dropout's figure)
//   #inside-live-weights              checkbox: redraw the weights while training (on by default)
//   #inside-weights[data-ready][data-live="true|false"][data-refreshes][data-ms][data-total-ms]
//                                     the learned weights; data-live "true" while training (the
//                                     figures then hold no data-values), data-refreshes counts the
//                                     redraws of the current run, data-ms the last one's time (read
//                                     and drawn) and data-total-ms all of them together; see
//                                     inside/learnedWeights.ts (.unit-picture, .inside-class-map, .inside-filters)
import { CLASS_NAMES } from '../../src/shared/classNames';
import { errorMessage } from '../../src/shared/errorMessage';
import type { NetworkTrace } from '../../src/shared/ml/networkTrace';
import type { WeightFigure } from '../../src/shared/ml/weightFigures';
import { asSentence } from '../../src/shared/sentences';
import { createButton, createCheckbox, isChecked, setChecked, setDisabled } from '../ui/toolkit';
import { createSection, h, placeholder } from './dom';
import { formatPercent } from './format';
import { createForwardPass } from './inside/forwardPass';
import { createLearnedWeights, type LearnedWeights } from './inside/learnedWeights';
import type { InsideModel } from '../ml/insideModel';

export type { InsideModel } from '../ml/insideModel';

/** A picture to look inside, as a prediction card has it. */
export interface CardPicture {
  pixels: Uint8Array;
  trueLabel: number;
  /** Its number in the test set, when the card knows it. */
  testIndex?: number;
}

export interface InsideView {
  readonly element: HTMLElement;
  /** A model to look into: drawn at once when `open` (it is in memory), else on "Look inside". */
  show(model: InsideModel, open: boolean): void;
  /** Shows `picture`'s way through the network and brings the section into view. */
  lookAt(picture: CardPicture): void;
  /** Training started: the weights are redrawn as it goes (if the learner wants), the picture waits. */
  training(): void;
  /** Whether the learner wants the weights redrawn while training. */
  readonly liveWeights: boolean;
  /** The weights during training; `caption` says when they were read and `readMs` how long reading took. */
  showLiveWeights(weights: readonly WeightFigure[], caption: string, readMs: number): void;
  /** No model to look into (a run starts, or a saved run has none). */
  clear(): void;
}

const className = (label: number) => CLASS_NAMES[label] ?? `class ${label}`;

/** The answer a trace ends with: the most probable class of the last layer's output. */
function answerOf(trace: NetworkTrace): { label: number; probability: number } | undefined {
  const output = trace.layers.at(-1)?.output.values;
  if (!output?.length) {
    return undefined;
  }
  const label = output.indexOf(Math.max(...output));
  return { label, probability: output[label] };
}

export function createInsideView(): InsideView {
  const { section, body } = createSection(
    'inside-section',
    '6. Look inside the network',
    'What each layer makes of one picture, with the numbers the model computes, and what its weights have learned. Choose a test image by its number, or "Inside" on a prediction.',
  );
  const index = h('input', {
    id: 'inside-picture-index',
    class: 'setting-input',
    type: 'number',
    min: 0,
    step: 1,
    value: 0,
    'aria-label': 'Test image number',
  });
  const previous = createButton('Previous', () => showTest(Number(index.value) - 1), 'secondary');
  const next = createButton('Next', () => showTest(Number(index.value) + 1), 'secondary');
  const open = createButton('Look inside', () => openModel());
  previous.id = 'inside-previous';
  next.id = 'inside-next';
  open.id = 'inside-open';
  const live = createCheckbox('Redraw the weights while training', () => undefined);
  live.id = 'inside-live-weights';
  setChecked(live, true);
  // Focusable from script only: "Inside" on a prediction card moves the focus here.
  const title = h('p', {
    id: 'inside-picture-title',
    class: 'inside-picture-title',
    'aria-live': 'polite',
    tabindex: -1,
  });
  const trace = h('div', { id: 'inside-trace', class: 'inside-trace', 'data-ready': 'false' });
  const weights = h('div', { id: 'inside-weights', class: 'inside-weights-area', 'data-ready': 'false' });
  const controls = h(
    'div',
    { class: 'inside-controls' },
    h('label', { class: 'inside-index' }, 'Test image ', index),
    previous,
    next,
    open,
  );
  body.append(controls, title, trace, h('h3', {}, 'What the network learned'), live, weights);

  let model: InsideModel | undefined;
  let opened = false;
  /** Counts requests, so a slow answer for an earlier picture never replaces a later one. */
  let request = 0;
  let refreshes = 0;
  let totalMs = 0;
  /** The weights drawn during training, redrawn in place while their layers stay the same. */
  let liveFigures: LearnedWeights | undefined;

  index.addEventListener('change', () => showTest(Number(index.value)));
  index.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      showTest(Number(index.value));
    }
  });

  function setControls(enabled: boolean): void {
    index.disabled = !enabled;
    [previous, next, open].forEach((button) => setDisabled(button, !enabled));
  }

  function showTest(wanted: number): void {
    if (!model) {
      return;
    }
    const chosen = Math.max(0, Math.min(model.testCount - 1, Number.isInteger(wanted) ? wanted : 0));
    index.value = String(chosen);
    let image: { pixels: Uint8Array; label: number };
    try {
      image = model.testImage(chosen);
    } catch (error) {
      showError(error);
      return;
    }
    void showPicture(image.pixels, image.label, { source: 'test', index: String(chosen) }, `Test image ${chosen}`);
  }

  function showError(error: unknown): void {
    trace.dataset.ready = 'false';
    trace.dataset.error = errorMessage(error);
    trace.replaceChildren(
      h('p', { class: 'inside-error', role: 'alert' }, `✗ Could not look inside: ${asSentence(errorMessage(error))}`),
    );
  }

  async function showPicture(
    pixels: Uint8Array,
    trueLabel: number,
    where: { source: string; index?: string },
    name: string,
  ): Promise<void> {
    const current = model;
    if (!current) {
      return;
    }
    if (!opened) {
      opened = true;
      void drawWeights();
    }
    const mine = ++request;
    Object.assign(trace.dataset, { ready: 'false', source: where.source });
    if (where.index === undefined) {
      delete trace.dataset.index;
    } else {
      trace.dataset.index = where.index;
    }
    delete trace.dataset.error;
    title.textContent = `${name} (${className(trueLabel)}): computing…`;
    const started = performance.now();
    try {
      const result = await current.trace(pixels);
      if (mine !== request || current !== model) {
        return;
      }
      const answer = answerOf(result);
      title.textContent =
        `${name}, a ${className(trueLabel)}` +
        (answer ? `: the model answers ${className(answer.label)} (${formatPercent(answer.probability)}).` : '.');
      trace.dataset.ms = String(Math.round(performance.now() - started));
      trace.replaceChildren(createForwardPass(result, () => current.trace(pixels)));
      trace.dataset.ready = 'true';
    } catch (error) {
      if (mine === request) {
        title.textContent = `${name} (${className(trueLabel)})`;
        showError(error);
      }
    }
  }

  async function drawWeights(): Promise<void> {
    const current = model;
    if (!current) {
      return;
    }
    weights.dataset.ready = 'false';
    try {
      const started = performance.now();
      const figures = await current.weights();
      if (current === model) {
        weights.dataset.ms = String(Math.round(performance.now() - started));
        weights.dataset.live = 'false';
        liveFigures = undefined;
        weights.replaceChildren(createLearnedWeights(figures, 'The weights of the trained model.', true).element);
        weights.dataset.ready = 'true';
      }
    } catch (error) {
      weights.replaceChildren(
        h(
          'p',
          { class: 'inside-error', role: 'alert' },
          `✗ The weights could not be read: ${asSentence(errorMessage(error))}`,
        ),
      );
    }
  }

  function openModel(): void {
    showTest(Number(index.value));
  }

  function reset(message: string): void {
    model = undefined;
    opened = false;
    request++;
    delete section.dataset.model;
    setControls(false);
    title.textContent = '';
    for (const area of [trace, weights]) {
      area.dataset.ready = 'false';
      delete area.dataset.error;
    }
    trace.replaceChildren(placeholder(message));
  }

  function clear(): void {
    reset('Train a model (or choose a saved run) to look inside it.');
    weights.replaceChildren();
  }
  clear();

  return {
    element: section,
    show(next, openNow) {
      reset('Choose a test image and "Look inside".');
      model = next;
      section.dataset.model = 'true';
      index.max = String(next.testCount - 1);
      setControls(true);
      if (openNow) {
        showTest(Number(index.value));
      }
    },
    lookAt(picture) {
      if (!model) {
        return;
      }
      const known = picture.testIndex !== undefined;
      if (known) {
        index.value = String(picture.testIndex);
      }
      void showPicture(
        picture.pixels,
        picture.trueLabel,
        { source: 'card', index: known ? String(picture.testIndex) : undefined },
        known ? `Test image ${picture.testIndex}` : 'The chosen prediction',
      );
      section.scrollIntoView({ block: 'start' });
      title.focus({ preventScroll: true });
    },
    training() {
      reset('The picture’s way through the network shows once training ends.');
      refreshes = 0;
      totalMs = 0;
      liveFigures = undefined;
      weights.dataset.refreshes = '0';
      weights.dataset.totalMs = '0';
      weights.replaceChildren(
        placeholder(isChecked(live) ? 'The weights show as training goes.' : 'Redrawing the weights is off.'),
      );
    },
    get liveWeights() {
      return isChecked(live);
    },
    showLiveWeights(figures, caption, readMs) {
      const started = performance.now();
      if (!liveFigures?.update(figures, caption)) {
        liveFigures = createLearnedWeights(figures, caption, false);
        weights.replaceChildren(liveFigures.element);
      }
      const ms = readMs + performance.now() - started;
      refreshes++;
      totalMs += ms;
      Object.assign(weights.dataset, {
        live: 'true',
        ready: 'true',
        refreshes: String(refreshes),
        ms: String(Math.round(ms)),
        totalMs: String(Math.round(totalMs)),
      });
    },
    clear,
  };
}
