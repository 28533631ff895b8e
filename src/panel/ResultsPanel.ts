import * as vscode from 'vscode';
import { readTrainingSettings } from '../config';
import { MODEL_FOLDER } from '../model/modelStore';
import type {
  ClassifiedMessage,
  ImageToClassify,
  ResultsHostToWebview,
  ResultsWebviewToHost,
} from '../shared/resultsProtocol';
import { assertNever } from '../shared/protocol';
import { buildWebviewHtml, panelResourceRoots } from './webviewHtml';

/** The "Classification results" panel: one at a time, reused for every "Classify image". */
export class ResultsPanel {
  static readonly viewType = 'fashionClassifier.results';
  static currentPanel: ResultsPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private nextBatch = 1;
  private readonly batchWaiters = new Map<number, (message: ClassifiedMessage) => void>();

  static createOrShow(context: vscode.ExtensionContext): ResultsPanel {
    if (ResultsPanel.currentPanel) {
      ResultsPanel.currentPanel.panel.reveal(undefined, true);
      return ResultsPanel.currentPanel;
    }
    const panel = vscode.window.createWebviewPanel(
      ResultsPanel.viewType,
      'Classification results',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        // The bundles and assets, plus the saved model the panel loads.
        localResourceRoots: [
          ...panelResourceRoots(context.extensionUri),
          vscode.Uri.joinPath(context.globalStorageUri, MODEL_FOLDER),
        ],
        // Keeps the loaded model, so the next image is classified in milliseconds.
        retainContextWhenHidden: true,
      },
    );
    ResultsPanel.currentPanel = new ResultsPanel(panel, context);
    return ResultsPanel.currentPanel;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
    panel.webview.html = buildWebviewHtml({
      webview: panel.webview,
      extensionUri: context.extensionUri,
      title: 'Classification results',
      script: 'results.js',
      stylesheet: 'panel.css',
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: ResultsWebviewToHost) => this.handleMessage(message)),
    );
  }

  /** Sends images to classify; resolves when their results are on screen. */
  async classify(images: ImageToClassify[], modelVersion: string): Promise<ClassifiedMessage> {
    await this.ready;
    const batch = this.nextBatch++;
    const modelUrl = this.panel.webview.asWebviewUri(
      vscode.Uri.joinPath(this.context.globalStorageUri, MODEL_FOLDER, 'model.json'),
    );
    const done = new Promise<ClassifiedMessage>((resolve) => this.batchWaiters.set(batch, resolve));
    const message: ResultsHostToWebview = {
      type: 'classify',
      batch,
      modelUrl: modelUrl.toString(),
      modelVersion,
      settings: readTrainingSettings(),
      images,
    };
    await this.panel.webview.postMessage(message);
    return done;
  }

  private handleMessage(message: ResultsWebviewToHost): void {
    switch (message.type) {
      case 'ready':
        this.markReady();
        break;
      case 'classified':
        this.batchWaiters.get(message.batch)?.(message);
        this.batchWaiters.delete(message.batch);
        break;
      case 'copyResults':
        void vscode.env.clipboard
          .writeText(message.text)
          .then(() => vscode.window.showInformationMessage(`Copied the results as ${message.format}.`));
        break;
      case 'panelError':
        void vscode.window.showErrorMessage(`Fashion Classifier: ${message.message}`);
        break;
      default:
        assertNever(message);
    }
  }

  dispose(): void {
    ResultsPanel.currentPanel = undefined;
    this.panel.dispose();
    this.disposables.splice(0).forEach((d) => d.dispose());
  }
}
