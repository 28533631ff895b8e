// Requests between the host and a panel, either way: a request is its own fields with a `type`
// and a `requestId`; the receiver's handler for that type runs, and what it returns (or the error
// it throws) goes back as the one reply `{type: 'reply', inReplyTo, body | error}`. So no request
// can go unanswered by a handler, and a request map ties each reply's type to its request's. The
// sender's promise settles with the reply, or rejects when its deadline passes, when it is
// cancelled, or when the other side is gone (closed, hidden, reloaded). Pure: the host, both
// pages and the unit tests share it.

/** A request's fields and its reply's body, per request type. */
export interface RequestSpec {
  request: object;
  reply: unknown;
}

export type RequestMap = Record<string, RequestSpec>;

/** Request `K` of `M` as it travels. */
export type RequestMessage<M extends RequestMap, K extends keyof M & string = keyof M & string> = K extends unknown
  ? { type: K; requestId: number } & M[K]['request']
  : never;

/** The answer to one request: its handler's return value as `body`, or its error. */
export interface ReplyMessage {
  type: 'reply';
  inReplyTo: number;
  body?: unknown;
  /** Set when the handler failed or the request was refused; the sender's promise rejects with it. */
  error?: string;
}

/** What answers each request of `M`: the return value is the reply. */
export type RequestHandlers<M extends RequestMap> = {
  [K in keyof M]: (request: RequestMessage<M, K & string>) => Promise<M[K]['reply']> | M[K]['reply'];
};

export function isReply(message: unknown): message is ReplyMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'reply' &&
    Number.isInteger((message as { inReplyTo?: unknown }).inReplyTo)
  );
}

/** True for anything that carries a request id: whatever else it holds, its sender waits for a reply. */
export function requestIdOf(message: unknown): number | undefined {
  const id =
    typeof message === 'object' && message !== null ? (message as { requestId?: unknown }).requestId : undefined;
  return Number.isInteger(id) && (id as number) > 0 ? (id as number) : undefined;
}

/** Runs the handler for `request` and returns the reply to send: its result, or its error. */
export async function answer<M extends RequestMap>(
  handlers: RequestHandlers<M>,
  request: RequestMessage<M>,
): Promise<ReplyMessage> {
  try {
    const handler = handlers[request.type as keyof M] as (r: RequestMessage<M>) => unknown;
    if (!handler) {
      throw new Error(`Nothing here answers a "${request.type}" request.`);
    }
    return { type: 'reply', inReplyTo: request.requestId, body: await handler(request) };
  } catch (error) {
    return {
      type: 'reply',
      inReplyTo: request.requestId,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** A request that ended without its reply: the reason says why, for the person and the log. */
export class RequestEndedError extends Error {
  override name = 'RequestEndedError';

  constructor(
    message: string,
    readonly why: 'deadline' | 'cancelled' | 'gone',
  ) {
    super(message);
  }
}

/** Something that can cancel a request: a CancellationToken or an AbortSignal both fit. */
export interface Cancellation {
  readonly isCancellationRequested?: boolean;
  readonly aborted?: boolean;
  onCancellationRequested?(listener: () => void): { dispose(): void };
  addEventListener?(type: 'abort', listener: () => void): void;
  removeEventListener?(type: 'abort', listener: () => void): void;
}

export interface RequestOptions {
  /** Milliseconds until the request rejects with a `deadline` error. */
  deadlineMs: number;
  cancellation?: Cancellation;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Waiter {
  type: string;
  resolve: (body: unknown) => void;
  reject: (error: Error) => void;
  cleanup: () => void;
}

/** The requests one side made and waits for, with their types (to check a reply against its request). */
export class PendingRequests<M extends RequestMap> {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private closedReason: string | undefined;

  /**
   * @param describe names the other side in error messages, e.g. "the results panel".
   * @param onDeadline is told when a request's deadline passed: the other side stopped answering.
   */
  constructor(
    private readonly describe: string,
    private readonly onDeadline: (type: string) => void = () => undefined,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Sends request `type` through `send`, which gets it with its id; resolves with the reply's body. */
  request<K extends keyof M & string>(
    type: K,
    fields: M[K]['request'],
    send: (message: RequestMessage<M, K>) => void,
    options: RequestOptions,
  ): Promise<M[K]['reply']> {
    if (this.closedReason !== undefined) {
      return Promise.reject(new RequestEndedError(this.closedReason, 'gone'));
    }
    if (options.cancellation?.isCancellationRequested || options.cancellation?.aborted) {
      return Promise.reject(new RequestEndedError('Cancelled.', 'cancelled'));
    }
    const id = this.nextId++;
    return new Promise<M[K]['reply']>((resolve, reject) => {
      const end = (error: RequestEndedError) => {
        if (this.waiting.get(id)) {
          this.forget(id);
          reject(error);
        }
      };
      const timer = this.timers.setTimeout(() => {
        end(
          new RequestEndedError(
            `${capitalised(this.describe)} did not answer within ${Math.round(options.deadlineMs / 1000)} s.`,
            'deadline',
          ),
        );
        this.onDeadline(type);
      }, options.deadlineMs);
      const onCancel = () => end(new RequestEndedError('Cancelled.', 'cancelled'));
      const cancellation = options.cancellation;
      const listener = cancellation?.onCancellationRequested?.(onCancel);
      cancellation?.addEventListener?.('abort', onCancel);
      this.waiting.set(id, {
        type,
        resolve: resolve as (body: unknown) => void,
        reject,
        cleanup: () => {
          this.timers.clearTimeout(timer);
          listener?.dispose();
          cancellation?.removeEventListener?.('abort', onCancel);
        },
      });
      try {
        send({ ...fields, type, requestId: id } as unknown as RequestMessage<M, K>);
      } catch (error) {
        this.forget(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** The type of the request `inReplyTo` names, while it waits: a reply is checked against it. */
  typeOf(inReplyTo: number): string | undefined {
    return this.waiting.get(inReplyTo)?.type;
  }

  /**
   * Settles the request `reply` answers with its (checked) body; false when nothing waits for it
   * (a late reply, after a deadline or a cancellation, or an unknown one).
   */
  settle(reply: ReplyMessage): boolean {
    const waiter = this.waiting.get(reply.inReplyTo);
    if (!waiter) {
      return false;
    }
    this.forget(reply.inReplyTo);
    if (reply.error !== undefined) {
      waiter.reject(new Error(reply.error));
    } else {
      waiter.resolve(reply.body);
    }
    return true;
  }

  /** Rejects every request still waiting: the other side lost them (a page hidden or reloaded). */
  rejectAll(reason: string): void {
    const waiters = [...this.waiting.entries()];
    waiters.forEach(([id]) => this.forget(id));
    waiters.forEach(([, waiter]) => waiter.reject(new RequestEndedError(reason, 'gone')));
  }

  /** Rejects every request still waiting, and every later one: the other side is gone (a panel closed). */
  close(reason: string): void {
    this.closedReason = reason;
    this.rejectAll(reason);
  }

  /** Requests still waiting for their reply. */
  get pending(): number {
    return this.waiting.size;
  }

  private forget(id: number): void {
    this.waiting.get(id)?.cleanup();
    this.waiting.delete(id);
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
