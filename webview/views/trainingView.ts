// Section 3, "Train the model": Start and Stop, which backend TensorFlow.js runs on and why,
// progress within the epoch, and the loss and accuracy curves.
//
// DOM for tests:
//   #training-section[data-state]   "loading" | "blocked" | "ready" | "running" | "stopping"
//   #training-problem               why training cannot start or why it failed: a .problem
//                                   (see problemView.ts) with its buttons; empty otherwise
//   #start-training, #stop-training buttons (disabled attribute when unavailable)
//   #backend[data-backend]          e.g. "webgl"; text "Backend: webgl · GPU: … · why"
//   #backend[data-calibration]      "measured" (timed just now) | "kept" (an earlier timing) when
//                                   "auto" chose by timing; #backend-timings lists the figures:
//     li[data-backend][data-ms-per-batch][data-complete] one per backend timed, and for the
//       worker counts WebAssembly was timed on, li[data-backend="wasm"][data-workers] each
//   #measure-backends               "Measure again" (shown after a timing; disabled during a run)
//   #training-threads[data-workers] the threads the run trains on (1: the panel's own) and why;
//                                   data-fell-back="true" when more were asked for and did not start
//   #training-progress …            see trainingProgress.ts
//   #history-chart …                see historyChart.ts
import type { BackendName } from '../../src/shared/backendPolicy';
import { backendLabel, describeCalibration } from '../../src/shared/backendCalibration';
import type { CalibrationReport } from '../ml/backendChooser';
import type { Problem, UserAction } from '../../src/shared/panelMessages';
import { createButton, setDisabled } from '../ui/toolkit';
import { createSection, h } from './dom';
import { createProblemElement } from './problemView';
import type { BatchPoint } from '../../src/shared/ml/batchCurve';
import type { CurveMark } from './curveChart';
import { createHistoryChart, EpochRecord } from './historyChart';
import { BatchProgress, createTrainingProgress } from './trainingProgress';
import type { WorkersNote } from '../ml/workers/runTrainer';

export type { BatchProgress } from './trainingProgress';
export type { EpochRecord } from './historyChart';

export interface BackendInfo {
  /** TensorFlow.js' name for it. */
  name: BackendName;
  /** The GPU as WebGL reports it, when the backend is webgl. */
  renderer?: string;
  /** Why this backend, e.g. "the setting says auto and WebGL runs on a GPU". */
  reason?: string;
  /** When "auto" chose by timing the backends. */
  calibration?: CalibrationReport;
}

/**
 * loading: data not ready; blocked: the settings cannot train (the problem says why); ready: can
 * start; running: can stop; stopping: waiting for the batch to end.
 */
export type TrainingState = 'loading' | 'blocked' | 'ready' | 'running' | 'stopping';

export interface TrainingView {
  readonly element: HTMLElement;
  onStart(listener: () => void): void;
  onStop(listener: () => void): void;
  /** "Measure again": time the backends anew for "auto". */
  onMeasureAgain(listener: () => void): void;
  /** Enables the buttons that make sense in `state`. */
  setState(state: TrainingState): void;
  /** Shows why training cannot start or why it failed; undefined clears it. */
  showProblem(problem: Problem | undefined, onAction?: (action: UserAction) => void, kind?: string): void;
  /**
   * Clears a problem about whether training can start; why the last run failed stays until the
   * next run starts, however often the settings are checked meanwhile.
   */
  clearStartProblem(): void;
  showBackend(info: BackendInfo): void;
  /** The threads a run trains on (data-parallel workers or the panel's own), and why. */
  showWorkers(note: WorkersNote): void;
  /** Progress within the epoch; `null` returns to idle with an optional closing line. */
  showProgress(progress: BatchProgress | null, idleMessage?: string): void;
  /**
   * Redraws the curves from the whole history: live after each epoch, or a saved run.
   * `totalEpochs` (the run's planned epochs) fixes the epoch axis so the curves grow along it.
   */
  showHistory(
    history: readonly EpochRecord[],
    totalEpochs?: number,
    batches?: readonly BatchPoint[],
    marks?: readonly CurveMark[],
  ): Promise<void>;
}

/** Why "auto" chose this backend: the figures, and when they were measured. */
function calibrationNote(report: CalibrationReport): string {
  const when =
    report.measuredMs === undefined
      ? `timed on ${new Date(report.calibration.measuredAt).toLocaleString()}`
      : `timed just now in ${Math.round(report.measuredMs)} ms`;
  return `chosen by timing (${when}): ${describeCalibration(report.calibration, report.glRenderer)}`;
}

export function createTrainingView(): TrainingView {
  const { section, body } = createSection(
    'training-section',
    '3. Train the model',
    'Training shows the model the images batch by batch and nudges its weights to lower the loss. The validation images are held out: if their accuracy stalls while training accuracy climbs, the model is overfitting.',
  );
  const startListeners: (() => void)[] = [];
  const stopListeners: (() => void)[] = [];
  const measureListeners: (() => void)[] = [];
  const start = createButton('Start training', () => startListeners.forEach((listener) => listener()));
  const stop = createButton('Stop', () => stopListeners.forEach((listener) => listener()), 'secondary');
  start.id = 'start-training';
  stop.id = 'stop-training';
  const backend = h('p', { id: 'backend', class: 'backend' }, 'Backend: not chosen yet.');
  const timings = h('ul', { id: 'backend-timings', class: 'backend-timings' });
  const measureAgain = createButton(
    'Measure again',
    () => measureListeners.forEach((listener) => listener()),
    'secondary',
  );
  measureAgain.id = 'measure-backends';
  measureAgain.hidden = true;
  // The accessible name starts with the visible text, so speech users can say what they see (WCAG 2.5.3).
  measureAgain.setAttribute('aria-label', 'Measure again: time the backends anew and train on the faster');
  const threads = h('p', { id: 'training-threads', class: 'backend', hidden: '' });
  const problemArea = h('div', { id: 'training-problem' });
  const progress = createTrainingProgress();
  const chart = createHistoryChart();
  body.append(
    h('div', { class: 'button-row' }, start, stop),
    problemArea,
    h('div', { class: 'backend-row' }, backend, measureAgain),
    timings,
    threads,
    progress.element,
    chart.element,
  );

  function setState(state: TrainingState): void {
    section.dataset.state = state;
    setDisabled(start, state !== 'ready');
    setDisabled(stop, state !== 'running');
    setDisabled(measureAgain, state === 'running' || state === 'stopping');
  }
  setState('loading');

  return {
    element: section,
    onStart: (listener) => void startListeners.push(listener),
    onStop: (listener) => void stopListeners.push(listener),
    onMeasureAgain: (listener) => void measureListeners.push(listener),
    setState,
    showProblem(problem, onAction = () => {}, kind = 'training') {
      problemArea.replaceChildren(...(problem ? [createProblemElement(problem, onAction, kind)] : []));
    },
    clearStartProblem() {
      if (problemArea.querySelector('.problem')?.getAttribute('data-problem') !== 'training') {
        problemArea.replaceChildren();
      }
    },
    showBackend({ name, renderer, reason, calibration }) {
      backend.dataset.backend = name;
      const parts = [`Backend: ${name}`];
      if (renderer) {
        parts.push(`GPU: ${renderer}`);
      }
      if (calibration) {
        parts.push(calibrationNote(calibration));
      } else if (reason) {
        parts.push(reason);
      }
      backend.textContent = parts.join(' · ');
      backend.dataset.calibration = calibration ? (calibration.measuredMs === undefined ? 'kept' : 'measured') : '';
      measureAgain.hidden = !calibration;
      timings.replaceChildren(
        ...(calibration?.calibration.timings ?? []).map((t) =>
          h(
            'li',
            {
              'data-backend': t.backend,
              'data-ms-per-batch': t.msPerBatch.toFixed(2),
              'data-complete': String(t.complete),
            },
            `${backendLabel(t.backend, calibration!.glRenderer)}: ${t.complete ? '' : 'over '}${t.msPerBatch.toFixed(1)} ms per batch of ${calibration!.batchSize}`,
          ),
        ),
        ...(calibration?.calibration.workerTimings ?? []).map((w) =>
          h(
            'li',
            {
              'data-backend': 'wasm',
              'data-workers': String(w.workers),
              'data-ms-per-batch': w.msPerBatch.toFixed(2),
              'data-complete': String(w.complete),
            },
            `WebAssembly × ${w.workers} workers: ${w.complete ? '' : 'over '}${w.msPerBatch.toFixed(1)} ms per batch of ${calibration!.batchSize}`,
          ),
        ),
      );
    },
    showWorkers({ count, text, fellBack }) {
      threads.hidden = false;
      threads.dataset.workers = String(count);
      threads.dataset.fellBack = String(fellBack);
      threads.textContent = text;
    },
    showProgress(value, idleMessage) {
      if (value) {
        progress.show(value);
      } else {
        progress.clear(idleMessage);
      }
    },
    showHistory: (history, totalEpochs, batches, marks) => chart.draw(history, totalEpochs, batches, marks),
  };
}
