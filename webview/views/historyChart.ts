// Loss and accuracy for training and validation, drawn with vega-lite (curveChart.ts) into the
// page: the smoothed loss and accuracy of the batches while an epoch runs, and a point per
// epoch. `draw` takes the whole history each time, so the same call shows a run live and
// restores a saved run after the panel reloads.
//
// DOM for tests:
//   #history-chart[data-epochs]         number of epochs drawn
//   #history-chart[data-batch-points]   points of the batch curve drawn
//   #history-chart[data-drawn]          "true" once the charts rendered, "false" if they failed
//   #loss-chart, #accuracy-chart        the two plots (.curve-chart, see curveChart.ts)
//   #history-latest                     the last epoch's numbers as text
//   #history-table tr[data-epoch] td[data-key=loss|accuracy|valLoss|valAccuracy][data-value]
import { h } from './dom';
import { formatMetric } from './format';
import type { BatchPoint } from '../../src/shared/ml/batchCurve';
import { CurveMark, CurvePoint, drawCurveChart } from './curveChart';
import { onThemeChange } from './themeColors';
import { errorMessage } from '../../src/shared/errorMessage';

/**
 * One epoch's metrics, as `fit` reports them at the epoch's end (TF.js names them acc/val_acc).
 * The training code's per-epoch history entries have this shape, extra fields allowed.
 */
export interface EpochRecord {
  /** 1 for the first epoch. */
  epoch: number;
  loss: number;
  accuracy: number;
  /** null or absent when training runs without a validation split. */
  valLoss?: number | null;
  valAccuracy?: number | null;
}

export interface HistoryChart {
  readonly element: HTMLElement;
  /**
   * Redraws both charts and the table from the full history (empty clears them) and the batch
   * curve so far. With `totalEpochs`, the epoch axis spans the whole run from the start, so the
   * curves grow towards its end.
   */
  draw(
    history: readonly EpochRecord[],
    totalEpochs?: number,
    batches?: readonly BatchPoint[],
    marks?: readonly CurveMark[],
  ): Promise<void>;
}

type Metric = 'loss' | 'accuracy';
const VALIDATION_KEY = { loss: 'valLoss', accuracy: 'valAccuracy' } as const;

/** The chart's points for `metric`: the batch curve, then the epochs' training and validation values. */
function curvePoints(history: readonly EpochRecord[], batches: readonly BatchPoint[], metric: Metric): CurvePoint[] {
  const points: CurvePoint[] = batches.map((b) => ({ x: b.x, y: b[metric], series: 'batches' }));
  for (const record of history) {
    points.push({ x: record.epoch, y: record[metric], series: 'training' });
    const validation = record[VALIDATION_KEY[metric]];
    if (validation != null) {
      points.push({ x: record.epoch, y: validation, series: 'validation' });
    }
  }
  return points;
}

function latestText(record: EpochRecord): string {
  const parts = [`loss ${formatMetric(record.loss)}`, `accuracy ${formatMetric(record.accuracy)}`];
  if (record.valLoss != null) {
    parts.push(`val loss ${formatMetric(record.valLoss)}`);
  }
  if (record.valAccuracy != null) {
    parts.push(`val accuracy ${formatMetric(record.valAccuracy)}`);
  }
  return `Epoch ${record.epoch}: ${parts.join(' · ')}`;
}

function tableRows(history: readonly EpochRecord[]): HTMLTableRowElement[] {
  const keys = ['loss', 'accuracy', 'valLoss', 'valAccuracy'] as const;
  return history.map((record) =>
    h(
      'tr',
      { 'data-epoch': record.epoch },
      h('th', { scope: 'row' }, String(record.epoch)),
      ...keys.map((key) => {
        const value = record[key] ?? undefined;
        return h(
          'td',
          { class: 'number', 'data-key': key, 'data-value': value },
          value === undefined ? '–' : formatMetric(value),
        );
      }),
    ),
  );
}

export function createHistoryChart(): HistoryChart {
  const lossPlot = h('div', { id: 'loss-chart', class: 'history-plot' });
  const accuracyPlot = h('div', { id: 'accuracy-chart', class: 'history-plot' });
  const latest = h('p', { id: 'history-latest', class: 'history-latest' }, 'No epoch finished yet.');
  const problem = h('p', { class: 'chart-problem', hidden: true });
  const body = h('tbody');
  const table = h(
    'table',
    { id: 'history-table', class: 'data-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Epoch', 'Loss', 'Accuracy', 'Val loss', 'Val accuracy'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    body,
  );
  const details = h('details', { class: 'history-details' }, h('summary', {}, 'Numbers per epoch'), table);
  const element = h(
    'div',
    { id: 'history-chart', class: 'history-chart', 'data-epochs': 0 },
    latest,
    h(
      'div',
      { class: 'history-plots' },
      h('figure', { class: 'history-figure' }, h('figcaption', {}, 'Loss (lower is better)'), lossPlot),
      h('figure', { class: 'history-figure' }, h('figcaption', {}, 'Accuracy (higher is better)'), accuracyPlot),
    ),
    problem,
    details,
  );

  let shown: readonly EpochRecord[] = [];
  let shownBatches: readonly BatchPoint[] = [];
  let shownMarks: readonly CurveMark[] = [];
  let totalEpochs = 0;
  // Draws run one at a time; a request made meanwhile replaces any older one still waiting.
  let running: Promise<void> | undefined;
  let waiting = false;

  async function renderPlots(): Promise<void> {
    const history = shown;
    element.dataset.epochs = String(history.length);
    element.dataset.batchPoints = String(shownBatches.length);
    latest.textContent = history.length ? latestText(history[history.length - 1]) : 'No epoch finished yet.';
    body.replaceChildren(...tableRows(history));
    if (history.length === 0 && shownBatches.length === 0) {
      lossPlot.replaceChildren();
      accuracyPlot.replaceChildren();
      delete element.dataset.drawn;
      return;
    }
    try {
      const lastEpoch = Math.max(totalEpochs, ...history.map((record) => record.epoch));
      for (const [plot, metric] of [
        [lossPlot, 'loss'],
        [accuracyPlot, 'accuracy'],
      ] as const) {
        await drawCurveChart(plot, {
          metric,
          points: curvePoints(history, shownBatches, metric),
          totalEpochs: lastEpoch,
          marks: shownMarks,
        });
      }
      problem.hidden = true;
      element.dataset.drawn = 'true';
    } catch (error) {
      // The numbers stay readable in the table even when the charts cannot be drawn.
      problem.textContent = `The charts could not be drawn (${errorMessage(error)}). The numbers are in the table below.`;
      problem.hidden = false;
      details.open = true;
      element.dataset.drawn = 'false';
    }
  }

  function redraw(): Promise<void> {
    if (running) {
      waiting = true;
      return running;
    }
    running = (async () => {
      do {
        waiting = false;
        await renderPlots();
      } while (waiting);
      running = undefined;
    })();
    return running;
  }

  onThemeChange(() => void redraw());
  // The charts get a fixed width when drawn, so follow the panel when it is resized.
  let lastWidth = 0;
  new ResizeObserver(() => {
    const width = lossPlot.clientWidth;
    if (width > 0 && Math.abs(width - lastWidth) > 20 && shown.length > 0) {
      lastWidth = width;
      void redraw();
    }
  }).observe(lossPlot);

  return {
    element,
    draw(history, epochs = 0, batches = [], marks = []) {
      shown = [...history];
      shownBatches = batches;
      shownMarks = marks;
      totalEpochs = epochs;
      return redraw();
    },
  };
}
