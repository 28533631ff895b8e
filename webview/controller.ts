// The panel's state machine: what the host says, what the learner clicks, and which step of the
// tutorial the page shows. Failures are shown where they happen, with the buttons that fix them.
import {
  createModel,
  describeModel,
  disposeModel,
  firstExamples,
  IMAGE_SIDE,
  PIXELS_PER_IMAGE,
  planTraining,
  PlanOutcome,
  type ExampleBytes,
} from '../src/shared/ml';
import { errorMessage } from '../src/shared/errorMessage';
import type { Problem, UserAction } from '../src/shared/panelMessages';
import { assertNever, HostToWebview, WebviewToHost } from '../src/shared/protocol';
import type { SavedRun } from '../src/shared/savedRun';
import type { TrainingSettings } from '../src/shared/settings';
import type { HostConnection } from './hostChannel';
import type { ActiveBackend } from './ml/backend';
import { BackendChooser, type CalibrationReport } from './ml/backendChooser';
import * as tf from '@tensorflow/tfjs';
import { DatasetCache } from './ml/datasetCache';
import { TestSetInspector } from './ml/testSetInspector';
import { occlusionSaliency } from '../src/shared/ml/saliency';
import { insideModel } from './ml/insideModel';
import { DatasetUrls, FileOrigin, LoadedDataset, loadDataset } from './ml/loadDataset';
import { earlyStopMarks, TrainingRun } from './ml/trainingRun';
import { markStartup } from './startupTimings';
import type { CardPicture } from './views/insideView';
import type { PanelViews } from './views/layout';

const ORIGIN_NAMES: Record<FileOrigin, string> = {
  cache: "the panel's cache",
  compact: 'the compact copy',
  plain: 'the plain copy',
};

/** Training images shown in the data section, as in the tutorial's first figure. */
const SAMPLE_IMAGES = 25;

export class PanelController {
  private settings: TrainingSettings | undefined;
  private backend: Promise<ActiveBackend | undefined> | undefined;
  private backendChoice: TrainingSettings['backend'] | undefined;
  private readonly backends: BackendChooser;
  private dataset: LoadedDataset | undefined;
  private datasetSource = '';
  private run: TrainingRun | undefined;
  /** The settings the last run started with, for "Continue on WebAssembly". */
  private lastRunSettings: TrainingSettings | undefined;
  /** The model whose evaluation the panel shows: the run just trained, or the saved run's once loaded. */
  private model: Promise<tf.LayersModel> | undefined;
  /** Actions the page carries out itself; the rest go to the host. */
  private readonly act = (action: UserAction) =>
    action.kind === 'trainOnWasm' ? void this.startTraining('wasm') : this.host.act(action);
  private readonly datasetCache = new DatasetCache();

  constructor(
    private readonly views: PanelViews,
    wasmFolderUrl: string,
    private readonly host: HostConnection<WebviewToHost>,
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
    views.runs.onOpenNotebook((id) => this.host.post({ type: 'openRunNotebook', id }));
  }

  async handle(message: HostToWebview): Promise<void> {
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
        this.dataset = undefined;
        this.views.data.showLoading('Finding and checking the Fashion-MNIST files…');
        this.views.status.show('Finding and checking the Fashion-MNIST files…', 'busy');
        this.refreshTrainingState();
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
        break;
      case 'modelSaved':
        // A reply: hostChannel settles the request it answers before messages reach here.
        break;
      default:
        assertNever(message);
    }
  }

  /** Settings take effect at once, except during a run, which keeps the ones it started with. */
  private async applySettings(settings: TrainingSettings): Promise<void> {
    this.settings = settings;
    if (this.run) {
      return;
    }
    if (settings.backend !== this.backendChoice || !this.backend) {
      this.backendChoice = settings.backend;
      // Not awaited here: the backend initialises while the data set loads.
      this.backend = this.chooseBackend(settings.backend);
    }
    void this.backend.then((backend) => backend && this.showModel(settings));
    this.showDataSummary();
    this.refreshTrainingState();
    this.prepareTrainingBackend();
  }

  /**
   * With "auto", times the backends for the settings as soon as training images are here, so
   * that Start trains at once. Not while a run trains: it switches TF.js' backend.
   */
  private prepareTrainingBackend(): void {
    if (this.dataset && this.settings?.backend === 'auto' && !this.run && this.plan()?.plan) {
      void this.trainingBackend();
    }
  }

  /** The backend the next run trains on (for "auto": measured, or known from an earlier measurement). */
  private async trainingBackend(measureAgain = false): Promise<ActiveBackend | undefined> {
    const initial = await this.backend;
    if (!initial || !this.settings || !this.dataset) {
      return initial;
    }
    try {
      return await this.backends.forTraining(this.settings, this.dataset.train, measureAgain);
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
    if (settings !== this.settings) {
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
      this.dataset = await loadDataset(urls, {
        cache: this.datasetCache,
        onFallback: (file, reason) =>
          this.host.log('warn', `${file} was not used (${reason}); loaded another copy instead`),
      });
      markStartup('dataset-loaded');
      this.host.log(
        'info',
        `Data set loaded into the panel in ${Math.round(performance.now() - started)} ms, every file checked ` +
          `(${Object.entries(this.dataset.origins)
            .map(([role, origin]) => `${role} from ${ORIGIN_NAMES[origin]}`)
            .join(', ')}).`,
      );
      this.datasetSource = source;
      this.showDataSummary();
      const samples = firstExamples(this.dataset.train, SAMPLE_IMAGES);
      this.views.data.showSamples(
        Array.from(samples.labels, (label, i) => ({
          label,
          pixels: samples.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE),
        })),
      );
      this.refreshTrainingState();
      this.prepareTrainingBackend();
      if (!this.run) {
        this.views.status.show('Ready to train: choose "Start training".', 'info');
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
    this.dataset = undefined;
    this.views.data.showProblem(problem, this.act);
    // The status line points at the section rather than repeating it.
    this.views.status.show('The data set is not loaded: "1. Explore the data" says why and what to do.', 'error');
    this.refreshTrainingState();
  }

  /** The plan for the current settings on the loaded data set, or why there is none. */
  private plan(settings = this.settings): PlanOutcome | undefined {
    if (!this.dataset || !settings) {
      return undefined;
    }
    return planTraining(settings, {
      train: this.dataset.train.labels.length,
      test: this.dataset.test.labels.length,
    });
  }

  /** Start is enabled only with data and settings that can train; otherwise the training section says why. */
  private refreshTrainingState(): void {
    if (this.run) {
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

  private showDataSummary(): void {
    const outcome = this.plan();
    if (!outcome?.plan) {
      return;
    }
    const { plan } = outcome;
    this.views.data.showSummary({
      trainCount: plan.usedCount,
      testCount: plan.testCount,
      validationCount: plan.validationCount,
      rows: IMAGE_SIDE,
      cols: IMAGE_SIDE,
      source: this.datasetSource,
    });
  }

  private async showSavedRun(run: SavedRun, modelUrl: string | undefined): Promise<void> {
    const when = new Date(run.finishedAt).toLocaleString();
    this.views.status.show(`Showing the saved model's run of ${when}. Start training to replace it.`, 'info');
    this.releaseModel();
    // Loaded only if the learner looks inside the evaluation or the network, or asks why.
    const model = modelUrl ? () => (this.model ??= tf.loadLayersModel(modelUrl)) : undefined;
    const inspector = model && new TestSetInspector(model, () => this.testImagesOf(run));
    const explain = model && (async (pixels: Uint8Array) => occlusionSaliency(await model(), pixels));
    const showInside = model && ((picture: CardPicture) => this.views.inside.lookAt(picture));
    if (model) {
      this.views.inside.show(
        insideModel(model, () => this.testImagesOf(run), run.testCount),
        false,
      );
    } else {
      this.views.inside.clear();
    }
    this.views.evaluation.show(
      run.evaluation,
      run.history.at(-1)?.accuracy,
      inspector && { loadCell: (...cell) => inspector.cellPage(...cell), explain, showInside },
    );
    this.views.predictions.show(
      run.predictions.map((p) => ({ ...p, pixels: Uint8Array.from(p.pixels) })),
      { explain, showInside },
    );
    await this.views.training.showHistory(
      run.history,
      run.settings.epochs,
      run.batchCurve,
      run.earlyStop ? earlyStopMarks(run.earlyStop) : [],
    );
  }

  /**
   * Trains with the settings, or, after the GPU was lost, the lost run's settings again on
   * `backend` ("Continue on WebAssembly" says so, whatever was changed in between).
   */
  private async startTraining(backend?: 'wasm'): Promise<void> {
    const base = backend ? (this.lastRunSettings ?? this.settings) : this.settings;
    const outcome = base && this.plan(base);
    if (this.run || !this.dataset || !base || !this.backend || !outcome?.plan) {
      return;
    }
    markStartup('start-clicked');
    const settings = backend ? { ...base, backend } : base;
    this.lastRunSettings = settings;
    this.views.training.setState('running');
    this.views.model.setPresetEnabled(false);
    this.views.model.hyperparameters.setEnabled(false);
    this.views.runs.setEnabled(false);
    this.views.training.showProblem(undefined);
    this.views.evaluation.clear();
    this.views.predictions.clear();
    this.views.inside.training();
    this.releaseModel();
    const run = new TrainingRun(this.dataset, settings, outcome.plan, this.views, this.host);
    this.run = run;
    const ended = await run.run(backend ? this.backends.activate(backend) : this.trainingBackend());
    const trained = run.takeModel();
    this.model = trained && Promise.resolve(trained);
    this.run = undefined;
    this.views.model.setPresetEnabled(true);
    this.views.model.hyperparameters.setEnabled(true);
    this.views.runs.setEnabled(true);
    if (ended.problem) {
      this.views.training.showProblem(ended.problem, this.act, 'training');
    }
    this.host.post({ type: 'trainingEnded', ...ended });
    // Settings changed during the run apply now.
    await this.applySettings(this.settings ?? settings);
  }

  /** The test images a run was evaluated on (the first `testCount`), once the data set is loaded. */
  private testImagesOf(run: SavedRun): ExampleBytes {
    if (!this.dataset) {
      throw new Error('The test images are still loading; try again in a moment.');
    }
    return firstExamples(this.dataset.test, run.testCount);
  }

  /** Frees the model behind the evaluation shown, when another takes its place. */
  private releaseModel(): void {
    void this.model?.then(disposeModel, () => undefined);
    this.model = undefined;
  }

  private stopTraining(): void {
    if (this.run) {
      this.views.training.setState('stopping');
      this.run.stop();
    }
  }
}
