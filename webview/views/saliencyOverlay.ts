// "Why this answer": a "Why?" toggle for one image and, once pressed, the 28×28 input the model
// saw, in gray, with its occlusion saliency map (src/shared/ml/saliency.ts) blended on top in a
// diverging scale: the theme's chart red where hiding the pixels made the model less sure of its
// answer, its chart blue where it made it surer, more opaque the larger the change. The map runs
// the model, so it is worked out on the first press only, by the caller's `explain`.
//
// DOM for tests:
//   .why-button[aria-pressed="true|false"]   the toggle (a toolkit button)
//   .saliency[data-ready="true|false"][data-ms]   the explanation, hidden unless the button is
//                                   pressed; data-ready "true" once drawn, data-ms the time
//                                   `explain` took in milliseconds; data-error why it failed
//   .saliency .saliency-image[data-class]   the overlay canvas; data-class = the class explained
//   .saliency .saliency-legend      what red and blue mean, and what the reddest part is worth
import { CLASS_NAMES } from '../../src/shared/classNames';
import { errorMessage } from '../../src/shared/errorMessage';
import type { SaliencyResult } from '../../src/shared/ml/saliency';
import { asSentence } from '../../src/shared/sentences';
import { createButton } from '../ui/toolkit';
import { h } from './dom';
import { formatPercent } from './format';
import { createPixelCanvas } from './pixelImage';
import { onThemeChange, Rgb, themeColor } from './themeColors';

/** Works out the saliency map of one 28×28 image (784 bytes) with the model that answered. */
export type Explain = (pixels: Uint8Array) => Promise<SaliencyResult>;

/** The heat's opacity where the map is strongest: the garment still shows through it. */
const MAX_OPACITY = 0.8;
/**
 * Full colour means the largest change in this map, but never less than half a percentage
 * point: for a sure answer that nothing hidden moves, float noise would otherwise be blown up
 * into a pattern.
 */
const MIN_FULL_SCALE = 0.005;
/** VS Code's own chart colours, for a theme that does not define them. */
const FALLBACK_SUPPORTED: Rgb = [241, 76, 76];
const FALLBACK_AGAINST: Rgb = [55, 148, 255];

const className = (label: number) => CLASS_NAMES[label] ?? `class ${label}`;

function largestChange(map: Float32Array): number {
  return map.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
}

/** Paints the image in gray with each pixel's heat colour blended over it. */
function paint(canvas: HTMLCanvasElement, pixels: Uint8Array, map: Float32Array): void {
  const supported = themeColor('--vscode-charts-red') ?? FALLBACK_SUPPORTED;
  const against = themeColor('--vscode-charts-blue') ?? FALLBACK_AGAINST;
  const fullScale = Math.max(MIN_FULL_SCALE, largestChange(map));
  const image = new ImageData(canvas.width, canvas.height);
  for (let i = 0; i < pixels.length; i++) {
    const heat = map[i] >= 0 ? supported : against;
    const opacity = Math.min(1, Math.abs(map[i]) / fullScale) * MAX_OPACITY;
    for (let channel = 0; channel < 3; channel++) {
      image.data[i * 4 + channel] = pixels[i] * (1 - opacity) + heat[channel] * opacity;
    }
    image.data[i * 4 + 3] = 255;
  }
  canvas.getContext('2d')?.putImageData(image, 0, 0);
}

/** How to repaint each overlay, so a theme switch recolours those on the page. */
const repaints = new WeakMap<Element, () => void>();
let watchingTheme = false;

function repaintOnThemeChange(canvas: HTMLCanvasElement, repaint: () => void): void {
  repaints.set(canvas, repaint);
  if (!watchingTheme) {
    watchingTheme = true;
    onThemeChange(() => document.querySelectorAll('.saliency-image').forEach((overlay) => repaints.get(overlay)?.()));
  }
}

/** The input with its saliency map on top, as a pixel canvas (see pixelImage.ts). */
export function createSaliencyImage(pixels: Uint8Array, result: SaliencyResult): HTMLCanvasElement {
  const name = className(result.predictedClass);
  const canvas = createPixelCanvas(
    pixels,
    `The model's input with what mattered for “${name}”: red where it supported the answer, blue where it spoke against it`,
  );
  canvas.classList.add('saliency-image');
  canvas.dataset.class = String(result.predictedClass);
  const repaint = () => paint(canvas, pixels, result.map);
  repaint();
  repaintOnThemeChange(canvas, repaint);
  return canvas;
}

/** What red and blue mean, and what hiding the reddest part does to the answer's probability. */
export function createLegend({ map, predictedClass, baseProbability }: SaliencyResult): HTMLElement {
  const largestDrop = map.reduce((largest, value) => Math.max(largest, value), 0);
  const answer = `“${className(predictedClass)}”`;
  const effect =
    largestDrop < MIN_FULL_SCALE
      ? `No part of the image, hidden alone, moves ${answer} (${formatPercent(baseProbability)}) by even half a point.`
      : `Hiding the reddest part takes ${answer} from ${formatPercent(baseProbability)} to about ${formatPercent(baseProbability - largestDrop)}.`;
  return h(
    'div',
    { class: 'saliency-legend' },
    h(
      'p',
      { class: 'saliency-key' },
      h('span', { 'data-sign': 'supported' }, 'red: supported the answer'),
      h('span', { 'data-sign': 'against' }, 'blue: spoke against it'),
    ),
    h('p', { class: 'saliency-effect' }, effect),
  );
}

export interface SaliencyToggle {
  /** "Why?", pressed while the explanation shows. */
  button: HTMLElement;
  /** Where the explanation appears, next to the image it explains. */
  panel: HTMLElement;
}

/** A "Why?" button for `pixels` and the panel it opens; `explain` runs on the first opening. */
export function createSaliencyToggle(pixels: Uint8Array, explain: Explain): SaliencyToggle {
  const panel = h('div', { class: 'saliency', 'data-ready': 'false', hidden: true });
  const button = createButton('Why?', () => setOpen(panel.hidden), 'secondary');
  button.classList.add('why-button');
  button.title = 'Show which pixels the answer rests on';
  let explaining = false;
  setOpen(false);

  function setOpen(open: boolean): void {
    // The property, not the attribute: the toolkit's button passes only the property on to the
    // native button inside it (the one assistive technology sees), and reflects it as the attribute.
    button.ariaPressed = String(open);
    panel.hidden = !open;
    // A failed explanation is tried again on the next opening.
    if (open && !explaining && panel.dataset.ready !== 'true') {
      void showExplanation();
    }
  }

  async function showExplanation(): Promise<void> {
    explaining = true;
    delete panel.dataset.error;
    panel.replaceChildren(h('p', { class: 'saliency-status', role: 'status' }, 'Hiding one patch at a time…'));
    const started = performance.now();
    try {
      const result = await explain(pixels);
      panel.dataset.ms = String(Math.round(performance.now() - started));
      panel.replaceChildren(createSaliencyImage(pixels, result), createLegend(result));
      panel.dataset.ready = 'true';
    } catch (error) {
      panel.dataset.error = errorMessage(error);
      panel.replaceChildren(
        h('p', { class: 'saliency-error', role: 'alert' }, `✗ No explanation: ${asSentence(errorMessage(error))}`),
      );
    } finally {
      explaining = false;
    }
  }

  return { button, panel };
}
