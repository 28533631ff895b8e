// A run lives in the panel's page: when the page goes away mid-run (its panel closed, the window
// reloaded, the page crashed), the run goes with it and nothing of it is saved. The host remembers
// the run from its start until it ends or is saved, in the workspace's state, which outlives the
// extension host; a page that comes back finds the run still there and says it did not finish,
// instead of showing the older saved run as if nothing had happened.
import type { Problem } from '../shared/panelMessages';
import type { ExperimentRunInfo, TrainingStartedMessage } from '../shared/protocol';
import type { TrainingSettings } from '../shared/settings';

const STATE_KEY = 'fashionClassifier.runInProgress';

/** What is kept of a run while it trains. */
export interface RunInProgress {
  /** ISO time of its start. */
  startedAt: string;
  settings: Pick<TrainingSettings, 'model' | 'epochs' | 'seed'>;
  experiment?: ExperimentRunInfo;
}

/** The part of vscode.Memento this needs (a fake in the unit tests). */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export class RunInProgressRecord {
  constructor(
    private readonly state: StateStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A run began in the page. */
  started(message: TrainingStartedMessage): Thenable<void> {
    const { model, epochs, seed } = message.settings;
    const run: RunInProgress = {
      startedAt: this.now().toISOString(),
      settings: { model, epochs, seed },
      ...(message.experiment ? { experiment: message.experiment } : {}),
    };
    return this.state.update(STATE_KEY, run);
  }

  /** The run ended, however it ended, or its model is stored: nothing to tell. */
  ended(): Thenable<void> {
    return this.state.update(STATE_KEY, undefined);
  }

  /** The run a page began and never ended, as the panel shows it; forgotten once taken. */
  async takeUnfinished(): Promise<Problem | undefined> {
    const run = this.state.get<RunInProgress>(STATE_KEY);
    if (!run) {
      return undefined;
    }
    await this.ended();
    return { message: describeUnfinishedRun(run, this.now()), actions: [{ kind: 'showLog' }] };
  }
}

/** Whole sentences: which run (its day too when it was not today), what became of it, and what is unchanged. */
export function describeUnfinishedRun(run: RunInProgress, now: Date): string {
  const when = startedWhen(new Date(run.startedAt), now);
  const { model, epochs, seed } = run.settings;
  const what = `the ${model.toUpperCase()}, ${epochs} epoch${epochs === 1 ? '' : 's'}${seed === null ? '' : `, seed ${seed}`}`;
  const part = run.experiment
    ? `, run ${run.experiment.run} of ${run.experiment.runs} of "${run.experiment.label}",`
    : '';
  return (
    `The run started ${when} (${what})${part} did not finish: its panel closed or the window reloaded while it ` +
    `trained. Nothing of it was saved, and the model "Classify image" uses is unchanged. ${whatNext(run.experiment)}`
  );
}

/** Where the rest is, and how to train it again: a single run from Start, an experiment from its own section. */
function whatNext(experiment: ExperimentRunInfo | undefined): string {
  if (!experiment) {
    return 'Start training to run it again.';
  }
  const { label, run } = experiment;
  const before =
    run === 1
      ? `No run of "${label}" had finished.`
      : `The ${run - 1} run${run === 2 ? '' : 's'} of "${label}" that finished before it ${run === 2 ? 'is' : 'are'} in the run history.`;
  // "Repeat each of N runs ×3" is started from the comparison, the rest from their own section.
  const where = label.startsWith('Repeat each') ? '"Repeat each ×3" in "7. Compare runs"' : '"8. Repeat and sweep"';
  return `${before} ${where} starts it again.`;
}

/** "at 23:05:09", or "on 30 Nov at 23:05:09" for a run of another day: the panel may reopen days later. */
function startedWhen(started: Date, now: Date): string {
  if (Number.isNaN(started.getTime())) {
    return 'earlier';
  }
  const time = `at ${started.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
  return started.toDateString() === now.toDateString()
    ? time
    : `on ${started.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}
