// The kept runs of repeats and sweeps, by group: each repeat (and each value of a sweep) with the
// mean ± standard deviation of its test accuracy, final validation loss and training time and the
// single values beside them; each sweep as a chart and a table of test accuracy against its value.
// Part of section 7 (runsView.ts).
//
// DOM for tests:
//   #run-groups tr.group-cell[data-group][data-kind][data-value][data-runs]   one per repeat or sweep value
//       [data-test-accuracy-mean][data-test-accuracy-sd]                      four decimals (sd empty for 1 run)
//       td[data-result="testAccuracy"|"finalValidationLoss"|"seconds"]       "mean ± sd" then "(v1, v2, …)"
//       .compare-group                                                        "Compare" ticks the cell's runs
//   #sweeps figure.sweep[data-group][data-parameter][data-values]             one per sweep, newest first
//       .sweep-chart                                                          see sweepChart.ts
//       table.sweep-table tr[data-value][data-runs][data-mean][data-sd]       one row per value
import { SWEEP_LABELS } from '../../src/shared/experiments/experimentPlan';
import { formatMeanSd, type GroupSummary } from '../../src/shared/experiments/groupSummary';
import { groupCells, sweepSeries, type SweepSeries } from '../../src/shared/experiments/runGroups';
import type { RunSummary } from '../../src/shared/protocol';
import { createButton } from '../ui/toolkit';
import { h, placeholder } from './dom';
import { drawSweepChart } from './sweepChart';

const singles = (values: readonly number[], digits: number) =>
  `(${values.map((value) => value.toFixed(digits)).join(', ')})`;

function resultCell(key: string, summary: GroupSummary[keyof GroupSummary] | null, digits: number): HTMLElement {
  if (summary === null || typeof summary === 'number') {
    return h('td', { 'data-result': key, class: 'number' }, '–');
  }
  return h(
    'td',
    { 'data-result': key, class: 'number' },
    h('span', { class: 'mean-sd' }, formatMeanSd(summary, digits)),
    ' ',
    h('span', { class: 'single-values' }, singles(summary.values, digits)),
  );
}

/** The text alternative of a sweep's chart, in one sentence. */
export function describeSweep(sweep: SweepSeries): string {
  const points = sweep.points
    .map((p) => `${p.value}: ${formatMeanSd(p.summary.testAccuracy)} over ${p.summary.runs} run(s)`)
    .join('; ');
  return `Test accuracy (mean ± standard deviation) against ${SWEEP_LABELS[sweep.parameter]}: ${points}.`;
}

/** Draws the groups table into `groups` and the sweeps into `sweeps`; `onCompare` ticks runs for comparison. */
export async function renderGroups(
  groups: HTMLElement,
  sweeps: HTMLElement,
  runs: readonly RunSummary[],
  onCompare: (ids: string[]) => void,
): Promise<void> {
  const cells = groupCells(runs);
  if (cells.length === 0) {
    groups.replaceChildren(
      placeholder('No repeat or sweep yet: "8. Repeat and sweep" trains one, and its runs are summarized here.'),
    );
    sweeps.replaceChildren();
    return;
  }
  const header = h(
    'tr',
    {},
    ...['Group', 'Runs', 'Test accuracy', 'Final validation loss', 'Time (s)', ''].map((t) =>
      h('th', { scope: 'col' }, t),
    ),
  );
  const rows = cells.map((cell) => {
    const { group, summary } = cell;
    const name =
      group.kind === 'sweep' ? `${group.label}: ${SWEEP_LABELS[group.parameter!]} ${group.value}` : group.label;
    const finished = new Date(cell.runs.at(-1)!.run.finishedAt).toLocaleString();
    const compare = createButton('Compare', () => onCompare(cell.runs.map((r) => r.id)), 'secondary');
    compare.classList.add('compare-group');
    compare.setAttribute('aria-label', `Compare the runs of ${name}`);
    const sd = summary.testAccuracy.standardDeviation;
    return h(
      'tr',
      {
        class: 'group-cell',
        'data-group': group.id,
        'data-kind': group.kind,
        'data-value': group.value === undefined ? '' : String(group.value),
        'data-runs': String(summary.runs),
        'data-test-accuracy-mean': summary.testAccuracy.mean.toFixed(4),
        'data-test-accuracy-sd': sd === null ? '' : sd.toFixed(4),
      },
      h('th', { scope: 'row' }, name, h('br'), h('span', { class: 'group-when' }, finished)),
      h('td', { class: 'number' }, group.kind === 'repeat' ? `${summary.runs} of ${group.size}` : String(summary.runs)),
      resultCell('testAccuracy', summary.testAccuracy, 4),
      resultCell('finalValidationLoss', summary.finalValidationLoss, 4),
      resultCell('seconds', summary.seconds, 1),
      h('td', {}, compare),
    );
  });
  groups.replaceChildren(
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'data-table groups-table' },
        h('caption', {}, 'Repeats and sweeps: mean ± standard deviation, then the single runs'),
        h('thead', {}, header),
        h('tbody', {}, ...rows),
      ),
    ),
  );
  const series = sweepSeries(runs);
  const figures = series.map((sweep) => {
    // The chart library labels its own element; the text alternative sits on a wrapper it leaves alone.
    const chart = h('div');
    const plot = h('div', { class: 'sweep-plot', role: 'img', 'aria-label': describeSweep(sweep) }, chart);
    const table = h(
      'table',
      { class: 'data-table sweep-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, SWEEP_LABELS[sweep.parameter]),
          h('th', { scope: 'col' }, 'Runs'),
          h('th', { scope: 'col' }, 'Test accuracy (mean ± sd)'),
          h('th', { scope: 'col' }, 'Single runs'),
        ),
      ),
      h(
        'tbody',
        {},
        ...sweep.points.map((p) => {
          const sd = p.summary.testAccuracy.standardDeviation;
          return h(
            'tr',
            {
              'data-value': String(p.value),
              'data-runs': String(p.summary.runs),
              'data-mean': p.summary.testAccuracy.mean.toFixed(4),
              'data-sd': sd === null ? '' : sd.toFixed(4),
            },
            h('th', { scope: 'row' }, String(p.value)),
            h('td', { class: 'number' }, String(p.summary.runs)),
            h('td', { class: 'number' }, formatMeanSd(p.summary.testAccuracy)),
            h('td', { class: 'number' }, singles(p.summary.testAccuracy.values, 4)),
          );
        }),
      ),
    );
    const kept = sweep.points.reduce((sum, p) => sum + p.summary.runs, 0);
    return {
      sweep,
      chart,
      figure: h(
        'figure',
        {
          class: 'sweep history-figure',
          'data-group': sweep.groupId,
          'data-parameter': sweep.parameter,
          'data-values': sweep.points.map((p) => p.value).join(','),
        },
        h(
          'figcaption',
          {},
          `${sweep.label} (${kept} of ${sweep.planned} runs kept, ${new Date(sweep.finishedAt).toLocaleString()})`,
        ),
        plot,
        h('div', { class: 'table-scroll' }, table),
      ),
    };
  });
  sweeps.replaceChildren(...figures.map((f) => f.figure));
  await Promise.all(figures.map((f) => drawSweepChart(f.chart, f.sweep)));
}
