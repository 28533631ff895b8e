// Progress within the current epoch: a bar and "epoch 2/5 · batch 300/1500 · about 40 s left".
//
// DOM for tests:
//   #training-progress[data-epoch][data-epochs][data-batch][data-batches]   absent when idle
//   #training-progress[data-active]   "true" while an epoch is under way
//   #training-progress .progress-bar[role=progressbar][aria-valuenow]
//   #training-progress-text
import { h } from './dom';
import { formatCount, formatTimeLeft } from './format';

export interface BatchProgress {
  /** 1 for the first epoch. */
  epoch: number;
  epochs: number;
  /** Batches finished in this epoch. */
  batch: number;
  batchesPerEpoch: number;
  /** The caller's estimate of the time left for the whole run; omitted while unknown. */
  secondsLeft?: number;
}

export interface TrainingProgress {
  readonly element: HTMLElement;
  show(progress: BatchProgress): void;
  /** Back to the idle state, with an optional line such as "Finished 5 epochs in 58 s". */
  clear(message?: string): void;
}

export function createTrainingProgress(): TrainingProgress {
  const fill = h('div', { class: 'progress-fill' });
  const bar = h(
    'div',
    { class: 'progress-bar', role: 'progressbar', 'aria-label': 'Batches done in this epoch', 'aria-valuemin': 0 },
    fill,
  );
  const text = h('p', { id: 'training-progress-text', class: 'progress-text' });
  const element = h('div', { id: 'training-progress', class: 'training-progress', 'data-active': 'false' }, bar, text);

  function clear(message = 'Not training.'): void {
    for (const key of ['epoch', 'epochs', 'batch', 'batches']) {
      delete element.dataset[key];
    }
    element.dataset.active = 'false';
    bar.removeAttribute('aria-valuenow');
    bar.removeAttribute('aria-valuemax');
    fill.style.width = '0%';
    text.textContent = message;
  }
  clear();

  return {
    element,
    clear,
    show({ epoch, epochs, batch, batchesPerEpoch: batches, secondsLeft }) {
      Object.assign(element.dataset, { epoch, epochs, batch, batches, active: 'true' });
      bar.setAttribute('aria-valuemax', String(batches));
      bar.setAttribute('aria-valuenow', String(batch));
      fill.style.width = `${batches > 0 ? Math.min(100, (100 * batch) / batches) : 0}%`;
      const parts = [`epoch ${epoch}/${epochs}`, `batch ${formatCount(batch)}/${formatCount(batches)}`];
      if (secondsLeft !== undefined) {
        parts.push(formatTimeLeft(secondsLeft));
      }
      text.textContent = parts.join(' · ');
    },
  };
}
