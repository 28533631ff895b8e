import { join } from 'node:path';
import * as vscode from 'vscode';
import { keepCalibration, keptCalibrations } from '../calibrationStore';
import { CONFIG_SECTION, onTrainingSettingsChanged, readTrainingSettings } from '../config';
import { describeCalibration } from '../shared/backendCalibration';
import { OPEN_RUN_NOTEBOOK_COMMAND } from '../commands/openRunNotebook';
import { log, logError } from '../log';
import { RUNS_FOLDER, type ModelStore, type ModelToSave, type WeightSpec } from '../model/modelStore';
import { DATASET_FOLDER } from '../shared/datasetFiles';
import type { PanelSection } from '../shared/panelSections';
import { errorMessage } from '../shared/errorMessage';
import { formatEpochMetrics } from '../shared/ml/history';
import type { UserAction } from '../shared/panelMessages';
import { CLASSIFIER_CHECKS } from '../shared/messageChecks';
import type { RequestMessage } from '../shared/messaging';
import {
  assertNever,
  ClassifierProtocol,
  ClassifierRequests,
  ClassifierToHost,
  HostToClassifier,
  RunsMessage,
  SaveModelReply,
} from '../shared/protocol';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { openModelStore, runHistoryLimit } from '../storage';
import { showProblemNotification } from '../userActions';
import { noteWalkthroughProgress } from '../walkthrough/progress';
import { datasetMessageFor } from './datasetForPanel';
import { exportRuns } from './runExport';
import { CLASSIFIER_PAGE } from './pagePolicy';
import { PanelDefinition, PanelHost, PanelSlot } from './PanelHost';
import { RunInProgressRecord } from './runInProgress';
import { TrainingNotification } from './trainingNotification';
import { TrainingStatusBar } from './trainingStatusBar';
import { UnsavedModel } from './unsavedModel';

const DEFINITION: PanelDefinition = {
  viewType: 'fashionClassifier.classifier',
  title: 'Fashion Classifier',
  name: 'classifier',
  showOptions: vscode.ViewColumn.Active,
  page: CLASSIFIER_PAGE,
  // The verified data set files the panel fetches, and the runs whose models it looks inside.
  storageFolders: [DATASET_FOLDER, RUNS_FOLDER],
  // A training run lives in the page; without this, switching tabs would end it.
  retainContextWhenHidden: true,
};

/** The "Train Fashion Classifier" panel: one at a time, brought forward when asked for again. */
export class ClassifierPanel extends PanelHost<ClassifierProtocol> {
  static readonly viewType = DEFINITION.viewType;
  /** The open panel; after a window reload, the one VS Code restores, showing the last saved run. */
  static readonly slot = new PanelSlot(DEFINITION, (panel, context) => new ClassifierPanel(panel, context));

  private training: TrainingNotification | undefined;
  /** Epoch and accuracy in the status bar while training, also when the panel is hidden. */
  private readonly statusBar = new TrainingStatusBar();
  /** The data set, being prepared from the moment the panel opens, while its page loads. */
  private dataset: ReturnType<typeof datasetMessageFor>;
  /** A trained model the store could not take, kept until it is saved or exported (see unsavedModel.ts). */
  private unsaved: UnsavedModel | undefined;
  /** The run the page trains, so that a page back after a reload or a close can say it did not finish. */
  private readonly runInProgress: RunInProgressRecord;

  private constructor(panel: vscode.WebviewPanel, context: vscode.ExtensionContext) {
    super(panel, context, DEFINITION, CLASSIFIER_CHECKS, {
      saveModel: (request) => this.save(request),
      exportRuns: async (request) => exportRuns(await openModelStore(this.context), request),
    });
    this.dataset = datasetMessageFor(context, panel.webview);
    this.runInProgress = new RunInProgressRecord(context.workspaceState);
    this.disposables.push(
      this.statusBar,
      onTrainingSettingsChanged(() => this.post({ type: 'settingsChanged', settings: readTrainingSettings() })),
      // The history says how many runs are kept, and an experiment what the limit will delete.
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${CONFIG_SECTION}.runHistoryLimit`)) {
          void this.sendRuns();
        }
      }),
    );
  }

  protected async onReady(send: (message: HostToClassifier) => void): Promise<void> {
    const saved = await openModelStore(this.context)
      .then((store) => store.selected())
      .catch((error: unknown) => {
        logError('Reading the saved run', error);
        return undefined;
      });
    send({
      type: 'init',
      settings: readTrainingSettings(),
      savedRun: saved?.run,
      savedModelUrl:
        saved && this.panel.webview.asWebviewUri(vscode.Uri.file(join(saved.folder, 'model.json'))).toString(),
      calibrations: keptCalibrations(this.context),
    });
    const noRuns: RunsMessage = { type: 'runs', runs: [], usageBytes: 0, limit: runHistoryLimit() };
    send(await this.runsMessage().catch(() => noRuns));
    if (this.unsaved) {
      send({ type: 'unsavedModel', problem: this.unsaved.problem });
    }
    const unfinished = await this.runInProgress.takeUnfinished().catch((error: unknown) => {
      logError('Reading the run in progress', error);
      return undefined;
    });
    if (unfinished) {
      log().warn(unfinished.message);
      send({ type: 'runUnfinished', problem: unfinished });
    }
    send({ type: 'datasetLoading' });
    send(await this.dataset);
  }

  protected override async onUserAction(action: UserAction): Promise<void> {
    if (action.kind === 'retryDataset') {
      log().info('Looking for the data set again (Retry).');
      this.post({ type: 'datasetLoading' });
      this.dataset = datasetMessageFor(this.context, this.panel.webview);
      this.post(await this.dataset);
      return;
    }
    if (action.kind === 'saveAgain') {
      await this.saveUnsavedAgain();
      return;
    }
    if (action.kind === 'exportUnsaved') {
      await this.unsaved?.export();
      return;
    }
    await super.onUserAction(action);
  }

  protected onMessage(message: ClassifierToHost): Promise<void> | void {
    this.statusBar.observe(message);
    noteWalkthroughProgress(message, this.context);
    switch (message.type) {
      case 'backendChosen':
        log().info(
          `Backend: ${message.backend} (${message.reason})${message.glRenderer ? `; WebGL renderer: ${message.glRenderer}` : ''}.`,
        );
        break;
      case 'backendCalibrated': {
        const { calibration, measuredMs } = message;
        const when =
          measuredMs === undefined ? `kept from ${calibration.measuredAt}` : `measured in ${Math.round(measuredMs)} ms`;
        log().info(
          `Backend for ${message.model} at batch size ${message.batchSize} chosen by timing (${when}): ` +
            `${describeCalibration(calibration, message.glRenderer)}.`,
        );
        if (measuredMs !== undefined) {
          return keepCalibration(this.context, message.key, calibration);
        }
        break;
      }
      case 'trainingStarted':
        log().info(
          `Training started on ${message.backend}: ${message.trainCount} training and ${message.validationCount} ` +
            `validation images, settings ${JSON.stringify(message.settings)}.`,
        );
        if (message.experiment) {
          const { label, run, runs } = message.experiment;
          log().info(`This is run ${run} of ${runs} of "${label}".`);
        }
        void this.runInProgress.started(message);
        this.training?.dispose();
        this.training = new TrainingNotification(
          message.settings.epochs,
          message.backend,
          () => this.post({ type: 'stopTraining' }),
          message.experiment,
        );
        break;
      case 'trainingProgress':
        this.training?.update(message);
        break;
      case 'epochEnded':
        log().info(`Epoch ${message.metrics.epoch} of ${message.epochs}: ${formatEpochMetrics(message.metrics)}.`);
        break;
      case 'trainingEnded':
        void this.runInProgress.ended();
        this.endTraining();
        if (message.outcome === 'completed') {
          log().info(
            `Training completed: test accuracy ${message.testAccuracy?.toFixed(4)}${message.problem ? ', but the model is not saved' : ''}.`,
          );
        } else if (message.outcome === 'stopped') {
          log().info('Training stopped; the saved model is unchanged.');
        } else if (message.problem) {
          // The panel shows it; a notification too when the panel is out of sight.
          if (!this.panel.visible) {
            void showProblemNotification(message.problem);
          }
        }
        break;
      case 'updateSetting':
        return this.updateSetting(message.key, message.value);
      case 'resetSettings':
        return this.resetSettings();
      case 'selectRun':
        return this.changeRuns(`Using run ${message.id} for "Classify image"`, (store) => store.select(message.id));
      case 'deleteRun':
        return this.changeRuns(`Deleting run ${message.id}`, (store) => store.remove(message.id));
      case 'openRunNotebook':
        // Not awaited: the command waits for the person's choices in dialogs.
        void vscode.commands.executeCommand(OPEN_RUN_NOTEBOOK_COMMAND, message.id);
        break;
      default:
        assertNever(message);
    }
  }

  /** Scrolls the page to one of its sections, once it has loaded (a walkthrough step's link). */
  revealSection(section: PanelSection): void {
    this.post({ type: 'revealSection', section });
  }

  /**
   * Writes a setting the person changed in the panel where it takes effect: the most specific
   * scope that already sets it (a workspace value would hide a user one), else the user settings,
   * as the Settings editor's user tab does.
   */
  private async updateSetting(key: string, value: unknown): Promise<void> {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    const set = config.inspect(key);
    const target =
      set?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    try {
      await config.update(key, value, target);
      log().info(`Setting ${CONFIG_SECTION}.${key} changed in the panel to ${JSON.stringify(value)}.`);
    } catch (error) {
      logError(`Writing the setting ${CONFIG_SECTION}.${key}`, error);
      void showProblemNotification({
        message: `The setting ${CONFIG_SECTION}.${key} could not be changed: ${errorMessage(error)} Change it in the Settings editor.`,
        actions: [{ kind: 'openSetting', setting: `${CONFIG_SECTION}.${key}` }],
      });
    }
  }

  /** The kept runs, for the run history; sent at start, after a save and after each change. */
  private async runsMessage(): Promise<RunsMessage> {
    const store = await openModelStore(this.context);
    const runs = await store.list();
    return {
      type: 'runs',
      runs: runs.map(({ id, run: { predictions: _predictions, ...run }, bytes, selected }) => ({
        id,
        run,
        bytes,
        selected,
      })),
      usageBytes: runs.reduce((sum, run) => sum + run.bytes, 0),
      limit: runHistoryLimit(),
    };
  }

  private async sendRuns(): Promise<void> {
    try {
      this.post(await this.runsMessage());
    } catch (error) {
      logError('Listing the kept runs', error);
    }
  }

  /** Selects or deletes a run, then shows the history again; a failure is explained with the log's details. */
  private async changeRuns(doing: string, change: (store: ModelStore) => Promise<unknown>): Promise<void> {
    try {
      await change(await openModelStore(this.context));
      log().info(`${doing}: done.`);
    } catch (error) {
      logError(doing, error);
      void showProblemNotification({
        message: `${doing} did not work: ${errorMessage(error)} The run history shows the runs as they are now.`,
        actions: [],
      });
    }
    await this.sendRuns();
  }

  /** Clears every training setting the person set, in the user and the workspace settings. */
  private async resetSettings(): Promise<void> {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    for (const key of Object.keys(DEFAULT_SETTINGS)) {
      const set = config.inspect(key);
      if (set?.globalValue !== undefined) {
        await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      }
      if (set?.workspaceValue !== undefined) {
        await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
      }
    }
    log().info("Training settings reset to the tutorial's values.");
  }

  /** Stores a trained model as a new run; one the store cannot take is kept here (see UnsavedModel). */
  private async save(request: RequestMessage<ClassifierRequests, 'saveModel'>): Promise<SaveModelReply> {
    const model = {
      modelTopology: request.modelTopology,
      weightSpecs: request.weightSpecs as WeightSpec[],
      weightData: new Uint8Array(request.weightData),
      run: request.run,
    };
    const store = await openModelStore(this.context, (error, attempt) =>
      log().warn(`Saving the model failed (${errorMessage(error)}); trying again (${attempt}).`),
    );
    try {
      const runId = await this.store(store, model);
      // Saved: a reload before the page says the run ended loses nothing of it.
      await this.runInProgress.ended();
      return { runId };
    } catch (error) {
      logError('Saving the model', error);
      this.unsaved = new UnsavedModel(model, store.runsDir, error);
      return { unsaved: this.unsaved.problem };
    }
  }

  private async store(store: ModelStore, model: ModelToSave): Promise<string> {
    const started = performance.now();
    const saved = await store.save(model);
    log().info(`Model saved as run ${saved.id} in ${saved.folder} in ${Math.round(performance.now() - started)} ms.`);
    await this.sendRuns();
    return saved.id;
  }

  /** "Save again": true once the kept model is stored; the panel hears either way. */
  private async saveUnsavedAgain(): Promise<boolean> {
    const unsaved = this.unsaved;
    if (!unsaved) {
      return true;
    }
    try {
      const runId = await this.store(await openModelStore(this.context), unsaved.model);
      this.unsaved = undefined;
      this.post({ type: 'unsavedModel', savedRunId: runId });
      void vscode.window.showInformationMessage(`The trained model is saved now, as run ${runId}.`);
      return true;
    } catch (error) {
      logError('Saving the model again', error);
      unsaved.failedAgain(error);
      this.post({ type: 'unsavedModel', problem: unsaved.problem });
      return false;
    }
  }

  private endTraining(): void {
    this.training?.dispose();
    this.training = undefined;
  }

  override dispose(): void {
    // Closing the panel ends its page and with it any training run, before a save could start:
    // the saved model stays as it was.
    this.endTraining();
    super.dispose();
    const unsaved = this.unsaved;
    this.unsaved = undefined;
    void unsaved?.askBeforeLettingGo(async () => {
      try {
        const saved = await (await openModelStore(this.context)).save(unsaved.model);
        log().info(`Model saved as run ${saved.id} after its panel closed.`);
        void vscode.window.showInformationMessage(`The trained model is saved now, as run ${saved.id}.`);
        return true;
      } catch (error) {
        logError('Saving the model after its panel closed', error);
        unsaved.failedAgain(error);
        return false;
      }
    });
  }
}
