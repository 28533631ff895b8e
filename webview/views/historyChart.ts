// Loss and accuracy per epoch, for training and validation, drawn with tfjs-vis line charts into
// the page (not the visor). `draw` takes the whole history each time, so the same call shows a
// run live, epoch by epoch, and restores a saved run after the panel reloads.
//
// Theme: tfjs-vis draws on a canvas with black text on white and lets callers choose only the
// series colours. So the canvas blends into the page with CSS (see `.history-plot` in
// panel.css): multiplied onto light themes, inverted and screened onto dark ones; the series
// colours come from the theme's chart colours, pre-compensated for the inversion.
//
// DOM for tests:
//   #history-chart[data-epochs]         number of epochs drawn
//   #history-chart[data-drawn]          "true" once the charts rendered, "false" if they failed
//   #loss-chart, #accuracy-chart        the two plots; [data-ink] "normal" | "inverted" (dark)
//   #history-latest                     the last epoch's numbers as text
//   #history-table tr[data-epoch] td[data-key=loss|accuracy|valLoss|valAccuracy][data-value]
import { render } from '@tensorflow/tfjs-vis';
import { h } from './dom';
import { formatMetric } from './format';
import { counterInvert, isDarkTheme, onThemeChange, rgbToCss, themeColor } from './themeColors';
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
   * Redraws both charts and the table from the full history (empty clears them). With
   * `totalEpochs`, the epoch axis spans the whole run from the start, so the curves grow
   * towards its end.
   */
  draw(history: readonly EpochRecord[], totalEpochs?: number): Promise<void>;
}

type Metric = 'loss' | 'accuracy';
const VALIDATION_KEY = { loss: 'valLoss', accuracy: 'valAccuracy' } as const;

function seriesColors(dark: boolean): [string, string] | undefined {
  const training = themeColor('--vscode-charts-blue');
  const validation = themeColor('--vscode-charts-orange');
  if (!training || !validation) {
    return undefined;
  }
  const adjust = dark ? counterInvert : (c: typeof training) => c;
  return [rgbToCss(adjust(training)), rgbToCss(adjust(validation))];
}

/**
 * tfjs-vis plots the i-th point at x = i, whatever x it is given, so point i holds epoch i.
 * Blank points (no y: the chart leaves them out of the lines but keeps them on the axis) fill
 * epoch 0, before training, and the epochs still to come.
 */
function series(history: readonly EpochRecord[], key: keyof EpochRecord, lastEpoch: number) {
  const byEpoch = new Map(history.map((record) => [record.epoch, record[key]]));
  return Array.from({ length: lastEpoch + 1 }, (_, epoch) => ({
    x: epoch,
    y: byEpoch.get(epoch) ?? null,
  })) as unknown as {
    x: number;
    y: number;
  }[];
}

async function drawPlot(
  plot: HTMLElement,
  history: readonly EpochRecord[],
  lastEpoch: number,
  metric: Metric,
  dark: boolean,
): Promise<void> {
  const hasValidation = history.some((record) => record[VALIDATION_KEY[metric]] != null);
  const values = [series(history, metric, lastEpoch)];
  const names = ['training'];
  if (hasValidation) {
    values.push(series(history, VALIDATION_KEY[metric], lastEpoch));
    names.push('validation');
  }
  const colors = seriesColors(dark);
  plot.dataset.ink = dark ? 'inverted' : 'normal';
  await render.linechart(
    plot,
    { values, series: names },
    {
      // The figure caption names the x axis: an axis title here gets clipped at the canvas edge.
      xLabel: '',
      yLabel: metric,
      zoomToFit: true,
      // The chart's own fitting leaves the legend out of this width: keep room for it.
      width: Math.max(220, plot.clientWidth - 90),
      height: 220,
      fontSize: 11,
      seriesColors: colors?.slice(0, names.length),
    },
  );
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
      h('figure', { class: 'history-figure' }, h('figcaption', {}, 'Loss per epoch (lower is better)'), lossPlot),
      h(
        'figure',
        { class: 'history-figure' },
        h('figcaption', {}, 'Accuracy per epoch (higher is better)'),
        accuracyPlot,
      ),
    ),
    problem,
    details,
  );

  let shown: readonly EpochRecord[] = [];
  let totalEpochs = 0;
  // Draws run one at a time; a request made meanwhile replaces any older one still waiting.
  let running: Promise<void> | undefined;
  let waiting = false;

  async function renderPlots(): Promise<void> {
    const history = shown;
    element.dataset.epochs = String(history.length);
    latest.textContent = history.length ? latestText(history[history.length - 1]) : 'No epoch finished yet.';
    body.replaceChildren(...tableRows(history));
    if (history.length < 2) {
      // A line needs two points; until then the latest numbers above say it all.
      const note = history.length ? 'The curves appear once two epochs have finished.' : '';
      lossPlot.replaceChildren(note);
      accuracyPlot.replaceChildren(note);
      delete element.dataset.drawn;
      return;
    }
    try {
      const dark = isDarkTheme();
      const lastEpoch = Math.max(totalEpochs, ...history.map((record) => record.epoch));
      await drawPlot(lossPlot, history, lastEpoch, 'loss', dark);
      await drawPlot(accuracyPlot, history, lastEpoch, 'accuracy', dark);
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
    draw(history, epochs = 0) {
      shown = [...history];
      totalEpochs = epochs;
      return redraw();
    },
  };
}
