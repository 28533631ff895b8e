// Section 1, "Explore the data": how many images there are, of what shape, where they came
// from, and a grid of training images with their class names (the tutorial's first figure).
//
// DOM for tests:
//   #data-summary                         text such as "Training: 60,000 images of 28×28 …"
//   #data-summary[data-state]             "loading" | "loaded" | "failed"; a failure shows its
//                                         .problem (see problemView.ts) inside #data-summary
//   #data-summary[data-train-count], [data-test-count], [data-validation-count]
//   #data-source                          where the files were read from
//   #sample-grid.sample-grid .sample[data-label]   one per image, label index 0-9; the class
//                                         name is the text of its .sample-label
import { CLASS_NAMES } from '../../src/shared/classNames';
import type { Problem, UserAction } from '../../src/shared/panelMessages';
import { createSection, h, placeholder } from './dom';
import { createProblemElement } from './problemView';
import { formatCount } from './format';
import { createPixelCanvas } from './pixelImage';

export interface DatasetSummary {
  trainCount: number;
  testCount: number;
  rows: number;
  cols: number;
  /** Where the files were read from: a folder, a URL, a package name. */
  source: string;
  /** Training images held out for validation (the last ones, as Keras does); 0 if none. */
  validationCount?: number;
}

export interface LabelledImage {
  /** rows × cols bytes, 0 = background, 255 = ink. */
  pixels: Uint8Array;
  /** Class index 0-9. */
  label: number;
}

export interface DataView {
  readonly element: HTMLElement;
  /** The data set is being found, checked or fetched. */
  showLoading(message: string): void;
  /** The data set could not be loaded: why, and the buttons that fix it. */
  showProblem(problem: Problem, onAction: (action: UserAction) => void): void;
  showSummary(summary: DatasetSummary): void;
  showSamples(samples: readonly LabelledImage[], rows?: number, cols?: number): void;
}

function summaryText(s: DatasetSummary): string {
  const training = `Training: ${formatCount(s.trainCount)} images of ${s.rows}×${s.cols}`;
  const validation = s.validationCount
    ? ` (${formatCount(s.trainCount - s.validationCount)} to fit, the last ${formatCount(s.validationCount)} to validate)`
    : '';
  return `${training}${validation}, Test: ${formatCount(s.testCount)}`;
}

export function createDataView(): DataView {
  const { section, body } = createSection(
    'data-section',
    '1. Explore the data',
    'Fashion-MNIST: grayscale photos of clothing in ten classes. Each pixel is a byte from 0 (background) to 255 (ink); the model sees them scaled to 0-1.',
  );
  const summary = h(
    'div',
    { id: 'data-summary', class: 'data-summary', 'data-state': 'loading' },
    'Loading the data set…',
  );
  const source = h('p', { id: 'data-source', class: 'data-source' });
  const grid = h('div', { id: 'sample-grid', class: 'sample-grid image-grid' });
  body.append(summary, source, grid);

  return {
    element: section,
    showLoading(message) {
      summary.dataset.state = 'loading';
      summary.textContent = message;
      source.textContent = '';
    },
    showProblem(problem, onAction) {
      summary.dataset.state = 'failed';
      summary.replaceChildren(createProblemElement(problem, onAction, 'dataset'));
      source.textContent = '';
      grid.replaceChildren();
    },
    showSummary(s) {
      summary.dataset.state = 'loaded';
      summary.textContent = summaryText(s);
      summary.dataset.trainCount = String(s.trainCount);
      summary.dataset.testCount = String(s.testCount);
      summary.dataset.validationCount = String(s.validationCount ?? 0);
      source.textContent = `Source: ${s.source}`;
    },
    showSamples(samples, rows = 28, cols = 28) {
      if (samples.length === 0) {
        grid.replaceChildren(placeholder('No images to show.'));
        return;
      }
      grid.replaceChildren(
        ...samples.map(({ pixels, label }) => {
          const name = CLASS_NAMES[label] ?? `class ${label}`;
          return h(
            'figure',
            { class: 'sample', 'data-label': label },
            createPixelCanvas(pixels, name, rows, cols),
            h('figcaption', { class: 'sample-label' }, name),
          );
        }),
      );
    },
  };
}
