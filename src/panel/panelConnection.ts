// The host's side of one panel's conversation with its page, whichever panel: the ready handshake
// (messages posted before the page listens are held, never dropped), requests both ways (the
// page's answered by handlers, whose return value is the reply; the host's with a deadline, and
// rejected when the page closes, hides, reloads or stops answering), the common messages (ready,
// log, user actions), and every message checked before anything acts on it. No `vscode` import:
// PanelHost gives it the webview, and unit tests a fake one.
import { checkPanelMessage, type PanelChecks } from '../shared/messageChecks';
import {
  answer,
  isReply,
  PendingRequests,
  requestIdOf,
  type Cancellation,
  type ReplyMessage,
  type RequestHandlers,
  type RequestMessage,
  type Timers,
} from '../shared/messaging';
import type { CommonWebviewMessage, LogLevel, PanelProtocol, UserAction } from '../shared/panelMessages';

export interface ConnectionLog {
  (level: LogLevel, line: string, error?: unknown): void;
}

export interface PanelConnectionOptions<P extends PanelProtocol> {
  /** The panel's name in log lines and errors: "classifier", "results". */
  name: string;
  /** Posts to the page (the webview's postMessage). */
  post(message: unknown): void;
  checks: PanelChecks<P>;
  /** What answers each request of the page. */
  handlers: RequestHandlers<P['hostAnswers']>;
  /** The page said `ready`: post what it needs to start through `send`, which is not held. */
  onReady(send: (message: P['toPage']) => void): Promise<void>;
  /** An event of the panel's own protocol. */
  onEvent(message: P['fromPage']): Promise<void> | void;
  onUserAction(action: UserAction): Promise<void>;
  log: ConnectionLog;
  timers?: Timers;
}

type Phase = 'loading' | 'starting' | 'ready' | 'closed';

export class PanelConnection<P extends PanelProtocol> {
  private phase: Phase = 'loading';
  /** Counts the page's `ready`s: a start that a reload overtook does not finish. */
  private starts = 0;
  private readonly held: unknown[] = [];
  private readonly readyWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private readonly requests: PendingRequests<P['pageAnswers']>;
  private stoppedAnswering = false;

  constructor(private readonly options: PanelConnectionOptions<P>) {
    this.requests = new PendingRequests(
      `the ${options.name} panel`,
      (type) => {
        this.stoppedAnswering = true;
        options.log('warn', `[${options.name}] The panel did not answer a ${type} request in time.`);
      },
      options.timers,
    );
  }

  get isClosed(): boolean {
    return this.phase === 'closed';
  }

  /** True once a request's deadline passed unanswered: the page hangs, and a new panel should take over. */
  get unresponsive(): boolean {
    return this.stoppedAnswering;
  }

  /** Resolves once the page has said `ready` and got what it needs to start; rejects when the panel closes first. */
  whenReady(): Promise<void> {
    if (this.phase === 'ready') {
      return Promise.resolve();
    }
    if (this.phase === 'closed') {
      return Promise.reject(new Error(`The ${this.options.name} panel was closed.`));
    }
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** Posts an event to the page, or holds it until the page listens: none is lost. */
  post(message: P['toPage']): void {
    this.send(message);
  }

  /** Asks the page; resolves with its checked answer. */
  request<K extends keyof P['pageAnswers'] & string>(
    type: K,
    fields: P['pageAnswers'][K]['request'],
    options: { deadlineMs: number; cancellation?: Cancellation },
  ): Promise<P['pageAnswers'][K]['reply']> {
    return this.requests.request(type, fields, (message) => this.send(message), options);
  }

  /** Whatever the page sent: checked, then handled. */
  receive(raw: unknown): void {
    if (this.phase === 'closed') {
      return;
    }
    const message = checkPanelMessage(this.options.checks, raw);
    if (message === undefined) {
      this.refuse(raw);
    } else if (isReply(message)) {
      this.settle(message);
    } else if (requestIdOf(message) !== undefined) {
      void this.answer(message as RequestMessage<P['hostAnswers']>);
    } else if (!this.handleCommon(message as CommonWebviewMessage | P['fromPage'])) {
      const event = message as P['fromPage'];
      void this.safely(`handling the panel's ${event.type} message`, () => this.options.onEvent(event));
    }
  }

  /**
   * VS Code unloaded the page (a hidden panel that is not retained); it loads it again when shown
   * and says ready then. Until it does, messages are held; what it was asked is lost.
   */
  pageUnloaded(): void {
    if (this.phase !== 'closed') {
      this.phase = 'loading';
      this.requests.rejectAll(`The ${this.options.name} panel was hidden before it answered.`);
    }
  }

  /** The panel closed: everything waiting is rejected, and so is everything asked later. */
  close(): void {
    if (this.phase === 'closed') {
      return;
    }
    this.phase = 'closed';
    const reason = `The ${this.options.name} panel was closed.`;
    this.requests.close(reason);
    this.held.length = 0;
    this.readyWaiters.splice(0).forEach((waiter) => waiter.reject(new Error(reason)));
  }

  private send(message: unknown): void {
    if (this.phase === 'ready') {
      this.options.post(message);
    } else if (this.phase !== 'closed') {
      this.held.push(message);
    }
  }

  /** The common messages; false for one of the panel's own. */
  private handleCommon(message: CommonWebviewMessage | P['fromPage']): boolean {
    const common = message as CommonWebviewMessage;
    switch (common.type) {
      case 'ready':
        void this.start();
        return true;
      case 'log':
        this.options.log(
          common.level,
          `[${this.options.name}] ${common.message}${common.stack ? `\n${common.stack}` : ''}`,
        );
        return true;
      case 'userAction':
        void this.safely(`running "${common.action.kind}"`, () => this.options.onUserAction(common.action));
        return true;
      default:
        return false;
    }
  }

  private async start(): Promise<void> {
    if (this.phase === 'starting' || this.phase === 'ready') {
      // The page loaded again (Reload Webviews, or a crash the editor recovered from): the page
      // that was asked is gone, and so are the messages it was sent.
      this.requests.rejectAll(`The ${this.options.name} panel reloaded before it answered.`);
    }
    this.phase = 'starting';
    const start = ++this.starts;
    await this.safely('starting the panel', () => this.options.onReady((message) => this.options.post(message)));
    if (this.phase !== 'starting' || start !== this.starts) {
      return;
    }
    this.phase = 'ready';
    this.held.splice(0).forEach((message) => this.options.post(message));
    this.readyWaiters.splice(0).forEach((waiter) => waiter.resolve());
  }

  private settle(reply: ReplyMessage): void {
    const type = this.requests.typeOf(reply.inReplyTo);
    if (type === undefined) {
      this.options.log('info', `[${this.options.name}] An answer arrived after its request had ended; it was dropped.`);
      return;
    }
    if (reply.error !== undefined) {
      this.requests.settle(reply);
      return;
    }
    const check = this.options.checks.reply[type as keyof P['pageAnswers']];
    const body = check(reply.body);
    this.requests.settle(
      body === undefined
        ? { ...reply, error: `The ${this.options.name} panel's answer to ${type} was not one it gives.` }
        : { ...reply, body },
    );
  }

  private async answer(request: RequestMessage<P['hostAnswers']>): Promise<void> {
    const reply = await answer(this.options.handlers, request);
    if (reply.error !== undefined) {
      this.options.log(
        'error',
        `[${this.options.name}] Answering the panel's ${request.type} request failed: ${reply.error}`,
      );
    }
    // Straight to the page that asked, even while another is loading: only it knows the id.
    if (this.phase !== 'closed') {
      this.options.post(reply);
    }
  }

  /** A message a real page does not send: logged, and answered when its sender waits for a reply. */
  private refuse(raw: unknown): void {
    const type =
      typeof raw === 'object' && raw !== null ? String((raw as { type?: unknown }).type).slice(0, 40) : typeof raw;
    this.options.log(
      'warn',
      `[${this.options.name}] Refused a message from the panel that is not one it sends (type ${type}).`,
    );
    const requestId = requestIdOf(raw);
    if (requestId !== undefined) {
      this.options.post({
        type: 'reply',
        inReplyTo: requestId,
        error: `The request does not match its own description (${type}), so nothing was done.`,
      } satisfies ReplyMessage);
    }
  }

  private async safely(doing: string, work: () => Promise<void> | void): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.options.log('error', `${this.options.name}: ${doing}`, error);
    }
  }
}
