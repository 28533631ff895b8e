// The classifier page: what the host says and what the learner clicks change one state value
// (PageState), from which the training section's controls are rendered; the sections show each
// step of the tutorial as it happens. Failures are shown where they happen, with the buttons that
// fix them.
import * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../src/shared/errorMessage';
import {
  createModel,
  describeModel,
  disposeModel,
  firstExamples,
  IMAGE_SIDE,
  PIXELS_PER_IMAGE,
  planTraining,
  PlanOutcome,
  StopSignal,
  type ExampleBytes,
} from '../src/shared/ml';
import type { Problem, UserAction } from '../src/shared/panelMessages';
import { assertNever, ClassifierProtocol, HostToClassifier } from '../src/shared/protocol';
import type { SavedRun } from '../src/shared/savedRun';
import type { TrainingSettings } from '../src/shared/settings';
import type { HostConnection } from './hostChannel';
import type { BackendName } from '../src/shared/backendPolicy';
import type { ActiveBackend } from './ml/backend';
import { BackendChooser, type CalibrationReport } from './ml/backendChooser';
import { DatasetCache } from './ml/datasetCache';
import { DatasetUrls, FileOrigin, LoadedDataset, loadDataset } from './ml/loadDataset';
import { runTraining } from './ml/runTraining';
import { trainerForRun } from './ml/workers/runTrainer';
import { showRunResults } from './presenters/runResults';
import { earlyStopMarks, presentOutcome, presentTraining, type ExperimentRun } from './presenters/trainingPresenter';
import { ExperimentPresenter } from './presenters/experimentPresenter';
import { planRepeatEach, type ExperimentPlan, type PlannedRun } from '../src/shared/experiments/experimentPlan';
import type { RunEnd } from '../src/shared/experiments/experimentQueue';
import type { ExperimentRunInfo } from '../src/shared/protocol';
import type { RunGroup } from '../src/shared/experiments/runGroup';
import type { TrainingOutcome } from './ml/runTraining';
import { OFFERED_REPEATS } from './views/noiseView';
import { markStartup } from './startupTimings';
import type { PanelViews } from './views/layout';
import { revealSection } from './views/sectionLinks';

const ORIGIN_NAMES: Record<FileOrigin, string> = {
  cache: "the panel's cache",
  compact: 'the compact copy',
  plain: 'the plain copy',
};

/** Training images shown in the data section, as in the tutorial's first figure. */
const SAMPLE_IMAGES = 25;

/** The status line while the training section says that an earlier page's run did not finish. */
const UNFINISHED_RUN_STATUS = 'The last run did not finish: "3. Train the model" says what became of it.';

/** How long an export may take: the host's save dialog waits for the person. */
const EXPORT_DEADLINE_MS = 10 * 60_000;

/** The data set in the page. */
type DataState =
  | { kind: 'waiting' }
  | { kind: 'loading' }
  | { kind: 'failed'; problem: Problem }
  | { kind: 'loaded'; dataset: LoadedDataset; source: string };

/** Training in the page. */
type RunState =
  /** `lastSettings`: what the last run trained with, for "Continue on WebAssembly" after a GPU loss. */
  | { kind: 'idle'; lastSettings?: TrainingSettings }
  | { kind: 'training'; settings: TrainingSettings; stop: StopSignal; stopping: boolean };

/** Everything the page is in: one value, changed only through `update`, which renders it. */
interface PageState {
  /** The settings in force; a run keeps the ones it started with. Absent until the host's `init`. */
  settings?: TrainingSettings;
  /** The backend the settings choose, being started or started. */
  backend?: { choice: TrainingSettings['backend']; ready: Promise<ActiveBackend | undefined> };
  data: DataState;
  run: RunState;
  /** The model whose results the sections show: the run just trained, or the saved run's once loaded. */
  shownModel?: Promise<tf.LayersModel>;
}

export class PanelController {
  private state: PageState = { data: { kind: 'waiting' }, run: { kind: 'idle' } };
  private readonly backends: BackendChooser;
  private readonly datasetCache = new DatasetCache();
  private readonly experiments: ExperimentPresenter;
  /** The training section says a run of an earlier page did not finish, until a run starts. */
  private unfinishedRunShown = false;
  /** Actions the page carries out itself; the rest go to the host. */
  private readonly act = (action: UserAction) =>
    action.kind === 'trainOnWasm' ? void this.startTraining('wasm') : this.host.act(action);

  constructor(
    private readonly views: PanelViews,
    wasmFolderUrl: string,
    private readonly host: HostConnection<ClassifierProtocol>,
  ) {
    this.backends = new BackendChooser(
      wasmFolderUrl,
      (report) => this.showCalibration(report),
      (error) => this.host.log('error', 'Timing the backends failed', error),
    );
    views.training.setState('loading');
    views.training.onMeasureAgain(() => void this.trainingBackend(true));
    views.training.onStart(() => void this.startTraining());
    views.training.onStop(() => this.stopTraining());
    views.model.onPresetChange((model) => this.host.post({ type: 'updateSetting', key: 'model', value: model }));
    views.model.hyperparameters.onChange((change) => this.host.post({ type: 'updateSetting', ...change }));
    views.model.hyperparameters.onReset(() => this.host.post({ type: 'resetSettings' }));
    views.runs.onSelect((id) => this.host.post({ type: 'selectRun', id }));
    views.runs.onDelete((id) => this.host.post({ type: 'deleteRun', id }));
    views.runs.onRunAgain((settings) => this.runAgain(settings));
    views.runs.onOpenNotebook((id) => this.host.post({ type: 'openRunNotebook', id }));
    views.runs.onRepeatRuns((runs) =>
      this.startExperiment(
        planRepeatEach(
          runs.map(({ run }) => ({ settings: run.settings })),
          OFFERED_REPEATS,
        ),
      ),
    );
    views.runs.onExport((ids, to) => void this.exportRuns(ids, to));
    this.experiments = new ExperimentPresenter(views.experiment, host, {
      settings: () => this.state.settings,
      available: () => {
        const dataset = this.dataset;
        return dataset && { train: dataset.train.labels.length, test: dataset.test.labels.length };
      },
      train: (run, info, firstBatch) => this.trainPlanned(run, info, firstBatch),
      changed: () => this.render(),
      status: (message, kind) => this.views.status.show(message, kind),
    });
    views.experiment.onStart((draft) => {
      const outcome = this.experiments.plan(draft);
      if (outcome.plan) {
        this.startExperiment(outcome.plan);
      } else {
        views.experiment.showVerdict(draft.kind, { problem: outcome.problem });
      }
    });
    views.experiment.onStop(() => this.stopTraining());
  }

  async handle(message: HostToClassifier): Promise<void> {
    switch (message.type) {
      case 'init':
        markStartup('init');
        this.backends.remember(message.calibrations);
        await this.applySettings(message.settings);
        if (message.savedRun) {
          await this.showSavedRun(message.savedRun, message.savedModelUrl);
        }
        break;
      case 'settingsChanged':
        await this.applySettings(message.settings);
        break;
      case 'datasetLoading':
        this.update({ data: { kind: 'loading' } });
        this.views.data.showLoading('Finding and checking the Fashion-MNIST files…');
        this.views.status.show('Finding and checking the Fashion-MNIST files…', 'busy');
        break;
      case 'datasetReady':
        markStartup('dataset-urls');
        await this.receiveDataset(message, message.sourceDescription);
        break;
      case 'datasetFailed':
        this.showDatasetProblem(message.problem);
        break;
      case 'stopTraining':
        this.stopTraining();
        break;
      case 'runs':
        this.views.runs.show(message);
        this.experiments.setHistory(message);
        break;
      case 'unsavedModel':
        this.showUnsavedModel(message.problem, message.savedRunId);
        break;
      case 'runUnfinished':
        // Stays until the next run starts, whatever the settings check says meanwhile.
        this.views.training.showProblem(message.problem, this.act, 'training');
        this.unfinishedRunShown = true;
        this.views.status.show(UNFINISHED_RUN_STATUS, 'warning');
        break;
      case 'revealSection':
        revealSection(message.section);
        break;
      default:
        assertNever(message);
    }
  }

  /** Changes the state and renders what depends on it: the training section's controls. */
  private update(change: Partial<PageState>): void {
    this.state = { ...this.state, ...change };
    this.render();
  }

  /** Start is enabled only with data and settings that can train; otherwise the training section says why. */
  private render(): void {
    const { run } = this.state;
    // Between two runs of an experiment nothing trains, but nothing may start either.
    const training = run.kind === 'training' || this.experiments.active;
    this.views.model.setPresetEnabled(!training);
    this.views.model.hyperparameters.setEnabled(!training);
    this.views.runs.setEnabled(!training);
    this.views.experiment.setReady(!training && this.dataset !== undefined && this.state.settings !== undefined);
    if (training) {
      this.views.training.setState(run.kind === 'training' && run.stopping ? 'stopping' : 'running');
      return;
    }
    const outcome = this.plan();
    if (!outcome) {
      this.views.training.clearStartProblem();
      this.views.training.setState('loading');
      return;
    }
    if (outcome.refusal) {
      const actions: UserAction[] = outcome.refusal.settings.length
        ? [{ kind: 'openSetting', setting: `fashionClassifier.${outcome.refusal.settings[0]}` }]
        : [{ kind: 'retryDataset' }];
      this.views.training.showProblem({ message: outcome.refusal.message, actions }, this.act, 'settings');
      this.views.training.setState('blocked');
      return;
    }
    this.views.training.clearStartProblem();
    this.views.training.setState('ready');
    markStartup('start-enabled');
  }

  /** The loaded data set, or undefined. */
  private get dataset(): LoadedDataset | undefined {
    return this.state.data.kind === 'loaded' ? this.state.data.dataset : undefined;
  }

  /** Settings take effect at once, except during a run, which keeps the ones it started with. */
  private async applySettings(settings: TrainingSettings): Promise<void> {
    if (this.state.run.kind === 'training' || this.experiments.active) {
      this.state = { ...this.state, settings };
      return;
    }
    const backend =
      this.state.backend?.choice === settings.backend
        ? this.state.backend
        : // Not awaited here: the backend initialises while the data set loads.
          { choice: settings.backend, ready: this.chooseBackend(settings.backend) };
    this.update({ settings, backend });
    this.views.experiment.setSettings(settings);
    void backend.ready.then((started) => started && this.showModel(settings));
    this.showDataSummary();
    this.prepareTrainingBackend();
  }

  /**
   * With "auto", times the backends for the settings as soon as training images are here, so
   * that Start trains at once. Not while a run trains: it switches TF.js' backend.
   */
  private prepareTrainingBackend(): void {
    if (
      this.dataset &&
      this.state.settings?.backend === 'auto' &&
      this.state.run.kind === 'idle' &&
      this.plan()?.plan
    ) {
      void this.trainingBackend();
    }
  }

  /** The backend the next run trains on (for "auto": measured, or known from an earlier measurement). */
  private async trainingBackend(measureAgain = false): Promise<ActiveBackend | undefined> {
    const initial = await this.state.backend?.ready;
    const { settings } = this.state;
    const dataset = this.dataset;
    if (!initial || !settings || !dataset) {
      return initial;
    }
    try {
      return await this.backends.forTraining(settings, dataset.train, measureAgain);
    } catch (error) {
      // The backend that started stays; the run trains on it.
      this.host.log('warn', `Timing the backends failed; training stays on ${initial.name}`, error);
      return initial;
    }
  }

  private showCalibration(report: CalibrationReport): void {
    markStartup('backends-timed');
    const backend = report.calibration.choice;
    this.views.training.showBackend({
      name: backend,
      renderer: backend === 'webgl' ? (report.glRenderer ?? undefined) : undefined,
      calibration: report,
    });
    this.host.post({ type: 'backendCalibrated', ...report });
  }

  /** The model summary for `settings`, unless newer settings came meanwhile. TF.js needs its backend for it. */
  private showModel(settings: TrainingSettings): void {
    if (settings !== this.state.settings) {
      return;
    }
    const model = createModel(settings);
    this.views.model.show(describeModel(model), settings);
    disposeModel(model);
  }

  /** The backend for `choice`, or undefined (the training section then says why) when none starts. */
  private async chooseBackend(choice: TrainingSettings['backend']): Promise<ActiveBackend | undefined> {
    try {
      const backend = await this.backends.activate(choice);
      markStartup('backend-ready');
      this.views.training.showBackend({
        name: backend.name,
        renderer: backend.glRenderer ?? undefined,
        reason: backend.reason,
      });
      this.host.post({
        type: 'backendChosen',
        backend: backend.name,
        glRenderer: backend.glRenderer,
        reason: backend.reason,
      });
      if (backend.slowKernels.length) {
        this.host.log(
          'warn',
          `This TensorFlow.js lacks what the faster WASM kernels need (${backend.slowKernels.join(', ')}); training uses its own, slower ones`,
        );
      }
      return backend;
    } catch (error) {
      this.host.log('error', 'No TensorFlow.js backend could start', error);
      const problem: Problem = {
        message: `TensorFlow.js could not start on any backend (WebGL, WebAssembly or the CPU): ${errorMessage(error)} Reload the window to try again; the log has the details.`,
        actions: [{ kind: 'showLog' }],
      };
      this.views.training.showProblem(problem, this.act, 'backend');
      return undefined;
    }
  }

  private async receiveDataset(urls: DatasetUrls, source: string): Promise<void> {
    try {
      this.views.data.showLoading('Loading the images…');
      this.views.status.show('Loading the images…', 'busy');
      const started = performance.now();
      const dataset = await loadDataset(urls, {
        cache: this.datasetCache,
        onFallback: (file, reason) =>
          this.host.log('warn', `${file} was not used (${reason}); loaded another copy instead`),
      });
      markStartup('dataset-loaded');
      this.host.log(
        'info',
        `Data set loaded into the panel in ${Math.round(performance.now() - started)} ms, every file checked ` +
          `(${Object.entries(dataset.origins)
            .map(([role, origin]) => `${role} from ${ORIGIN_NAMES[origin]}`)
            .join(', ')}).`,
      );
      this.update({ data: { kind: 'loaded', dataset, source } });
      this.showDataSummary();
      const samples = firstExamples(dataset.train, SAMPLE_IMAGES);
      this.views.data.showSamples(
        Array.from(samples.labels, (label, i) => ({
          label,
          pixels: samples.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE),
        })),
      );
      this.prepareTrainingBackend();
      if (this.state.run.kind === 'idle') {
        if (this.unfinishedRunShown) {
          this.views.status.show(UNFINISHED_RUN_STATUS, 'warning');
        } else {
          this.views.status.show('Ready to train: choose "Start training".', 'info');
        }
      }
    } catch (error) {
      this.host.log('error', 'Loading the data set into the panel failed', error);
      this.showDatasetProblem({
        message: `The data set files were verified but could not be loaded into the panel: ${errorMessage(error)} Choose Retry to load them again; the log has the details.`,
        actions: [{ kind: 'retryDataset' }, { kind: 'showLog' }],
      });
    }
  }

  private showDatasetProblem(problem: Problem): void {
    this.update({ data: { kind: 'failed', problem } });
    this.views.data.showProblem(problem, this.act);
    // The status line points at the section rather than repeating it.
    this.views.status.show('The data set is not loaded: "1. Explore the data" says why and what to do.', 'error');
  }

  /** The plan for `settings` on the loaded data set, or why there is none. */
  private plan(settings = this.state.settings): PlanOutcome | undefined {
    const dataset = this.dataset;
    if (!dataset || !settings) {
      return undefined;
    }
    return planTraining(settings, { train: dataset.train.labels.length, test: dataset.test.labels.length });
  }

  private showDataSummary(): void {
    const outcome = this.plan();
    if (!outcome?.plan || this.state.data.kind !== 'loaded') {
      return;
    }
    const { plan } = outcome;
    this.views.data.showSummary({
      trainCount: plan.usedCount,
      testCount: plan.testCount,
      validationCount: plan.validationCount,
      rows: IMAGE_SIDE,
      cols: IMAGE_SIDE,
      source: this.state.data.source,
    });
  }

  private async showSavedRun(run: SavedRun, modelUrl: string | undefined): Promise<void> {
    const when = new Date(run.finishedAt).toLocaleString();
    this.views.status.show(`Showing the saved model's run of ${when}. Start training to replace it.`, 'info');
    this.releaseModel();
    // Loaded only if the learner looks inside the evaluation or the network, or asks why.
    const model = modelUrl
      ? () => {
          const loading = this.state.shownModel ?? tf.loadLayersModel(modelUrl);
          this.state = { ...this.state, shownModel: loading };
          return loading;
        }
      : undefined;
    showRunResults(this.views, {
      evaluation: run.evaluation,
      trainAccuracy: run.history.at(-1)?.accuracy,
      predictions: run.predictions.map((p) => ({ ...p, pixels: Uint8Array.from(p.pixels) })),
      model,
      testImages: () => this.testImagesOf(run),
      testCount: run.testCount,
      inMemory: false,
    });
    await this.views.training.showHistory(
      run.history,
      run.settings.epochs,
      run.batchCurve,
      run.earlyStop ? earlyStopMarks(run.earlyStop) : [],
    );
  }

  /**
   * "Run again with this seed": trains a kept run's own settings, seed and backend, and leaves
   * the person's settings alone. Repeating a run is what the button promises; writing its seed
   * into the settings would silently give every later run that same seed.
   */
  private runAgain(settings: TrainingSettings): void {
    if (!this.dataset) {
      this.views.status.show(
        'The data set is still loading: choose "Run again with this seed" once it is ready.',
        'info',
      );
      return;
    }
    void this.startTraining(settings.backend === 'auto' ? undefined : settings.backend, settings);
  }

  /**
   * Trains with the settings, or, after the GPU was lost, the lost run's settings again on
   * `backend` ("Continue on WebAssembly" says so, whatever was changed in between), or the
   * `chosen` settings of a run trained again.
   */
  private async startTraining(backend?: BackendName, chosen?: TrainingSettings): Promise<void> {
    const { run: current } = this.state;
    const base =
      chosen ??
      (backend && current.kind === 'idle' ? (current.lastSettings ?? this.state.settings) : this.state.settings);
    if (current.kind !== 'idle' || this.experiments.active || !base) {
      return;
    }
    markStartup('start-clicked');
    const ended = await this.trainOne(backend ? { ...base, backend } : base, backend);
    if (ended) {
      // Settings changed during the run apply now.
      await this.applySettings(this.state.settings ?? base);
    }
  }

  /** Starts a repeat or sweep, unless something trains already. */
  private startExperiment(plan: ExperimentPlan): void {
    if (this.state.run.kind !== 'idle' || this.experiments.active || !this.dataset) {
      return;
    }
    void this.experiments
      .run(plan)
      .catch((error) => {
        this.host.log('error', `${plan.label} failed`, error);
        this.views.status.show(`${plan.label} failed: ${errorMessage(error)} The log has the details.`, 'error');
      })
      // Settings changed during the experiment apply now.
      .then(() => this.applySettings(this.state.settings ?? plan.runs[0].settings));
  }

  /** One run of a repeat or sweep: its own settings (seed included), on its own backend when it names one. */
  private async trainPlanned(run: PlannedRun, info: ExperimentRunInfo, firstBatch: () => void): Promise<RunEnd> {
    const backend = run.settings.backend === 'auto' ? undefined : run.settings.backend;
    const ended = await this.trainOne(run.settings, backend, { group: run.group, info, firstBatch });
    if (!ended) {
      return { outcome: 'failed', saved: false };
    }
    return ended.outcome === 'completed'
      ? { outcome: 'completed', saved: !ended.unsaved, testAccuracy: ended.testAccuracy }
      : { outcome: ended.outcome, saved: false };
  }

  /**
   * Trains `settings` once (on `backend` when given, else the one the settings choose) and shows
   * how it ended; undefined when it could not start.
   */
  private async trainOne(
    settings: TrainingSettings,
    backend: BackendName | undefined,
    experiment?: ExperimentRun & { group: RunGroup },
  ): Promise<TrainingOutcome | undefined> {
    const outcome = this.plan(settings);
    const dataset = this.dataset;
    if (this.state.run.kind !== 'idle' || !dataset || !this.state.backend || !outcome?.plan) {
      return undefined;
    }
    const stop = new StopSignal();
    this.releaseModel();
    this.update({ run: { kind: 'training', settings, stop, stopping: false } });
    this.unfinishedRunShown = false;
    // The previous run's "Done" must not stand while the backend and model get ready.
    this.views.status.show('Starting training…', 'busy');
    this.views.training.showProblem(undefined);
    this.views.evaluation.clear();
    this.views.predictions.clear();
    this.views.inside.training();
    const ended = await runTraining(
      {
        dataset,
        settings,
        plan: outcome.plan,
        backend: backend ? this.backends.activate(backend) : this.trainingBackend(),
        stopSignal: stop,
        trainerFor: (active, seeded) =>
          trainerForRun(active, seeded, {
            log: (level, message) => this.host.log(level, message),
            show: (note) => this.views.training.showWorkers(note),
          }),
        ...(experiment ? { group: experiment.group } : {}),
      },
      presentTraining(this.views, this.host, settings, outcome.plan, experiment),
    );
    if (ended.outcome === 'failed') {
      this.host.log('error', 'Training failed', ended.error);
    }
    presentOutcome(this.views, ended, settings.epochs);
    const problem =
      ended.outcome === 'failed' ? ended.problem : ended.outcome === 'completed' ? ended.unsaved : undefined;
    this.update({
      run: { kind: 'idle', lastSettings: settings },
      shownModel: ended.outcome === 'completed' ? Promise.resolve(ended.model) : undefined,
    });
    if (problem) {
      this.views.training.showProblem(problem, this.act, 'training');
    }
    this.host.post({
      type: 'trainingEnded',
      outcome: ended.outcome,
      problem,
      testAccuracy: ended.outcome === 'completed' ? ended.testAccuracy : undefined,
    });
    return ended;
  }

  /** Saves or copies the ticked runs as CSV through the host, and says what became of it. */
  private async exportRuns(ids: string[], to: 'file' | 'clipboard'): Promise<void> {
    try {
      const reply = await this.host.request('exportRuns', { ids, to }, EXPORT_DEADLINE_MS);
      const text =
        reply.done === 'saved'
          ? `Saved ${reply.runs} run(s) as CSV to ${reply.path}.`
          : reply.done === 'copied'
            ? `Copied ${reply.runs} run(s) as CSV.`
            : 'Saving as CSV was cancelled.';
      this.views.runs.showExportResult(text, 'done');
    } catch (error) {
      this.views.runs.showExportResult(`The runs could not be exported: ${errorMessage(error)}`, 'error');
    }
  }

  /** A model the host could not store: why (with Save again and Export…), or that it is saved now. */
  private showUnsavedModel(problem: Problem | undefined, savedRunId: string | undefined): void {
    if (problem) {
      this.views.training.showProblem(problem, this.act, 'training');
      return;
    }
    this.views.training.showProblem(undefined);
    if (savedRunId) {
      this.views.status.show(
        `The model is saved now (run ${savedRunId}); right-click an image and choose "Classify image".`,
        'success',
      );
    }
  }

  /** The test images a run was evaluated on (the first `testCount`), once the data set is loaded. */
  private testImagesOf(run: SavedRun): ExampleBytes {
    const dataset = this.dataset;
    if (!dataset) {
      throw new Error('The test images are still loading; try again in a moment.');
    }
    return firstExamples(dataset.test, run.testCount);
  }

  /** Frees the model behind the results shown, when another takes its place. */
  private releaseModel(): void {
    void this.state.shownModel?.then(disposeModel, () => undefined);
    this.state = { ...this.state, shownModel: undefined };
  }

  private stopTraining(): void {
    this.experiments.stop();
    const { run } = this.state;
    if (run.kind === 'training') {
      run.stop.stop();
      this.update({ run: { ...run, stopping: true } });
    }
  }
}
