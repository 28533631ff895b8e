// The part of a comparison that knows the noise: the compared runs as sides (a repeat's or a
// sweep value's ticked runs together, each other run alone), each side's test accuracy as mean ±
// sd with its single values, and for every pair of sides whether their difference is larger than
// run-to-run noise, with the figures and how they were computed. A side of one run cannot tell:
// the verdict says so and offers to repeat those runs. Part of section 7 (runsView.ts).
//
// DOM for tests:
//   #comparison-sides li.side[data-key][data-runs][data-mean][data-sd]   one per side: test accuracy,
//       final validation loss and time as mean ± sd then each run (data-mean/sd: test accuracy)
//   #comparison-verdicts li.verdict[data-kind][data-first][data-second]  one per pair of sides;
//       data-kind: "beyond-noise" | "within-noise" | "cannot-tell"; data-first/second: side indexes
//       .verdict-headline, .verdict-explanation, .verdict-method (in a <details>)
//       .verdict-p                                                       the p-value, when there was a test
//       .repeat-compared                                                 "Repeat each ×3" (cannot-tell verdicts)
import { formatMeanSd, summarizeGroup } from '../../src/shared/experiments/groupSummary';
import {
  comparisonSides,
  MAX_COMPARED_SIDES,
  runsToRepeat,
  sideLabels,
  sideVerdicts,
  type HistoryRun,
} from '../../src/shared/experiments/runGroups';
import type { ValueSummary } from '../../src/shared/stats/describe';
import { formatP } from '../../src/shared/stats/noiseVerdict';
import { createButton } from '../ui/toolkit';
import { h } from './dom';
import { runLabel } from './runComparison';
import type { RunSummary } from '../../src/shared/protocol';

/** Repeats offered when one run a side cannot tell. */
export const OFFERED_REPEATS = 3;

/** The sides and verdicts of `chosen`; `onRepeat` trains the runs a verdict asks to repeat. */
export function createNoiseVerdicts(
  chosen: readonly RunSummary[],
  onRepeat: (runs: HistoryRun[]) => void,
  repeatEnabled: boolean,
): HTMLElement {
  const sides = comparisonSides(chosen);
  const labels = sideLabels(sides, (side, i) =>
    side.group
      ? `${side.group.label}${side.group.value === undefined ? '' : ` at ${side.group.value}`}`
      : side.runs.length === 1
        ? `the run of ${runLabel(side.runs[0] as RunSummary)}`
        : `side ${i + 1}`,
  );
  const sideItems = sides.map((side, i) => {
    const summary = summarizeGroup(side.runs.map((r) => r.run));
    const { testAccuracy: accuracy } = summary;
    const result = (name: string, value: ValueSummary & { values: number[] }, digits: number) =>
      side.runs.length > 1
        ? `${name} ${formatMeanSd(value, digits)} (${value.values.map((v) => v.toFixed(digits)).join(', ')})`
        : `${name} ${value.mean.toFixed(digits)}`;
    const results = [
      result('test accuracy', accuracy, 4),
      ...(summary.finalValidationLoss ? [result('final validation loss', summary.finalValidationLoss, 4)] : []),
      result('time (s)', summary.seconds, 1),
    ];
    return h(
      'li',
      {
        class: 'side',
        'data-key': side.key,
        'data-runs': String(side.runs.length),
        'data-mean': accuracy.mean.toFixed(4),
        'data-sd': accuracy.standardDeviation === null ? '' : accuracy.standardDeviation.toFixed(4),
      },
      h('strong', {}, labels[i]),
      side.runs.length > 1 ? ` (mean ± sd of ${side.runs.length} runs, then each run): ` : ' (1 run): ',
      results.join('; '),
    );
  });
  const verdicts = sideVerdicts(sides, labels).map((entry) => {
    const { verdict } = entry;
    const item = h(
      'li',
      {
        class: 'verdict',
        'data-kind': verdict.kind,
        'data-first': String(entry.first),
        'data-second': String(entry.second),
      },
      h(
        'p',
        { class: 'verdict-headline' },
        h('strong', {}, `${labels[entry.first]} vs ${labels[entry.second]}: `),
        verdict.headline,
      ),
      h('p', { class: 'verdict-explanation' }, verdict.explanation),
    );
    if (verdict.test) {
      item.append(h('p', { class: 'verdict-p' }, `${formatP(verdict.test.p)} (Welch's t-test)`));
    }
    item.append(
      h('details', {}, h('summary', {}, 'How this was computed'), h('p', { class: 'verdict-method' }, verdict.method)),
    );
    const again = runsToRepeat(sides, entry);
    if (again.length) {
      const repeat = createButton(`Repeat each ×${OFFERED_REPEATS}`, () => onRepeat(again), 'secondary');
      repeat.classList.add('repeat-compared');
      repeat.setAttribute(
        'aria-label',
        `Repeat each ×${OFFERED_REPEATS}: train each single run of this comparison ${OFFERED_REPEATS} more times with its own settings and nearby seeds, as groups`,
      );
      repeat.toggleAttribute('disabled', !repeatEnabled);
      item.append(h('div', { class: 'button-row' }, repeat));
    }
    return item;
  });
  const note =
    sides.length > MAX_COMPARED_SIDES
      ? [h('p', { class: 'placeholder' }, `Only the first ${MAX_COMPARED_SIDES} sides are compared pairwise.`)]
      : [];
  return h(
    'div',
    { class: 'noise' },
    h('h3', {}, 'Larger than run-to-run noise?'),
    h('ul', { id: 'comparison-sides', class: 'comparison-sides' }, ...sideItems),
    h('ul', { id: 'comparison-verdicts', class: 'comparison-verdicts' }, ...verdicts),
    ...note,
  );
}
