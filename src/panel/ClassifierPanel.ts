import * as vscode from 'vscode';
import { onTrainingSettingsChanged, readTrainingSettings } from '../config';
import { assertNever, HostToWebview, WebviewToHost } from '../shared/protocol';
import { buildWebviewHtml, panelResourceRoots } from './webviewHtml';

/** The "Train Fashion Classifier" panel: one at a time, brought forward when asked for again. */
export class ClassifierPanel {
  static readonly viewType = 'fashionClassifier.classifier';
  static currentPanel: ClassifierPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private isReady = false;
  private readonly readyWaiters: (() => void)[] = [];

  static createOrShow(extensionUri: vscode.Uri): ClassifierPanel {
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
        localResourceRoots: panelResourceRoots(extensionUri),
        // A training run lives in the webview; without this, switching tabs would end it.
        retainContextWhenHidden: true,
      },
    );
    ClassifierPanel.currentPanel = new ClassifierPanel(panel, extensionUri);
    return ClassifierPanel.currentPanel;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
  ) {
    panel.webview.html = buildWebviewHtml({
      webview: panel.webview,
      extensionUri,
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
        this.isReady = true;
        this.post({ type: 'init', settings: readTrainingSettings() });
        this.readyWaiters.splice(0).forEach((resolve) => resolve());
        break;
      case 'panelError':
        void vscode.window.showErrorMessage(`Fashion Classifier: ${message.message}`);
        break;
      default:
        assertNever(message);
    }
  }

  /** Posts to the webview, but only once it listens: before `ready` a message would be lost. */
  private post(message: HostToWebview): void {
    if (this.isReady) {
      void this.panel.webview.postMessage(message);
    }
  }

  dispose(): void {
    ClassifierPanel.currentPanel = undefined;
    this.panel.dispose();
    this.disposables.splice(0).forEach((d) => d.dispose());
  }
}
