// A sweep's chart: test accuracy against the swept value, each value's mean with a bar of ± one
// standard deviation and its single runs as small dots, so the spread is seen beside the mean.
// The learning rate is drawn on a log axis, as it was swept. Drawn with vega-lite, as the curves.
//
// DOM for tests:
//   .sweep-chart[data-drawn]   "true" once drawn
//   .sweep-chart svg           the chart
import type { SweepSeries } from '../../src/shared/experiments/runGroups';
import { SWEEP_LABELS } from '../../src/shared/experiments/experimentPlan';
import { chartColors, cssColor, drawVegaLite } from './vegaChart';

/** The vega-lite specification of a sweep's chart. */
export function sweepSpec(sweep: SweepSeries, width: number) {
  const { foreground, muted, grid } = chartColors();
  const mark = cssColor('--vscode-charts-blue', '#3794ff');
  const means = sweep.points.map((p) => ({
    value: p.value,
    mean: p.summary.testAccuracy.mean,
    low: p.summary.testAccuracy.mean - (p.summary.testAccuracy.standardDeviation ?? 0),
    high: p.summary.testAccuracy.mean + (p.summary.testAccuracy.standardDeviation ?? 0),
    runs: p.summary.runs,
  }));
  const singles = sweep.points.flatMap((p) =>
    p.summary.testAccuracy.values.map((accuracy) => ({ value: p.value, accuracy })),
  );
  const x = {
    field: 'value',
    type: 'quantitative',
    title: SWEEP_LABELS[sweep.parameter],
    scale: sweep.parameter === 'learningRate' ? { type: 'log' } : { zero: false, padding: 12 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v4.json',
    width,
    height: 200,
    autosize: { type: 'fit', contains: 'padding' },
    background: null,
    layer: [
      {
        data: { values: means },
        mark: { type: 'rule', color: mark, strokeWidth: 2 },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
      },
      {
        data: { values: means },
        mark: { type: 'line', point: { size: 60 }, color: mark, strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: 'test accuracy', scale: { zero: false } },
          tooltip: [
            { field: 'value', title: SWEEP_LABELS[sweep.parameter] },
            { field: 'mean', title: 'mean test accuracy', format: '.4f' },
            { field: 'runs', title: 'runs' },
          ],
        },
      },
      {
        data: { values: singles },
        mark: { type: 'point', size: 20, color: muted, opacity: 0.8 },
        encoding: { x, y: { field: 'accuracy', type: 'quantitative' } },
      },
    ],
    config: {
      font: getComputedStyle(document.body).fontFamily || 'sans-serif',
      axis: { labelColor: muted, titleColor: foreground, gridColor: grid, domainColor: grid, tickColor: grid },
      view: { stroke: null },
    },
  };
}

export async function drawSweepChart(element: HTMLElement, sweep: SweepSeries): Promise<void> {
  element.classList.add('sweep-chart');
  const width = Math.max(220, element.clientWidth - 8);
  await drawVegaLite(element, sweepSpec(sweep, width));
}
