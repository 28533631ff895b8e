// The host side of a webview panel, shared by the classifier and the results panels: the page
// under its CSP, the ready handshake (messages posted before the page listens are held, never
// dropped), requests with replies that fail when the panel closes, the panel's log lines and
// action buttons, and one error handler around every message.
import * as vscode from 'vscode';
import { log, logError } from '../log';
import { CommonWebviewMessage, isReply, UserAction } from '../shared/panelMessages';
import { PendingRequests, Reply } from '../shared/requests';
import { runUserAction } from '../userActions';
import { buildWebviewHtml, panelResourceRoots, WebviewPageOptions } from './webviewHtml';

export interface PanelDefinition {
  viewType: string;
  title: string;
  /** Page options: bundle, stylesheet, CSP relaxations. */
  page: Omit<WebviewPageOptions, 'webview' | 'extensionUri' | 'title'>;
  /** Folders under the extension's global storage that the page loads files from. */
  storageFolders: string[];
  /** Keep the page alive while hidden: only for a panel whose work (a training run) must survive it. */
  retainContextWhenHidden: boolean;
}

/** Checks a message from the page (see shared/messageChecks.ts): the message as the host may use it, or undefined. */
export type MessageCheck<FromWebview> = (raw: unknown) => FromWebview | CommonWebviewMessage | undefined;

/** The options a panel is created with; revived panels get them again (see `adoptPanel`). */
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

export abstract class PanelHost<ToWebview extends { type: string }, FromWebview extends { type: string }>
  implements vscode.Disposable
{
  protected readonly disposables: vscode.Disposable[] = [];
  private phase: 'loading' | 'starting' | 'ready' | 'disposed' = 'loading';
  private readonly held: ToWebview[] = [];
  private readonly readyWaiters: (() => void)[] = [];
  private readonly requests = new PendingRequests<Reply & FromWebview>();

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly context: vscode.ExtensionContext,
    definition: PanelDefinition,
    private readonly check: MessageCheck<FromWebview>,
  ) {
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
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receiveRaw(raw)),
      panel.onDidChangeViewState(() => {
        if (!definition.retainContextWhenHidden && !panel.visible && this.phase !== 'disposed') {
          // VS Code unloads a hidden page that is not retained and loads it again when shown; it
          // says ready again then, and until it does, messages are held. What it was doing is lost.
          this.phase = 'loading';
          this.requests.rejectAll(`The ${this.name} panel was hidden before it answered.`);
        }
      }),
    );
  }

  /** The page said `ready`: post what it needs to start (through `send`, which is not held). */
  protected abstract onReady(send: (message: ToWebview) => void): Promise<void>;

  /** A message of the panel's own protocol (not ready, log, userAction or a reply). */
  protected abstract onMessage(message: FromWebview): Promise<void> | void;

  /** What to say in the log when handling a message failed. */
  protected abstract readonly name: string;

  /** Carries out a button's action; panels override it for actions of their own. */
  protected async onUserAction(action: UserAction): Promise<void> {
    await runUserAction(action);
  }

  /** Resolves once the page has said `ready` and got what it needs to start. */
  whenReady(): Promise<void> {
    return this.phase === 'ready' ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  get isDisposed(): boolean {
    return this.phase === 'disposed';
  }

  /** Posts to the page, or holds the message until the page listens: none is lost. */
  protected post(message: ToWebview): void {
    if (this.phase === 'ready') {
      void this.panel.webview.postMessage(message);
    } else if (this.phase !== 'disposed') {
      this.held.push(message);
    }
  }

  /** Posts a request built around a fresh id; resolves with the page's reply, rejects when the panel closes. */
  protected request<R extends FromWebview & Reply>(build: (id: number) => ToWebview): Promise<R> {
    return this.requests.request((id) => this.post(build(id))) as Promise<R>;
  }

  /** A message the page sent that is not one a real page sends: logged, and answered when it was a request. */
  protected onRefusedMessage(raw: unknown): void {
    const type =
      typeof raw === 'object' && raw !== null ? String((raw as { type?: unknown }).type).slice(0, 40) : typeof raw;
    log().warn(`[${this.name}] Refused a message from the panel that is not one it sends (type ${type}).`);
  }

  private receiveRaw(raw: unknown): void {
    const message = this.check(raw);
    if (message === undefined) {
      this.onRefusedMessage(raw);
      return;
    }
    this.receive(message);
  }

  private receive(message: FromWebview | CommonWebviewMessage): void {
    if (isReply(message)) {
      this.requests.settle(message as Reply & FromWebview);
      return;
    }
    const common = message as CommonWebviewMessage;
    switch (common.type) {
      case 'ready':
        void this.start();
        return;
      case 'log':
        this.logFromPage(common.level, common.message, common.stack);
        return;
      case 'userAction':
        void this.safely(`running "${common.action.kind}"`, () => this.onUserAction(common.action));
        return;
    }
    void this.safely(`handling the panel's ${message.type} message`, () => this.onMessage(message as FromWebview));
  }

  private async start(): Promise<void> {
    // A page that reloads (a revived panel, or the webview restarting) says ready again.
    this.phase = 'starting';
    await this.safely('starting the panel', () =>
      this.onReady((message) => void this.panel.webview.postMessage(message)),
    );
    if (this.isDisposed) {
      return;
    }
    this.phase = 'ready';
    this.held.splice(0).forEach((message) => void this.panel.webview.postMessage(message));
    this.readyWaiters.splice(0).forEach((resolve) => resolve());
  }

  private logFromPage(level: 'info' | 'warn' | 'error', message: string, stack?: string): void {
    const line = `[${this.name}] ${message}${stack ? `\n${stack}` : ''}`;
    if (level === 'error') {
      log().error(line);
    } else if (level === 'warn') {
      log().warn(line);
    } else {
      log().info(line);
    }
  }

  private async safely(doing: string, work: () => Promise<void> | void): Promise<void> {
    try {
      await work();
    } catch (error) {
      logError(`${this.name}: ${doing}`, error);
    }
  }

  dispose(): void {
    if (this.phase === 'disposed') {
      return;
    }
    this.phase = 'disposed';
    this.requests.close(`The ${this.name} panel was closed.`);
    this.held.length = 0;
    this.panel.dispose();
    this.disposables.splice(0).forEach((d) => d.dispose());
  }
}
