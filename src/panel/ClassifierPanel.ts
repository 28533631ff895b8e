import * as vscode from 'vscode';
import { onTrainingSettingsChanged, readTrainingSettings } from '../config';
import { loadSavedRun, saveModel } from '../model/modelStore';
import { DATASET_FOLDER } from '../shared/datasetFiles';
import { assertNever, HostToWebview, SaveModelRequest, WebviewToHost } from '../shared/protocol';
import { datasetMessageFor } from './datasetForPanel';
import { TrainingNotification } from './trainingNotification';
import { buildWebviewHtml, panelResourceRoots } from './webviewHtml';
import { errorMessage } from '../shared/errorMessage';
import { storagePath } from '../storage';

/** The "Train Fashion Classifier" panel: one at a time, brought forward when asked for again. */
export class ClassifierPanel {
  static readonly viewType = 'fashionClassifier.classifier';
  static currentPanel: ClassifierPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private isReady = false;
  private readonly readyWaiters: (() => void)[] = [];
  private training: TrainingNotification | undefined;

  static createOrShow(context: vscode.ExtensionContext): ClassifierPanel {
    if (ClassifierPanel.currentPanel) {
      ClassifierPanel.currentPanel.panel.reveal();
      return ClassifierPanel.currentPanel;
    }
    const panel = vscode.window.createWebviewPanel(
      ClassifierPanel.viewType,
      'Fashion Classifier',
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        // The bundles and assets, plus the verified data set files the panel fetches.
        localResourceRoots: [
          ...panelResourceRoots(context.extensionUri),
          vscode.Uri.joinPath(context.globalStorageUri, DATASET_FOLDER),
        ],
        // A training run lives in the webview; without this, switching tabs would end it.
        retainContextWhenHidden: true,
      },
    );
    ClassifierPanel.currentPanel = new ClassifierPanel(panel, context);
    return ClassifierPanel.currentPanel;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
  ) {
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
    panel.webview.html = buildWebviewHtml({
      webview: panel.webview,
      extensionUri: context.extensionUri,
      title: 'Fashion Classifier',
      script: 'webview.js',
      stylesheet: 'panel.css',
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: WebviewToHost) => this.handleMessage(message)),
      onTrainingSettingsChanged(() => this.post({ type: 'settingsChanged', settings: readTrainingSettings() })),
    );
  }

  /** Resolves once the webview has said `ready`. */
  whenReady(): Promise<void> {
    return this.isReady ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private handleMessage(message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        void this.initialize();
        break;
      case 'panelError':
        void vscode.window.showErrorMessage(`Fashion Classifier: ${message.message}`);
        break;
      case 'trainingStarted':
        this.training?.dispose();
        this.training = new TrainingNotification(message.epochs, message.backend, () =>
          this.post({ type: 'stopTraining' }),
        );
        break;
      case 'trainingProgress':
        this.training?.update(message);
        break;
      case 'trainingEnded':
        this.endTraining();
        if (message.outcome === 'failed') {
          void vscode.window.showErrorMessage(
            `Fashion Classifier: training failed: ${message.message ?? 'unknown error'}`,
          );
        }
        break;
      case 'saveModel':
        void this.save(message);
        break;
      default:
        assertNever(message);
    }
  }

  private async initialize(): Promise<void> {
    const savedRun = await loadSavedRun(storagePath(this.context));
    this.isReady = true;
    this.post({ type: 'init', settings: readTrainingSettings(), savedRun });
    this.readyWaiters.splice(0).forEach((resolve) => resolve());
    await this.sendDataset();
  }

  private async sendDataset(): Promise<void> {
    this.post({ type: 'datasetLoading' });
    this.post(await datasetMessageFor(this.context, this.panel.webview));
  }

  private async save(request: SaveModelRequest): Promise<void> {
    try {
      await saveModel(storagePath(this.context), {
        modelTopology: request.modelTopology,
        weightSpecs: request.weightSpecs as never,
        weightData: new Uint8Array(request.weightData),
        run: request.run,
      });
      this.post({ type: 'modelSaved', inReplyTo: request.id });
    } catch (error) {
      const message = errorMessage(error);
      this.post({ type: 'modelSaved', inReplyTo: request.id, error: message });
      void vscode.window.showErrorMessage(
        `Fashion Classifier: the model could not be saved (the previous one is unchanged): ${message}`,
      );
    }
  }

  private endTraining(): void {
    this.training?.dispose();
    this.training = undefined;
  }

  /** Posts to the webview, but only once it listens: before `ready` a message would be lost. */
  private post(message: HostToWebview): void {
    if (this.isReady) {
      void this.panel.webview.postMessage(message);
    }
  }

  dispose(): void {
    ClassifierPanel.currentPanel = undefined;
    // Closing the panel ends its page and with it any training run, before a save could start:
    // the saved model stays as it was.
    this.endTraining();
    this.panel.dispose();
    this.disposables.splice(0).forEach((d) => d.dispose());
  }
}
