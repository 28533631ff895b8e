// The confusion matrix as an HTML table heat map, and accuracy per class as a bar list.
// Tables rather than a chart: screen readers and tests read the counts, and the colours are
// theme variables mixed in by CSS (`--share` on each cell, see `.confusion` in panel.css); each
// count sits on the editor's background inside its coloured cell, so it reads in every theme.
//
// DOM for tests:
//   #confusion-matrix[data-total]                       a <table>
//   #confusion-matrix td[data-true][data-predicted][data-value]   one cell per pair, count; a
//                                                       button (Enter or Space) when the images
//                                                       behind it can be shown; [aria-pressed] on it
//   #per-class-accuracy tr[data-label][data-value]      share right per class, 0-1
import { CLASS_NAMES } from '../../src/shared/classNames';
import { h } from './dom';
import { formatCount, formatPercent } from './format';
import { perClassAccuracy } from '../../src/shared/ml/metrics';
import { rowTotals } from './confusionStats';

const className = (label: number) => CLASS_NAMES[label] ?? `class ${label}`;

/**
 * The matrix as a table. With `onSelect`, each cell with images is a button that asks to show
 * the test images behind it (true class, predicted class).
 */
export function createConfusionTable(
  confusion: readonly (readonly number[])[],
  onSelect?: (trueLabel: number, predicted: number) => void,
): HTMLTableElement {
  const totals = rowTotals(confusion);
  const header = h(
    'tr',
    {},
    h('th', { class: 'corner', scope: 'col' }, h('span', {}, 'true ↓ / predicted →')),
    ...confusion.map((_, label) =>
      h('th', { scope: 'col', class: 'predicted-class' }, h('span', {}, className(label))),
    ),
  );
  const rows = confusion.map((row, trueLabel) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, className(trueLabel)),
      ...row.map((count, predicted) => {
        // Square root so that rare mistakes still show; a share of 1 is the strongest colour.
        const share = totals[trueLabel] > 0 ? Math.sqrt(count / totals[trueLabel]) : 0;
        const cell = h(
          'td',
          {
            class: predicted === trueLabel ? 'hit' : 'miss',
            'data-true': trueLabel,
            'data-predicted': predicted,
            'data-value': count,
            title: `${formatCount(count)} ${className(trueLabel)} predicted as ${className(predicted)}`,
          },
          // On a plate of the editor's background: text straight on the heat colour fell below
          // WCAG's 4.5:1 contrast in every theme for some shares.
          h('span', { class: 'count' }, formatCount(count)),
        );
        cell.style.setProperty('--share', share.toFixed(3));
        if (onSelect && count > 0) {
          cell.tabIndex = 0;
          cell.setAttribute('role', 'button');
          cell.setAttribute('aria-pressed', 'false');
          cell.setAttribute('aria-label', `Show the ${cell.title}`);
          const select = () => {
            cell
              .closest('table')
              ?.querySelectorAll('td[aria-pressed="true"]')
              .forEach((c) => c.setAttribute('aria-pressed', 'false'));
            cell.setAttribute('aria-pressed', 'true');
            onSelect(trueLabel, predicted);
          };
          cell.addEventListener('click', select);
          cell.addEventListener('keydown', (event) => {
            if (event.key === 'Enter' || event.key === ' ') {
              event.preventDefault();
              select();
            }
          });
        }
        return cell;
      }),
    ),
  );
  return h(
    'table',
    { id: 'confusion-matrix', class: 'confusion', 'data-total': totals.reduce((a, b) => a + b, 0) },
    h('caption', {}, 'Rows: true class. Columns: predicted class. The diagonal counts right answers.'),
    h('thead', {}, header),
    h('tbody', {}, ...rows),
  );
}

export function createPerClassAccuracy(confusion: number[][]): HTMLTableElement {
  const rows = perClassAccuracy(confusion).map((value, label) => {
    const fill = h('div', { class: 'bar-fill' });
    fill.style.width = `${(value ?? 0) * 100}%`;
    return h(
      'tr',
      { 'data-label': label, 'data-value': value === null ? '' : value.toFixed(4) },
      h('th', { scope: 'row' }, className(label)),
      h('td', { class: 'bar-cell' }, h('div', { class: 'bar-track' }, fill)),
      h('td', { class: 'number' }, value === null ? '–' : formatPercent(value)),
    );
  });
  return h(
    'table',
    { id: 'per-class-accuracy', class: 'per-class' },
    h('caption', {}, 'Accuracy per class'),
    h('tbody', {}, ...rows),
  );
}
