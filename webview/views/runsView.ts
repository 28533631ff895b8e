// Section 7, "Compare runs": every kept run with its settings and test accuracy; tick two or
// more to see their curves on one chart and their settings and results side by side, the
// differences marked; choose which run's model "Classify image" uses; delete runs; open a run
// as a Keras notebook.
//
// DOM for tests:
//   #runs-usage                               e.g. "3 runs kept, 2.4 MB (the last 20 are kept: …)"
//   #runs-table tr.run[data-id][data-selected][data-test-accuracy][data-seed]   one row per run, newest first
//                                             (data-seed empty for a run saved without its seed)
//   #runs-table tr.run input.compare-run      tick to compare
//   #runs-table tr.run .use-run               "Use for Classify image" (the selected run says "In use" instead)
//   #runs-table tr.run .delete-run            "Delete", then "Delete for good" to confirm
//   #runs-table tr.run .run-again             "Run again with this seed": trains the run's settings,
//                                             seed and backend again (disabled without a seed)
//   #runs-table tr.run .open-notebook         "Open as Keras notebook": the run as a Jupyter notebook
//   #comparison[data-runs]                    the compared run ids, comma-separated; absent content under 2
//   #comparison-loss, #comparison-accuracy    the overlaid curves (.curve-chart)
//   #comparison-table tr[data-key] td[data-differs="true"]   a value that differs across the runs
//   #runs-table tr.run[data-group]            the run's repeat or sweep id (empty for a run trained alone);
//                                             its "Group" cell says e.g. "Repeat ×3, 2 of 3"
//   #comparison-sides, #comparison-verdicts   whether differences are larger than run-to-run noise: see noiseView.ts
//   #run-groups, #sweeps                      repeats and sweeps summarized: see groupsView.ts
//   #export-csv, #copy-csv                    "Save as CSV…" / "Copy as CSV" of the ticked runs (disabled when none)
//   #export-result                            what became of the last export
import type { RunSummary, RunsMessage } from '../../src/shared/protocol';
import { settingsToRunAgain } from '../../src/shared/savedRun';
import type { TrainingSettings } from '../../src/shared/settings';
import { createButton } from '../ui/toolkit';
import { drawCurveChart } from './curveChart';
import { createSection, h, placeholder } from './dom';
import { formatCount, formatMetric, formatSeconds } from './format';
import { comparisonPoints, comparisonRows, runLabel } from './runComparison';
import type { HistoryRun } from '../../src/shared/experiments/runGroups';
import { renderGroups } from './groupsView';
import { createNoiseVerdicts } from './noiseView';

export interface RunsView {
  readonly element: HTMLElement;
  show(message: RunsMessage): void;
  onSelect(listener: (id: string) => void): void;
  onDelete(listener: (id: string) => void): void;
  /** "Run again with this seed": the settings that train the run again (see settingsToRunAgain). */
  onRunAgain(listener: (settings: TrainingSettings) => void): void;
  /** "Open as Keras notebook": allowed while a run trains, since it changes no run. */
  onOpenNotebook(listener: (id: string) => void): void;
  /** "Repeat each ×3" of a comparison that could not tell: the runs to train again. */
  onRepeatRuns(listener: (runs: HistoryRun[]) => void): void;
  /** Save or copy the ticked runs as CSV. */
  onExport(listener: (ids: string[], to: 'file' | 'clipboard') => void): void;
  showExportResult(text: string, kind: 'done' | 'error'): void;
  /** Runs cannot be deleted or chosen while one trains. */
  setEnabled(enabled: boolean): void;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function createRunsView(): RunsView {
  const { section, body } = createSection(
    'runs-section',
    '7. Compare runs',
    'Every completed run is kept with its model. Tick two or more to compare their curves and settings; choose which model "Classify image" uses.',
  );
  const usage = h('p', { id: 'runs-usage', class: 'runs-usage' });
  const table = h('table', { id: 'runs-table', class: 'data-table runs-table' });
  const comparison = h('div', { id: 'comparison', class: 'comparison' });
  const groups = h('div', { id: 'run-groups', class: 'run-groups' });
  const sweeps = h('div', { id: 'sweeps', class: 'sweeps' });
  const exportResult = h('p', { id: 'export-result', class: 'runs-usage', role: 'status' });
  const exportListeners: ((ids: string[], to: 'file' | 'clipboard') => void)[] = [];
  const repeatListeners: ((runs: HistoryRun[]) => void)[] = [];
  const exportTo = (to: 'file' | 'clipboard') => () => {
    const ids = runs.filter((run) => compared.has(run.id)).map((run) => run.id);
    if (ids.length) {
      exportListeners.forEach((l) => l(ids, to));
    }
  };
  const saveCsv = createButton('Save ticked runs as CSV…', exportTo('file'), 'secondary');
  saveCsv.id = 'export-csv';
  // Each accessible name starts with the visible text, so speech users can say what they see (WCAG 2.5.3).
  saveCsv.setAttribute('aria-label', 'Save ticked runs as CSV… (their settings, epoch curves and results, to a file)');
  const copyCsv = createButton('Copy ticked runs as CSV', exportTo('clipboard'), 'secondary');
  copyCsv.id = 'copy-csv';
  copyCsv.setAttribute('aria-label', 'Copy ticked runs as CSV (their settings, epoch curves and results)');
  const updateExport = () => {
    const none = ![...compared].some((id) => runs.some((run) => run.id === id));
    saveCsv.toggleAttribute('disabled', none);
    copyCsv.toggleAttribute('disabled', none);
  };
  body.append(
    usage,
    h('div', { class: 'table-scroll' }, table),
    h('div', { class: 'button-row' }, saveCsv, copyCsv),
    exportResult,
    comparison,
    h('h3', {}, 'Repeats and sweeps'),
    groups,
    sweeps,
  );
  const selectListeners: ((id: string) => void)[] = [];
  const deleteListeners: ((id: string) => void)[] = [];
  const runAgainListeners: ((settings: TrainingSettings) => void)[] = [];
  const notebookListeners: ((id: string) => void)[] = [];
  const compared = new Set<string>();
  let runs: RunSummary[] = [];
  let enabled = true;

  function row(summary: RunSummary): HTMLTableRowElement {
    const { run } = summary;
    const tick = h('input', {
      type: 'checkbox',
      class: 'compare-run',
      'aria-label': `Compare the run of ${runLabel(summary)}`,
    });
    tick.checked = compared.has(summary.id);
    tick.addEventListener('change', () => {
      if (tick.checked) {
        compared.add(summary.id);
      } else {
        compared.delete(summary.id);
      }
      updateExport();
      void drawComparison();
    });
    const use = summary.selected
      ? h('span', { class: 'use-run in-use' }, 'In use')
      : createButton('Use for Classify image', () => selectListeners.forEach((l) => l(summary.id)), 'secondary');
    use.classList.add('use-run');
    const remove = createButton(
      'Delete',
      () => {
        if (remove.dataset.confirm === 'true') {
          deleteListeners.forEach((l) => l(summary.id));
        } else {
          remove.dataset.confirm = 'true';
          remove.textContent = 'Delete for good';
        }
      },
      'secondary',
    );
    remove.classList.add('delete-run');
    const notebook = createButton(
      'Open as Keras notebook',
      () => notebookListeners.forEach((l) => l(summary.id)),
      'secondary',
    );
    notebook.classList.add('open-notebook');
    // The accessible name starts with the visible text, so speech users can say what they see (WCAG 2.5.3).
    notebook.setAttribute('aria-label', `Open as Keras notebook: the run of ${runLabel(summary)}`);
    remove.toggleAttribute('disabled', !enabled);
    const again = settingsToRunAgain(run);
    const runAgain = createButton(
      'Run again with this seed',
      () => again && runAgainListeners.forEach((l) => l(again)),
      'secondary',
    );
    runAgain.classList.add('run-again');
    runAgain.toggleAttribute('disabled', !enabled || !again);
    runAgain.setAttribute(
      'title',
      again
        ? `Trains seed ${run.settings.seed} again with this run's settings on ${run.backend}: the same weights, byte for byte. Your settings stay as they are.`
        : 'This run was saved before runs recorded their seed, so it cannot be repeated.',
    );
    if (!summary.selected) {
      use.toggleAttribute('disabled', !enabled);
    }
    const seconds = run.history.reduce((sum, epoch) => sum + epoch.seconds, 0);
    return h(
      'tr',
      {
        class: 'run',
        'data-id': summary.id,
        'data-selected': String(summary.selected),
        'data-test-accuracy': formatMetric(run.evaluation.accuracy),
        'data-seed': run.settings.seed === null ? '' : String(run.settings.seed),
        'data-group': run.group?.id ?? '',
      },
      h('td', {}, tick),
      h('th', { scope: 'row' }, new Date(run.finishedAt).toLocaleString()),
      h('td', {}, run.settings.model.toUpperCase()),
      h('td', { class: 'number' }, `${run.history.length}/${run.settings.epochs}`),
      h('td', { class: 'number' }, String(run.settings.batchSize)),
      h('td', { class: 'number' }, String(run.settings.learningRate)),
      h('td', { class: 'number' }, formatCount(run.trainCount)),
      h('td', { class: 'number' }, formatSeconds(seconds)),
      h('td', { class: 'number' }, formatMetric(run.evaluation.accuracy)),
      h('td', { class: 'number' }, run.settings.seed === null ? '–' : String(run.settings.seed)),
      h('td', { class: 'group' }, run.group ? `${run.group.label}, ${run.group.index + 1} of ${run.group.size}` : '–'),
      h('td', {}, h('div', { class: 'button-row' }, use, runAgain, notebook, remove)),
    );
  }

  async function drawComparison(): Promise<void> {
    const chosen = runs.filter((run) => compared.has(run.id));
    comparison.dataset.runs = chosen.map((run) => run.id).join(',');
    if (chosen.length < 2) {
      comparison.replaceChildren(placeholder('Tick two or more runs to compare them.'));
      return;
    }
    const loss = h('div', { id: 'comparison-loss', class: 'history-plot' });
    const accuracy = h('div', { id: 'comparison-accuracy', class: 'history-plot' });
    const header = h(
      'tr',
      {},
      h('th', { scope: 'col' }, 'Setting or result'),
      ...chosen.map((run) => h('th', { scope: 'col' }, runLabel(run))),
    );
    const rows = comparisonRows(chosen).map((r) =>
      h(
        'tr',
        { 'data-key': r.key },
        h('th', { scope: 'row' }, r.label),
        ...r.values.map((value) =>
          h('td', { 'data-differs': String(r.differs), class: r.differs ? 'differs' : '' }, value),
        ),
      ),
    );
    comparison.replaceChildren(
      createNoiseVerdicts(chosen, (again) => repeatListeners.forEach((l) => l(again)), enabled),
      h(
        'div',
        { class: 'history-plots' },
        h('figure', { class: 'history-figure' }, h('figcaption', {}, 'Loss of the compared runs'), loss),
        h('figure', { class: 'history-figure' }, h('figcaption', {}, 'Accuracy of the compared runs'), accuracy),
      ),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { id: 'comparison-table', class: 'data-table' },
          h('caption', {}, 'Differences are marked'),
          h('thead', {}, header),
          h('tbody', {}, ...rows),
        ),
      ),
    );
    const totalEpochs = Math.max(...chosen.map((run) => run.run.settings.epochs));
    await drawCurveChart(loss, { metric: 'loss', points: comparisonPoints(chosen, 'loss'), totalEpochs });
    await drawCurveChart(accuracy, { metric: 'accuracy', points: comparisonPoints(chosen, 'accuracy'), totalEpochs });
  }

  function render(): void {
    table.replaceChildren(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[
            'Compare',
            'Finished',
            'Model',
            'Epochs',
            'Batch',
            'Learning rate',
            'Trained on',
            'Time',
            'Test accuracy',
            'Seed',
            'Group',
            '',
          ].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h('tbody', {}, ...runs.map(row)),
    );
  }

  comparison.replaceChildren(placeholder('Tick two or more runs to compare them.'));
  updateExport();
  return {
    element: section,
    show(message) {
      runs = message.runs;
      for (const id of [...compared]) {
        if (!runs.some((run) => run.id === id)) {
          compared.delete(id);
        }
      }
      usage.textContent = runs.length
        ? `${runs.length} run(s) kept, ${megabytes(message.usageBytes)} (the last ${message.limit} are kept: the fashionClassifier.runHistoryLimit setting).`
        : 'No run kept yet: runs appear here when training completes.';
      render();
      updateExport();
      void drawComparison();
      void renderGroups(groups, sweeps, runs, (ids) => {
        ids.forEach((id) => compared.add(id));
        render();
        updateExport();
        void drawComparison().then(() => comparison.scrollIntoView({ block: 'nearest' }));
      });
    },
    onSelect: (listener) => void selectListeners.push(listener),
    onDelete: (listener) => void deleteListeners.push(listener),
    onRunAgain: (listener) => void runAgainListeners.push(listener),
    onOpenNotebook: (listener) => void notebookListeners.push(listener),
    onRepeatRuns: (listener) => void repeatListeners.push(listener),
    onExport: (listener) => void exportListeners.push(listener),
    showExportResult(text, kind) {
      exportResult.textContent = text;
      exportResult.dataset.kind = kind;
    },
    setEnabled(value) {
      if (value !== enabled) {
        enabled = value;
        render();
        void drawComparison();
      }
    },
  };
}
