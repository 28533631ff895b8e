import { join } from 'node:path';
import * as vscode from 'vscode';
import { readTrainingSettings } from '../config';
import { log } from '../log';
import { RUNS_FOLDER, type StoredRun } from '../model/modelStore';
import { checkResultsMessage } from '../shared/messageChecks';
import { assertNever } from '../shared/protocol';
import type {
  ClassifiedMessage,
  ImageToClassify,
  ResultsHostToWebview,
  ResultsWebviewToHost,
} from '../shared/resultsProtocol';
import { PanelDefinition, PanelHost, webviewOptions } from './PanelHost';

const DEFINITION: PanelDefinition = {
  viewType: 'fashionClassifier.results',
  title: 'Classification results',
  // No vega charts here, so no 'unsafe-eval'.
  page: { script: 'results.js', stylesheet: 'panel.css', allowEval: false },
  // The saved runs, whose models the panel loads.
  storageFolders: [RUNS_FOLDER],
  // The results survive being hidden through the page's own state (setState), which costs
  // nothing while hidden; the model is loaded again (under a second) for the next picture.
  retainContextWhenHidden: false,
};

/** The "Classification results" panel: one at a time, reused for every "Classify image". */
export class ResultsPanel extends PanelHost<ResultsHostToWebview, ResultsWebviewToHost> {
  static readonly viewType = DEFINITION.viewType;
  static currentPanel: ResultsPanel | undefined;

  protected readonly name = 'results';

  static createOrShow(context: vscode.ExtensionContext): ResultsPanel {
    if (ResultsPanel.currentPanel) {
      ResultsPanel.currentPanel.panel.reveal(undefined, true);
      return ResultsPanel.currentPanel;
    }
    const panel = vscode.window.createWebviewPanel(
      DEFINITION.viewType,
      DEFINITION.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(context, DEFINITION),
    );
    return new ResultsPanel(panel, context);
  }

  /** The panel VS Code restores after a window reload; its page shows its last results from its state. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext): ResultsPanel {
    ResultsPanel.currentPanel?.dispose();
    return new ResultsPanel(panel, context);
  }

  private constructor(panel: vscode.WebviewPanel, context: vscode.ExtensionContext) {
    super(panel, context, DEFINITION, checkResultsMessage);
    ResultsPanel.currentPanel = this;
  }

  /**
   * Sends a group of images to classify with `model`'s run; resolves when their results are on
   * screen. Every group of one request names the same run, whatever another window selects meanwhile.
   */
  classify(
    images: ImageToClassify[],
    model: Pick<StoredRun, 'id' | 'folder'>,
    position: { request: number; done: number; total: number },
  ): Promise<ClassifiedMessage> {
    const modelUrl = this.panel.webview.asWebviewUri(vscode.Uri.file(join(model.folder, 'model.json'))).toString();
    const settings = readTrainingSettings();
    // A run's folder never changes, so its id tells the page when to load another model.
    return this.request<ClassifiedMessage>((id) => ({
      type: 'classify',
      id,
      ...position,
      modelUrl,
      modelVersion: model.id,
      settings,
      images,
    }));
  }

  protected async onReady(): Promise<void> {
    // The page restores its own results; it needs nothing from the host to start.
  }

  protected onMessage(message: ResultsWebviewToHost): Promise<void> | void {
    switch (message.type) {
      case 'copyResults':
        return this.copy(message.text, message.format);
      case 'classified':
        // Replies reach their request in PanelHost; one arriving here answers nothing left waiting.
        log().warn('A classification finished after its request was given up.');
        break;
      case 'ready':
      case 'log':
      case 'userAction':
        break;
      default:
        assertNever(message);
    }
  }

  private async copy(text: string, format: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(`Copied the results as ${format}.`);
  }

  override dispose(): void {
    if (ResultsPanel.currentPanel === this) {
      ResultsPanel.currentPanel = undefined;
    }
    super.dispose();
  }
}
