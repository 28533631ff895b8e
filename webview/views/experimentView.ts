// Section 8, "Repeat and sweep": train the settings in force with several seeds ("Repeat ×N"),
// or one hyperparameter at several values, each repeated, on a subset (a sweep). Before it
// starts the section says how many runs, about how long, and what the run-history limit will
// delete; while it runs, which run of how many and the time left. Stop ends it after the run
// under way stops; the runs finished before are kept.
//
// DOM for tests:
//   #experiment-section                      the section
//   #repeat-count                            number of repeats (2-10); #repeat-forecast says what
//                                            it will do, or (with class field-error) what is wrong
//   #start-repeat                            "Repeat ×N" (disabled while training or without data)
//   #sweep-parameter                         the hyperparameter swept (a select; option values are setting keys)
//   #sweep-values                            the values, comma-separated (proposed when the hyperparameter changes)
//   #propose-sweep-values                    "Propose values": the panel's range around the value in force
//   #sweep-repeats                           repeats per value (1-10)
//   input[name="sweep-subset"][value]        "quick" (10,000 / 2,000 images) | "settings" | "full"
//   #start-sweep                             "Start sweep"
//   #experiment-problem                      why the sweep as typed cannot run; empty otherwise
//   #experiment-forecast                     runs to train, time estimate, what the limit deletes
//   #experiment-progress[data-state][data-run][data-runs][data-finished]
//                                            state: "idle" | ExperimentState (running, stopping,
//                                            completed, stopped, failed); text e.g. "Repeat ×3: run 2 of 3 …"
//   #stop-experiment                         Stop (enabled while an experiment runs)
import type { ExperimentProgress } from '../../src/shared/experiments/experimentQueue';
import {
  MAX_REPEATS,
  MAX_SWEEP_REPEATS,
  MIN_REPEATS,
  MIN_SWEEP_REPEATS,
  QUICK_SUBSET,
  SWEEP_LABELS,
  type SweepSubset,
} from '../../src/shared/experiments/experimentPlan';
import { aboutDuration } from '../../src/shared/experiments/timeEstimate';
import { proposeSweepValues, SWEEP_SETTINGS, type SweepSetting } from '../../src/shared/experiments/sweepValues';
import type { TrainingSettings } from '../../src/shared/settings';
import { createButton, setDisabled } from '../ui/toolkit';
import { createSection, h } from './dom';
import { formatCount } from './format';

/** What the section's fields say now. */
export type ExperimentDraft =
  | { kind: 'repeat'; count: number }
  | { kind: 'sweep'; parameter: SweepSetting; valuesText: string; repeats: number; subset: SweepSubset };

/** What the controller makes of a draft: why it cannot run, or what it will do. */
export interface DraftVerdict {
  problem?: string;
  forecast?: string;
}

export interface ExperimentView {
  readonly element: HTMLElement;
  /** The settings in force: the sweep proposes values around them. */
  setSettings(settings: TrainingSettings): void;
  /** Whether an experiment can start now (data loaded, nothing training). */
  setReady(ready: boolean): void;
  /** Any field changed: the controller answers with showVerdict. */
  onDraft(listener: (draft: ExperimentDraft) => void): void;
  onStart(listener: (draft: ExperimentDraft) => void): void;
  onStop(listener: () => void): void;
  showVerdict(kind: ExperimentDraft['kind'], verdict: DraftVerdict): void;
  /** Where the experiment is; null when none runs. */
  showProgress(progress: ExperimentProgress | null, closing?: string): void;
  /** The current drafts, for a fresh forecast (after the history changed). */
  drafts(): ExperimentDraft[];
}

function numberInput(id: string, min: number, max: number, value: number, label: string): HTMLInputElement {
  return h('input', { id, type: 'number', min, max, step: 1, value, class: 'setting-input', 'aria-label': label });
}

/** The number typed; the plan says what is wrong with one out of range, rather than quietly using another. */
const typedNumber = (input: HTMLInputElement) => (input.value.trim() === '' ? NaN : Number(input.value));

export function createExperimentView(): ExperimentView {
  const { section, body } = createSection(
    'experiment-section',
    '8. Repeat and sweep',
    'Two runs with identical settings differ by about ±0.008 in test accuracy: different initial weights, orders and dropout masks. Repeat the settings to see that spread, or sweep one hyperparameter over several values, each repeated; "7. Compare runs" shows the results and says which differences are larger than the noise.',
  );
  const draftListeners: ((draft: ExperimentDraft) => void)[] = [];
  const startListeners: ((draft: ExperimentDraft) => void)[] = [];
  const stopListeners: (() => void)[] = [];
  let settings: TrainingSettings | undefined;
  let ready = false;
  let running = false;
  let valuesEdited = false;
  let sweepProblem: string | undefined;
  let repeatProblem: string | undefined;

  // Repeat.
  const repeatCount = numberInput('repeat-count', MIN_REPEATS, MAX_REPEATS, 3, 'Number of runs to repeat');
  const startRepeat = createButton('Repeat ×3', () => emit(startListeners, repeatDraft()));
  startRepeat.id = 'start-repeat';
  const repeatForecast = h('p', { class: 'experiment-note', id: 'repeat-forecast', 'aria-live': 'polite' });
  repeatCount.setAttribute('aria-describedby', 'repeat-forecast');

  // Sweep.
  const parameter = h(
    'select',
    { id: 'sweep-parameter', class: 'setting-input' },
    ...SWEEP_SETTINGS.map((key) => h('option', { value: key }, SWEEP_LABELS[key])),
  );
  const values = h('input', {
    id: 'sweep-values',
    type: 'text',
    class: 'setting-input sweep-values',
    'aria-describedby': 'experiment-problem',
  });
  const propose = createButton('Propose values', () => proposeValues(), 'secondary');
  propose.id = 'propose-sweep-values';
  // Accessible names start with the visible text (WCAG 2.5.3).
  propose.setAttribute('aria-label', 'Propose values around the value in force');
  const sweepRepeats = numberInput('sweep-repeats', MIN_SWEEP_REPEATS, MAX_SWEEP_REPEATS, 2, 'Repeats per value');
  const subsetChoice = (value: SweepSubset, label: string) => {
    const id = `sweep-subset-${value}`;
    const radio = h('input', { type: 'radio', name: 'sweep-subset', id, value });
    radio.checked = value === 'quick';
    radio.addEventListener('change', changed);
    return h('span', { class: 'subset-choice' }, radio, h('label', { for: id }, label));
  };
  const settingsSubsetLabel = h('span', {}, 'as in the settings');
  const subsetRow = h(
    'fieldset',
    { class: 'sweep-subset' },
    h('legend', {}, 'Images'),
    subsetChoice(
      'quick',
      `quick: ${formatCount(QUICK_SUBSET.train)} training / ${formatCount(QUICK_SUBSET.test)} test`,
    ),
    (() => {
      const choice = subsetChoice('settings', '');
      choice.querySelector('label')!.replaceChildren(settingsSubsetLabel);
      return choice;
    })(),
    subsetChoice('full', 'all: 60,000 training / 10,000 test'),
  );
  const startSweep = createButton('Start sweep', () => emit(startListeners, sweepDraft()));
  startSweep.id = 'start-sweep';
  const problem = h('p', { id: 'experiment-problem', class: 'field-error', role: 'alert' });
  const forecast = h('p', { id: 'experiment-forecast', class: 'experiment-note', 'aria-live': 'polite' });

  // Progress.
  const progress = h(
    'p',
    { id: 'experiment-progress', 'data-state': 'idle', role: 'status', 'aria-live': 'polite' },
    'No repeat or sweep is running.',
  );
  const stop = createButton('Stop', () => stopListeners.forEach((l) => l()), 'secondary');
  stop.id = 'stop-experiment';
  stop.setAttribute('aria-label', 'Stop the repeat or sweep; the runs finished so far are kept');

  body.append(
    h(
      'div',
      { class: 'experiment-block' },
      h('h3', {}, 'Repeat'),
      h('div', { class: 'button-row' }, h('label', { for: 'repeat-count' }, 'Runs'), repeatCount, startRepeat),
      repeatForecast,
    ),
    h(
      'div',
      { class: 'experiment-block' },
      h('h3', {}, 'Sweep'),
      h(
        'dl',
        { class: 'hyperparameter-list' },
        h('dt', {}, h('label', { for: 'sweep-parameter' }, 'Hyperparameter')),
        h('dd', {}, parameter),
        h('dt', {}, h('label', { for: 'sweep-values' }, 'Values (2 to 8, commas between)')),
        h('dd', {}, values, propose),
        h('dt', {}, h('label', { for: 'sweep-repeats' }, 'Repeats per value')),
        h('dd', {}, sweepRepeats),
      ),
      subsetRow,
      problem,
      h('div', { class: 'button-row' }, startSweep),
      forecast,
    ),
    h('div', { class: 'button-row experiment-progress-row' }, progress, stop),
  );

  function emit(listeners: ((draft: ExperimentDraft) => void)[], draft: ExperimentDraft): void {
    listeners.forEach((listener) => listener(draft));
  }

  function repeatDraft(): ExperimentDraft & { kind: 'repeat' } {
    return { kind: 'repeat', count: typedNumber(repeatCount) };
  }

  function sweepDraft(): ExperimentDraft {
    const subset = (section.querySelector('input[name="sweep-subset"]:checked') as HTMLInputElement | null)?.value;
    return {
      kind: 'sweep',
      parameter: parameter.value as SweepSetting,
      valuesText: values.value,
      repeats: typedNumber(sweepRepeats),
      subset: (subset as SweepSubset | undefined) ?? 'quick',
    };
  }

  function proposeValues(): void {
    if (!settings) {
      return;
    }
    values.value = proposeSweepValues(parameter.value as SweepSetting, settings, 4).join(', ');
    valuesEdited = false;
    changed();
  }

  function changed(): void {
    const { count } = repeatDraft();
    startRepeat.textContent =
      Number.isInteger(count) && count >= MIN_REPEATS && count <= MAX_REPEATS ? `Repeat ×${count}` : 'Repeat';
    emit(draftListeners, repeatDraft());
    emit(draftListeners, sweepDraft());
  }

  function renderControls(): void {
    setDisabled(startRepeat, !ready || running || repeatProblem !== undefined);
    setDisabled(startSweep, !ready || running || sweepProblem !== undefined);
    setDisabled(stop, !running);
    for (const control of [repeatCount, parameter, values, sweepRepeats]) {
      control.disabled = running;
    }
    setDisabled(propose, running);
  }

  repeatCount.addEventListener('input', changed);
  parameter.addEventListener('change', proposeValues);
  values.addEventListener('input', () => {
    valuesEdited = true;
    changed();
  });
  sweepRepeats.addEventListener('input', changed);
  renderControls();

  return {
    element: section,
    setSettings(next) {
      settings = next;
      settingsSubsetLabel.textContent =
        next.trainSubsetSize === 0 && next.testSubsetSize === 0
          ? 'as in the settings: all images'
          : `as in the settings: ${next.trainSubsetSize ? formatCount(next.trainSubsetSize) : 'all'} training / ${next.testSubsetSize ? formatCount(next.testSubsetSize) : 'all'} test`;
      if (!valuesEdited) {
        proposeValues();
      } else {
        changed();
      }
    },
    setReady(value) {
      ready = value;
      renderControls();
    },
    onDraft: (listener) => void draftListeners.push(listener),
    onStart: (listener) => void startListeners.push(listener),
    onStop: (listener) => void stopListeners.push(listener),
    showVerdict(kind, verdict) {
      if (kind === 'repeat') {
        repeatProblem = verdict.problem;
        repeatForecast.textContent = verdict.problem ?? verdict.forecast ?? '';
        repeatForecast.classList.toggle('field-error', verdict.problem !== undefined);
        repeatCount.toggleAttribute('aria-invalid', verdict.problem !== undefined);
        renderControls();
        return;
      }
      sweepProblem = verdict.problem;
      problem.textContent = verdict.problem ?? '';
      values.toggleAttribute('aria-invalid', verdict.problem !== undefined);
      forecast.textContent = verdict.forecast ?? '';
      renderControls();
    },
    showProgress(value, closing) {
      running = value !== null && (value.state === 'running' || value.state === 'stopping');
      renderControls();
      if (!value) {
        progress.dataset.state = 'idle';
        progress.textContent = closing ?? 'No repeat or sweep is running.';
        return;
      }
      progress.dataset.state = value.state;
      progress.dataset.run = String(value.run);
      progress.dataset.runs = String(value.runs);
      progress.dataset.finished = String(value.finished);
      const left = value.secondsLeft === null ? 'time left not known yet' : `${aboutDuration(value.secondsLeft)} left`;
      const kept = `${value.finished} of ${value.runs} runs kept`;
      const text: Record<ExperimentProgress['state'], string> = {
        running: `${value.label}: run ${value.run} of ${value.runs}, ${left}.`,
        stopping: `${value.label}: stopping run ${value.run} of ${value.runs}…`,
        completed: `${value.label}: done, ${kept}.`,
        stopped: `${value.label}: stopped, ${kept}.`,
        failed: `${value.label}: ended by a failed run, ${kept}.`,
      };
      progress.textContent = closing ? `${text[value.state]} ${closing}` : text[value.state];
    },
    drafts: () => [repeatDraft(), sweepDraft()],
  };
}
