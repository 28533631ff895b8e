// The "Draw a garment" pad's host: it tells the page which saved model to classify with (the one
// "Classify image" uses), tells it again when another run's model is selected (a run finishing,
// in this window or another), and saves drawings into the workspace for it.
import { watch, type FSWatcher } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { saveDrawing } from '../commands/saveDrawing';
import { onTrainingSettingsChanged, readTrainingSettings } from '../config';
import { logError } from '../log';
import { RUNS_FOLDER } from '../model/modelStore';
import type { PadModelMessage, DrawProtocol } from '../shared/drawProtocol';
import { DRAW_CHECKS } from '../shared/messageChecks';
import { openModelStore } from '../storage';
import { DRAW_PAGE } from './pagePolicy';
import { PanelDefinition, PanelHost, PanelSlot } from './PanelHost';

const DEFINITION: PanelDefinition = {
  viewType: 'fashionClassifier.drawingPad',
  title: 'Draw a garment',
  name: 'drawing pad',
  showOptions: { viewColumn: vscode.ViewColumn.Active },
  page: DRAW_PAGE,
  // The saved runs, whose models the pad loads.
  storageFolders: [RUNS_FOLDER],
  // The drawing survives being hidden through the page's own state (setState), which costs
  // nothing while hidden; the model loads again in under a second.
  retainContextWhenHidden: false,
};

/** The file the model store replaces whole when another run is selected (selectionPointer.ts). */
const SELECTION_FILE = 'selected.json';
/** A save writes the run, then the pointer: one look after the writes settle. */
const SELECTION_SETTLE_MS = 300;

export class DrawPanel extends PanelHost<DrawProtocol> {
  static readonly viewType = DEFINITION.viewType;
  static readonly slot = new PanelSlot(DEFINITION, (panel, context) => new DrawPanel(panel, context));

  private watcher: FSWatcher | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(panel: vscode.WebviewPanel, context: vscode.ExtensionContext) {
    super(panel, context, DEFINITION, DRAW_CHECKS, { saveDrawing: (request) => saveDrawing(request) });
    this.disposables.push(
      onTrainingSettingsChanged(() => void this.sendModel()),
      { dispose: () => this.watcher?.close() },
      { dispose: () => clearTimeout(this.settleTimer) },
    );
    void this.watchSelection();
  }

  protected async onReady(send: (message: PadModelMessage) => void): Promise<void> {
    send(await this.modelMessage());
  }

  protected onMessage(message: never): void {
    // The pad posts no events of its own; DRAW_CHECKS lets none through.
    void message;
  }

  private async sendModel(): Promise<void> {
    try {
      this.post(await this.modelMessage());
    } catch (error) {
      logError('Telling the drawing pad which model to use', error);
    }
  }

  /** The model "Classify image" would use now, or the problem of having none. */
  private async modelMessage(): Promise<PadModelMessage> {
    const run = await (await openModelStore(this.context)).selected();
    if (!run) {
      return {
        type: 'padModel',
        problem: {
          message:
            'There is no trained model yet, so the drawing cannot be classified. Train one (a few minutes); ' +
            'the pad then uses it as you draw.',
          actions: [{ kind: 'trainNow' }],
        },
      };
    }
    const url = this.panel.webview.asWebviewUri(vscode.Uri.file(join(run.folder, 'model.json'))).toString();
    return { type: 'padModel', model: { url, version: run.id, backend: readTrainingSettings().backend } };
  }

  /** Tells the page when the selected run changes, whoever changed it. */
  private async watchSelection(): Promise<void> {
    try {
      const store = await openModelStore(this.context);
      await mkdir(store.runsDir, { recursive: true });
      if (this.isDisposed) {
        return;
      }
      this.watcher = watch(store.runsDir, { persistent: false }, (_event, file) => {
        if (file === SELECTION_FILE) {
          clearTimeout(this.settleTimer);
          this.settleTimer = setTimeout(() => void this.sendModel(), SELECTION_SETTLE_MS);
        }
      });
      this.watcher.on('error', (error) => logError('Watching for a newly trained model', error));
    } catch (error) {
      logError('Watching for a newly trained model', error);
    }
  }
}
