// Section 3, "Train the model": Start and Stop, which backend TensorFlow.js runs on and why,
// progress within the epoch, and the loss and accuracy curves.
//
// DOM for tests:
//   #training-section[data-state]   "loading" | "blocked" | "ready" | "running" | "stopping"
//   #training-problem               why training cannot start or why it failed: a .problem
//                                   (see problemView.ts) with its buttons; empty otherwise
//   #start-training, #stop-training buttons (disabled attribute when unavailable)
//   #backend[data-backend]          e.g. "webgl"; text "Backend: webgl · GPU: … · why"
//   #training-progress …            see trainingProgress.ts
//   #history-chart …                see historyChart.ts
import type { BackendName } from '../../src/shared/backendPolicy';
import type { Problem, UserAction } from '../../src/shared/panelMessages';
import { createButton, setDisabled } from '../ui/toolkit';
import { createSection, h } from './dom';
import { createProblemElement } from './problemView';
import type { BatchPoint } from '../../src/shared/ml/batchCurve';
import type { CurveMark } from './curveChart';
import { createHistoryChart, EpochRecord } from './historyChart';
import { BatchProgress, createTrainingProgress } from './trainingProgress';

export type { BatchProgress } from './trainingProgress';
export type { EpochRecord } from './historyChart';

export interface BackendInfo {
  /** TensorFlow.js' name for it. */
  name: BackendName;
  /** The GPU as WebGL reports it, when the backend is webgl. */
  renderer?: string;
  /** Why this backend, e.g. "the setting says auto and WebGL runs on a GPU". */
  reason?: string;
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
  /** Enables the buttons that make sense in `state`. */
  setState(state: TrainingState): void;
  /** Shows why training cannot start or why it failed; undefined clears it. */
  showProblem(problem: Problem | undefined, onAction?: (action: UserAction) => void, kind?: string): void;
  showBackend(info: BackendInfo): void;
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

export function createTrainingView(): TrainingView {
  const { section, body } = createSection(
    'training-section',
    '3. Train the model',
    'Training shows the model the images batch by batch and nudges its weights to lower the loss. The validation images are held out: if their accuracy stalls while training accuracy climbs, the model is overfitting.',
  );
  const startListeners: (() => void)[] = [];
  const stopListeners: (() => void)[] = [];
  const start = createButton('Start training', () => startListeners.forEach((listener) => listener()));
  const stop = createButton('Stop', () => stopListeners.forEach((listener) => listener()), 'secondary');
  start.id = 'start-training';
  stop.id = 'stop-training';
  const backend = h('p', { id: 'backend', class: 'backend' }, 'Backend: not chosen yet.');
  const problemArea = h('div', { id: 'training-problem' });
  const progress = createTrainingProgress();
  const chart = createHistoryChart();
  body.append(h('div', { class: 'button-row' }, start, stop), problemArea, backend, progress.element, chart.element);

  function setState(state: TrainingState): void {
    section.dataset.state = state;
    setDisabled(start, state !== 'ready');
    setDisabled(stop, state !== 'running');
  }
  setState('loading');

  return {
    element: section,
    onStart: (listener) => void startListeners.push(listener),
    onStop: (listener) => void stopListeners.push(listener),
    setState,
    showProblem(problem, onAction = () => {}, kind = 'training') {
      problemArea.replaceChildren(...(problem ? [createProblemElement(problem, onAction, kind)] : []));
    },
    showBackend({ name, renderer, reason }) {
      backend.dataset.backend = name;
      const parts = [`Backend: ${name}`];
      if (renderer) {
        parts.push(`GPU: ${renderer}`);
      }
      if (reason) {
        parts.push(reason);
      }
      backend.textContent = parts.join(' · ');
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
