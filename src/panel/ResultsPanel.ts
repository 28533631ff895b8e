import { join } from 'node:path';
import * as vscode from 'vscode';
import { readTrainingSettings } from '../config';
import { RUNS_FOLDER, type StoredRun } from '../model/modelStore';
import { RESULTS_CHECKS } from '../shared/messageChecks';
import { assertNever } from '../shared/protocol';
import type { Classified, ImageToClassify, ResultsProtocol, ResultsToHost } from '../shared/resultsProtocol';
import { RESULTS_PAGE } from './pagePolicy';
import { PanelDefinition, PanelHost, PanelSlot } from './PanelHost';

const DEFINITION: PanelDefinition = {
  viewType: 'fashionClassifier.results',
  title: 'Classification results',
  name: 'results',
  showOptions: { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
  page: RESULTS_PAGE,
  // The saved runs, whose models the panel loads.
  storageFolders: [RUNS_FOLDER],
  // The results survive being hidden through the page's own state (setState), which costs
  // nothing while hidden; the model is loaded again (under a second) for the next picture.
  retainContextWhenHidden: false,
};

/**
 * How long a group of pictures may take the page: loading the page, a backend and the model the
 * first time, and decoding up to four large pictures take seconds; a minute means it hangs.
 */
export const CLASSIFY_DEADLINE_MS = 60_000;

/** The "Classification results" panel: one at a time, reused for every "Classify image". */
export class ResultsPanel extends PanelHost<ResultsProtocol> {
  static readonly viewType = DEFINITION.viewType;
  /** The open panel; after a window reload, the one VS Code restores (its page shows its last results). */
  static readonly slot = new PanelSlot(DEFINITION, (panel, context) => new ResultsPanel(panel, context));

  private constructor(panel: vscode.WebviewPanel, context: vscode.ExtensionContext) {
    super(panel, context, DEFINITION, RESULTS_CHECKS, {});
  }

  /**
   * Sends a group of images to classify with `model`'s run; resolves when their results are on
   * screen. Every group of one request names the same run, whatever another window selects
   * meanwhile. Cancelling rejects at once and tells the page to stop after the picture under way.
   */
  classify(
    images: ImageToClassify[],
    model: Pick<StoredRun, 'id' | 'folder'>,
    position: { request: number; done: number; total: number },
    cancellation: vscode.CancellationToken,
  ): Promise<Classified> {
    const modelUrl = this.panel.webview.asWebviewUri(vscode.Uri.file(join(model.folder, 'model.json'))).toString();
    const stop = cancellation.onCancellationRequested(() =>
      this.post({ type: 'cancelClassification', request: position.request }),
    );
    // A run's folder never changes, so its id tells the page when to load another model.
    return this.request(
      'classify',
      { ...position, modelUrl, modelVersion: model.id, settings: readTrainingSettings(), images },
      { deadlineMs: CLASSIFY_DEADLINE_MS, cancellation },
    ).finally(() => stop.dispose());
  }

  protected async onReady(): Promise<void> {
    // The page restores its own results; it needs nothing from the host to start.
  }

  protected onMessage(message: ResultsToHost): Promise<void> | void {
    switch (message.type) {
      case 'copyResults':
        return this.copy(message.text, message.format);
      default:
        assertNever(message.type);
    }
  }

  private async copy(text: string, format: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(`Copied the results as ${format}.`);
  }
}
