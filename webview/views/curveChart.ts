// One chart of learning curves (loss or accuracy), drawn with vega-lite (the library tfjs-vis
// draws with) so that it can show what tfjs-vis' line chart cannot: the smoothed loss of each
// batch under the epoch points, an epoch axis in whole epochs, marks such as where early
// stopping stopped, and several runs at once for a comparison. SVG in the theme's own colours.
//
// DOM for tests:
//   .curve-chart[data-drawn]        "true" once drawn
//   .curve-chart svg                the chart
import { themeColor, rgbToCss } from './themeColors';
import { chartColors, drawVegaLite } from './vegaChart';

/** A point of a curve: `x` in epochs (batches between epochs have fractional x). */
export interface CurvePoint {
  x: number;
  y: number;
  /** "training", "validation", or "batches" (the smoothed training loss within epochs). */
  series: 'training' | 'validation' | 'batches';
  /** The run it belongs to, when several are compared. */
  run?: string;
}

/** A vertical mark on the epoch axis, e.g. "early stop" or "best epoch". */
export interface CurveMark {
  x: number;
  label: string;
}

export interface CurveChartData {
  metric: 'loss' | 'accuracy';
  points: readonly CurvePoint[];
  /** The epoch axis runs from 0 to this, so a run's curves grow towards its end. */
  totalEpochs: number;
  marks?: readonly CurveMark[];
}

const PALETTE = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];

function paletteColor(i: number): string {
  const rgb = themeColor(PALETTE[i % PALETTE.length]);
  return rgb ? rgbToCss(rgb) : FALLBACK[i % FALLBACK.length];
}

/** The vega-lite specification of the chart: exported for the unit tests of its shape. */
export function curveSpec(data: CurveChartData, width: number) {
  const runs = [...new Set(data.points.map((p) => p.run).filter((r): r is string => r !== undefined))];
  const comparing = runs.length > 1;
  const { foreground, muted, grid } = chartColors();
  const seriesOrder = ['training', 'validation', 'batches'];
  const color = comparing
    ? {
        field: 'run',
        type: 'nominal',
        title: 'run',
        scale: { domain: runs, range: runs.map((_, i) => paletteColor(i)) },
      }
    : {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: seriesOrder, range: [paletteColor(0), paletteColor(1), paletteColor(0)] },
      };
  const x = {
    field: 'x',
    type: 'quantitative',
    title: 'epoch',
    scale: { domain: [0, Math.max(1, data.totalEpochs)], nice: false },
    // Whole epochs only: a tick at 0.5 means nothing to a learner.
    axis: { tickMinStep: 1, format: 'd' },
  };
  const y = { field: 'y', type: 'quantitative', title: data.metric, scale: { zero: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v4.json',
    width,
    height: 220,
    // The whole chart (axes and legend too) fits the width it is given.
    autosize: { type: 'fit', contains: 'padding' },
    background: null,
    data: { values: data.points.map((p) => ({ ...p, run: p.run ?? '' })) },
    layer: [
      {
        transform: [{ filter: "datum.series === 'batches'" }],
        mark: { type: 'line', strokeWidth: 1, opacity: 0.45, clip: true },
        encoding: { x, y, color, detail: { field: 'run' } },
      },
      {
        transform: [{ filter: "datum.series !== 'batches'" }],
        mark: { type: 'line', point: true, strokeWidth: 2, clip: true },
        encoding: {
          x,
          y,
          color,
          detail: { field: 'series' },
          ...(comparing ? { strokeDash: { field: 'series', type: 'nominal', title: null } } : {}),
          tooltip: [
            { field: 'run', title: 'run' },
            { field: 'series' },
            { field: 'x', title: 'epoch' },
            { field: 'y', title: data.metric, format: '.4f' },
          ],
        },
      },
      ...(data.marks?.length
        ? [
            {
              data: { values: data.marks },
              mark: { type: 'rule', strokeDash: [4, 3], color: muted },
              encoding: { x: { field: 'x', type: 'quantitative' } },
            },
            {
              data: { values: data.marks },
              mark: { type: 'text', align: 'left', dx: 3, dy: -100, color: foreground, fontSize: 10 },
              encoding: { x: { field: 'x', type: 'quantitative' }, text: { field: 'label' } },
            },
          ]
        : []),
    ],
    config: {
      font: getComputedStyle(document.body).fontFamily || 'sans-serif',
      axis: { labelColor: muted, titleColor: foreground, gridColor: grid, domainColor: grid, tickColor: grid },
      legend: { labelColor: foreground, titleColor: foreground, orient: 'bottom' },
      view: { stroke: null },
    },
  };
}

/** Draws (or redraws) the chart into `element`; resolves once it is on the page. */
export async function drawCurveChart(element: HTMLElement, data: CurveChartData): Promise<void> {
  element.classList.add('curve-chart');
  const width = Math.max(220, element.clientWidth - 8);
  await drawVegaLite(element, curveSpec(data, width));
}
