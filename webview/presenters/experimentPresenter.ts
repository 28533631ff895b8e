// A repeat or sweep on the page: turns what section 8's fields say into a plan (or the reason
// there is none) with its time estimate and what the run-history limit will delete, then trains
// the plan's runs one after another through the controller, on the data set already in the page,
// showing which run of how many and the time left. Stop ends it after the run under way; the
// runs finished before are kept.
import type { AvailableExamples } from '../../src/shared/ml/plan';
import { planTraining } from '../../src/shared/ml';
import {
  MAX_REPEATS,
  MIN_REPEATS,
  planRepeat,
  planSweep,
  parseSweepValues,
  sweepProblem,
  sweepSubsetSizes,
  type ExperimentPlan,
  type PlannedRun,
} from '../../src/shared/experiments/experimentPlan';
import {
  estimatePlanSeconds,
  ExperimentQueue,
  runExperiment,
  type ExperimentProgress,
  type RunEnd,
} from '../../src/shared/experiments/experimentQueue';
import { describeForecast, forecastDrops } from '../../src/shared/experiments/historyLimit';
import { aboutDuration, historySecondsPerCost, trainingCost } from '../../src/shared/experiments/timeEstimate';
import { formatMeanSd } from '../../src/shared/experiments/groupSummary';
import { summarize } from '../../src/shared/stats/describe';
import type { ClassifierProtocol, ExperimentRunInfo, RunsMessage } from '../../src/shared/protocol';
import type { TrainingSettings } from '../../src/shared/settings';
import type { HostConnection } from '../hostChannel';
import type { ExperimentDraft, ExperimentView } from '../views/experimentView';

/** What the presenter needs of the page. */
export interface ExperimentTrainer {
  /** The settings in force, or undefined before the host's init. */
  settings(): TrainingSettings | undefined;
  /** Images in the loaded data set, or undefined while it loads. */
  available(): AvailableExamples | undefined;
  /** Trains one planned run; `firstBatch` is called at its first batch. */
  train(run: PlannedRun, info: ExperimentRunInfo, firstBatch: () => void): Promise<RunEnd>;
  /** The experiment is starting or has ended: the page enables its controls accordingly. */
  changed(): void;
  /** The status line. */
  status(message: string, kind: 'info' | 'success' | 'warning' | 'error'): void;
}

/** How often the time left is redrawn while a run trains. */
const TICK_MS = 1000;

export class ExperimentPresenter {
  private queue: ExperimentQueue | undefined;
  private history: RunsMessage | undefined;

  constructor(
    private readonly view: ExperimentView,
    private readonly host: HostConnection<ClassifierProtocol>,
    private readonly trainer: ExperimentTrainer,
  ) {
    view.onDraft((draft) => this.judge(draft));
  }

  /** Whether an experiment runs now. */
  get active(): boolean {
    return this.queue !== undefined;
  }

  /** The kept runs changed: the forecasts say what the limit deletes now. */
  setHistory(message: RunsMessage): void {
    this.history = message;
    this.view.drafts().forEach((draft) => this.judge(draft));
  }

  /** The plan `draft` asks for, or why there is none. */
  plan(draft: ExperimentDraft): { plan: ExperimentPlan; problem?: undefined } | { problem: string; plan?: undefined } {
    const settings = this.trainer.settings();
    if (!settings) {
      return { problem: 'The settings are not loaded yet.' };
    }
    let plan: ExperimentPlan;
    if (draft.kind === 'repeat') {
      if (!Number.isInteger(draft.count) || draft.count < MIN_REPEATS || draft.count > MAX_REPEATS) {
        return { problem: `Runs are a whole number from ${MIN_REPEATS} to ${MAX_REPEATS}; type one to repeat.` };
      }
      plan = planRepeat(settings, draft.count);
    } else {
      const parsed = parseSweepValues(draft.parameter, draft.valuesText);
      if ('reason' in parsed) {
        return { problem: parsed.reason };
      }
      const subset = sweepSubsetSizes(draft.subset, settings);
      const request = {
        settings,
        parameter: draft.parameter,
        values: parsed.values,
        repeats: draft.repeats,
        trainSubsetSize: subset.train,
        testSubsetSize: subset.test,
      };
      const problem = sweepProblem(request);
      if (problem) {
        return { problem };
      }
      plan = planSweep(request);
    }
    const available = this.trainer.available();
    if (available) {
      for (const run of plan.runs) {
        const refusal = planTraining(run.settings, available).refusal;
        if (refusal) {
          return { problem: `A run of this plan cannot train: ${refusal.message}` };
        }
      }
    }
    return { plan };
  }

  /** The forecast of `plan`: runs, time, and what the run-history limit will delete. */
  forecast(plan: ExperimentPlan): string {
    const runs = this.history?.runs ?? [];
    const limit = this.history?.limit ?? Infinity;
    const kept = runs.map((r) => ({ id: r.id, selected: r.selected, groupId: r.run.group?.id }));
    const available = this.trainer.available();
    const model = plan.runs[0].settings.model;
    const seconds = available
      ? estimatePlanSeconds(plan, (run) => trainingCost(run.settings, available), historySecondsPerCost(runs, model))
      : undefined;
    const time =
      seconds === undefined
        ? 'The time it takes is estimated once a run of this model has finished.'
        : `Training takes ${aboutDuration(seconds)}, judged from the last runs.`;
    const limitText = Number.isFinite(limit)
      ? describeForecast(forecastDrops(kept, plan.runs.length, limit), plan.runs.length, limit, runs.length)
      : `${plan.runs.length} runs to train.`;
    return `${limitText} ${time}`;
  }

  private judge(draft: ExperimentDraft): void {
    const outcome = this.plan(draft);
    this.view.showVerdict(
      draft.kind,
      outcome.plan ? { forecast: this.forecast(outcome.plan) } : { problem: outcome.problem },
    );
  }

  /** Trains `plan` to its end, its stop or its first failure. */
  async run(plan: ExperimentPlan): Promise<void> {
    const available = this.trainer.available();
    if (this.queue || !available) {
      return;
    }
    const cost = (run: PlannedRun) => trainingCost(run.settings, available);
    const prior = historySecondsPerCost(this.history?.runs ?? [], plan.runs[0].settings.model);
    const queue = new ExperimentQueue(plan, cost, () => performance.now(), prior);
    this.queue = queue;
    this.host.log('info', `${plan.label}: ${plan.runs.length} runs planned. ${this.forecast(plan)}`);
    this.trainer.changed();
    const accuracies: number[] = [];
    const tick = setInterval(() => this.view.showProgress(queue.progress()), TICK_MS);
    try {
      this.view.showProgress(queue.progress());
      const ended = await runExperiment(queue, async (run) => {
        const info = { label: plan.label, run: queue.progress().run, runs: plan.runs.length };
        this.view.showProgress(queue.progress());
        const end = await this.trainer.train(run, info, () => queue.firstBatch());
        if (end.outcome === 'completed' && end.saved && end.testAccuracy !== undefined) {
          accuracies.push(end.testAccuracy);
        }
        return end;
      });
      this.finish(ended, plan.runs[0].group.kind === 'sweep' ? undefined : accuracies);
    } finally {
      clearInterval(tick);
      this.queue = undefined;
      this.trainer.changed();
    }
  }

  /** Stops the experiment after the run under way (which the page stops itself). */
  stop(): void {
    this.queue?.stop();
    if (this.queue) {
      this.view.showProgress(this.queue.progress());
    }
  }

  /** `accuracies` of a repeat's kept runs; undefined for a sweep, whose values are not one group. */
  private finish(ended: ExperimentProgress, accuracies: number[] | undefined): void {
    const summary = !accuracies
      ? `${ended.finished} run(s) kept; "7. Compare runs" has the chart and the table.`
      : accuracies.length > 0
        ? `Test accuracy ${formatMeanSd(summarize(accuracies))}${accuracies.length > 1 ? ' (mean ± sd)' : ''} over ${accuracies.length} run(s); "7. Compare runs" has them.`
        : 'No run was kept.';
    this.view.showProgress(ended, summary);
    if (ended.gapsMs.length) {
      this.host.log(
        'info',
        `${ended.label}: from one run's end to the next run's first batch took ${ended.gapsMs.map((ms) => Math.round(ms)).join(', ')} ms (the data set stays loaded between runs).`,
      );
    }
    const kind = ended.state === 'completed' ? 'success' : ended.state === 'failed' ? 'error' : 'warning';
    const what = { completed: 'done', stopped: 'stopped', failed: 'ended by a failed run', running: '', stopping: '' }[
      ended.state
    ];
    this.trainer.status(`${ended.label} ${what}: ${summary}`, kind);
  }
}
