// The panel's state machine: what the host says, what the learner clicks, and which step of the
// tutorial the page shows.
import { assertNever, HostToWebview } from '../src/shared/protocol';
import {
  createModel,
  describeModel,
  disposeModel,
  firstExamples,
  IMAGE_SIDE,
  PIXELS_PER_IMAGE,
  splitExamples,
} from '../src/shared/ml';
import type { SavedRun } from '../src/shared/savedRun';
import type { TrainingSettings } from '../src/shared/settings';
import { settleReply } from './hostRequests';
import { activateBackend, ActiveBackend } from './ml/backend';
import { LoadedDataset, loadDataset } from './ml/loadDataset';
import { TrainingRun } from './ml/trainingRun';
import type { PanelViews } from './views/layout';
import { vscode } from './vscodeApi';
import { errorMessage } from '../src/shared/errorMessage';

/** Training images shown in the data section, as in the tutorial's first figure. */
const SAMPLE_IMAGES = 25;

export class PanelController {
  private settings: TrainingSettings | undefined;
  private backend: ActiveBackend | undefined;
  private dataset: LoadedDataset | undefined;
  private datasetSource = '';
  private run: TrainingRun | undefined;

  constructor(
    private readonly views: PanelViews,
    private readonly wasmFolderUrl: string,
  ) {
    views.training.setState('loading');
    views.training.onStart(() => void this.startTraining());
    views.training.onStop(() => this.stopTraining());
  }

  async handle(message: HostToWebview): Promise<void> {
    switch (message.type) {
      case 'init':
        await this.applySettings(message.settings);
        if (message.savedRun) {
          await this.showSavedRun(message.savedRun);
        }
        break;
      case 'settingsChanged':
        await this.applySettings(message.settings);
        break;
      case 'datasetLoading':
        this.views.status.show('Finding and checking the Fashion-MNIST files…', 'busy');
        break;
      case 'datasetReady':
        await this.receiveDataset(message.urls, message.sourceDescription);
        break;
      case 'datasetFailed':
        this.views.status.show(message.message, 'error');
        break;
      case 'stopTraining':
        this.stopTraining();
        break;
      case 'modelSaved':
        settleReply(message);
        break;
      default:
        assertNever(message);
    }
  }

  /** Settings take effect at once, except during a run, which keeps the ones it started with. */
  private async applySettings(settings: TrainingSettings): Promise<void> {
    const backendChanged = settings.backend !== this.settings?.backend;
    this.settings = settings;
    if (this.run) {
      return;
    }
    if (backendChanged) {
      this.backend = await activateBackend(settings.backend, this.wasmFolderUrl);
      this.views.training.showBackend({
        name: this.backend.name,
        renderer: this.backend.glRenderer ?? undefined,
        reason: this.backend.reason,
      });
    }
    const model = createModel(settings);
    this.views.model.show(describeModel(model), settings);
    disposeModel(model);
    this.showDataSummary();
  }

  private async receiveDataset(urls: Parameters<typeof loadDataset>[0], source: string): Promise<void> {
    try {
      this.views.status.show('Loading the images…', 'busy');
      this.dataset = await loadDataset(urls);
      this.datasetSource = source;
      this.showDataSummary();
      const samples = firstExamples(this.dataset.train, SAMPLE_IMAGES);
      this.views.data.showSamples(
        Array.from(samples.labels, (label, i) => ({
          label,
          pixels: samples.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE),
        })),
      );
      if (!this.run) {
        this.views.training.setState('ready');
        this.views.status.show('Ready to train: choose "Start training".', 'info');
      }
    } catch (error) {
      const reason = errorMessage(error);
      this.views.status.show(
        `The data set could not be loaded: ${reason} Close this panel and run "Train Fashion Classifier" again to retry.`,
        'error',
      );
    }
  }

  private showDataSummary(): void {
    if (!this.dataset || !this.settings) {
      return;
    }
    const train = firstExamples(this.dataset.train, this.settings.trainSubsetSize);
    const split = splitExamples(train, this.settings.validationSplit);
    this.views.data.showSummary({
      trainCount: train.labels.length,
      testCount: firstExamples(this.dataset.test, this.settings.testSubsetSize).labels.length,
      validationCount: split.validation?.labels.length ?? 0,
      rows: IMAGE_SIDE,
      cols: IMAGE_SIDE,
      source: this.datasetSource,
    });
  }

  private async showSavedRun(run: SavedRun): Promise<void> {
    const when = new Date(run.finishedAt).toLocaleString();
    this.views.status.show(`Showing the saved model's run of ${when}. Start training to replace it.`, 'info');
    this.views.evaluation.show(run.evaluation, run.history.at(-1)?.accuracy);
    this.views.predictions.show(run.predictions.map((p) => ({ ...p, pixels: Uint8Array.from(p.pixels) })));
    await this.views.training.showHistory(run.history, run.settings.epochs);
  }

  private async startTraining(): Promise<void> {
    if (this.run || !this.dataset || !this.settings || !this.backend) {
      return;
    }
    this.views.training.setState('running');
    this.views.evaluation.clear();
    this.views.predictions.clear();
    await this.views.training.showHistory([], this.settings.epochs);
    const run = new TrainingRun(this.dataset, this.settings, this.backend.name, this.views);
    this.run = run;
    let outcome: 'completed' | 'stopped' | 'failed';
    let failure: string | undefined;
    try {
      outcome = await run.run();
    } catch (error) {
      outcome = 'failed';
      // The stack goes to the webview's developer tools for whoever debugs it.
      console.error(error);
      failure = errorMessage(error);
      this.views.training.showProgress(null, 'Training failed.');
      this.views.status.show(`Training failed: ${failure} The model saved before (if any) is unchanged.`, 'error');
    }
    this.run = undefined;
    this.views.training.setState('ready');
    vscode.postMessage({ type: 'trainingEnded', outcome, message: failure });
    // Settings changed during the run apply now.
    if (this.settings) {
      await this.applySettings(this.settings);
    }
  }

  private stopTraining(): void {
    if (this.run) {
      this.views.training.setState('stopping');
      this.run.stop();
    }
  }
}
