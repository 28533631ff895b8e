// The host side of a webview panel, shared by the classifier and the results panels: the page
// under its CSP, its conversation with the host (panelConnection.ts: held messages, requests with
// deadlines, replies from handlers, checks), the panel's log lines and action buttons, and the
// panel's life: one panel of a kind at a time, revived after a window reload, replaced when it
// stopped answering (PanelSlot).
import * as vscode from 'vscode';
import { log, logError } from '../log';
import type { PanelChecks } from '../shared/messageChecks';
import type { Cancellation, RequestHandlers } from '../shared/messaging';
import type { LogLevel, PanelProtocol, UserAction } from '../shared/panelMessages';
import { runUserAction } from '../userActions';
import { PanelConnection } from './panelConnection';
import { buildWebviewHtml, panelResourceRoots, WebviewPageOptions } from './webviewHtml';

export interface PanelDefinition {
  viewType: string;
  title: string;
  /** The panel in log lines and messages: "the classifier panel". */
  name: string;
  /** Page options: bundle, stylesheet, CSP relaxations. */
  page: Omit<WebviewPageOptions, 'webview' | 'extensionUri' | 'title'>;
  /** Folders under the extension's global storage that the page loads files from. */
  storageFolders: string[];
  /** Keep the page alive while hidden: only for a panel whose work (a training run) must survive it. */
  retainContextWhenHidden: boolean;
  /** Where a new panel opens. */
  showOptions: vscode.ViewColumn | { viewColumn: vscode.ViewColumn; preserveFocus?: boolean };
}

/** The options a panel is created with; revived panels get them again (see the constructor). */
export function webviewOptions(
  context: vscode.ExtensionContext,
  definition: PanelDefinition,
): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableForms: false,
    localResourceRoots: [
      ...panelResourceRoots(context.extensionUri),
      ...definition.storageFolders.map((folder) => vscode.Uri.joinPath(context.globalStorageUri, folder)),
    ],
    retainContextWhenHidden: definition.retainContextWhenHidden,
  };
}

function logLine(level: LogLevel, line: string, error?: unknown): void {
  if (error !== undefined) {
    logError(line, error);
  } else if (level === 'error') {
    log().error(line);
  } else if (level === 'warn') {
    log().warn(line);
  } else {
    log().info(line);
  }
}

export abstract class PanelHost<P extends PanelProtocol> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private readonly connection: PanelConnection<P>;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly context: vscode.ExtensionContext,
    definition: PanelDefinition,
    checks: PanelChecks<P>,
    handlers: RequestHandlers<P['hostAnswers']>,
  ) {
    this.connection = new PanelConnection<P>({
      name: definition.name,
      post: (message) => void panel.webview.postMessage(message),
      checks,
      handlers,
      onReady: (send) => this.onReady(send),
      onEvent: (message) => this.onMessage(message),
      onUserAction: (action) => this.onUserAction(action),
      log: logLine,
    });
    // A revived panel comes with the options it had when saved; set them as this version wants them.
    panel.webview.options = webviewOptions(context, definition);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
    panel.webview.html = buildWebviewHtml({
      webview: panel.webview,
      extensionUri: context.extensionUri,
      title: definition.title,
      ...definition.page,
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.connection.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (!definition.retainContextWhenHidden && !panel.visible) {
          this.connection.pageUnloaded();
        }
      }),
    );
  }

  /** The page said `ready`: post what it needs to start (through `send`, which is not held). */
  protected abstract onReady(send: (message: P['toPage']) => void): Promise<void>;

  /** An event of the panel's own protocol (the common messages and replies never reach it). */
  protected abstract onMessage(message: P['fromPage']): Promise<void> | void;

  /** Carries out a button's action; panels override it for actions of their own. */
  protected async onUserAction(action: UserAction): Promise<void> {
    await runUserAction(action);
  }

  /** Resolves once the page has said `ready` and got what it needs to start; rejects when the panel closes first. */
  whenReady(): Promise<void> {
    return this.connection.whenReady();
  }

  get isDisposed(): boolean {
    return this.connection.isClosed;
  }

  /** True once the page let a request's deadline pass: the next request gets a new panel. */
  get unresponsive(): boolean {
    return this.connection.unresponsive;
  }

  /** Posts to the page, or holds the message until the page listens: none is lost. */
  protected post(message: P['toPage']): void {
    this.connection.post(message);
  }

  /** Asks the page; resolves with its checked answer, rejects by the deadline or when the page goes. */
  protected request<K extends keyof P['pageAnswers'] & string>(
    type: K,
    fields: P['pageAnswers'][K]['request'],
    options: { deadlineMs: number; cancellation?: Cancellation },
  ): Promise<P['pageAnswers'][K]['reply']> {
    return this.connection.request(type, fields, options);
  }

  dispose(): void {
    if (this.connection.isClosed) {
      return;
    }
    this.connection.close();
    this.panel.dispose();
    this.disposables.splice(0).forEach((d) => d.dispose());
  }
}

/**
 * The one panel of a kind: created on demand, brought forward when asked for again, revived after
 * a window reload, replaced when it stopped answering.
 */
export class PanelSlot<T extends Pick<PanelHost<never>, 'panel' | 'isDisposed' | 'unresponsive' | 'dispose'>> {
  private panel: T | undefined;

  constructor(
    private readonly definition: PanelDefinition,
    private readonly make: (panel: vscode.WebviewPanel, context: vscode.ExtensionContext) => T,
  ) {}

  get current(): T | undefined {
    return this.panel && !this.panel.isDisposed ? this.panel : undefined;
  }

  /** The open panel, brought forward (without taking focus when `preserveFocus`), or a new one. */
  createOrShow(context: vscode.ExtensionContext, preserveFocus = false): T {
    const open = this.current;
    if (open?.unresponsive) {
      log().warn(`The ${this.definition.name} panel stopped answering; opening a new one in its place.`);
      open.dispose();
    } else if (open) {
      open.panel.reveal(undefined, preserveFocus);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(
      this.definition.viewType,
      this.definition.title,
      this.definition.showOptions,
      webviewOptions(context, this.definition),
    );
    return this.adopt(panel, context);
  }

  /** The panel VS Code restores after a window reload. */
  revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext): T {
    this.current?.dispose();
    return this.adopt(panel, context);
  }

  dispose(): void {
    this.current?.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, context: vscode.ExtensionContext): T {
    const host = this.make(panel, context);
    this.panel = host;
    return host;
  }
}
