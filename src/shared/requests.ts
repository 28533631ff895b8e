// Requests that need an answer, on either side of a panel: each carries an id, its reply names
// it in `inReplyTo` and may carry an error, which rejects the caller's promise. Pure, so the same
// helper serves the host and the webviews and is unit-tested in Node.

/** The part every reply has. */
export interface Reply {
  inReplyTo: number;
  /** Set when the request failed; the caller's promise rejects with it. */
  error?: string;
}

interface Waiter<R> {
  resolve: (reply: R) => void;
  reject: (error: Error) => void;
}

export class PendingRequests<R extends Reply> {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter<R>>();
  private closedReason: string | undefined;

  /** Sends a request through `send`, which puts the id into the message; resolves with its reply. */
  request(send: (id: number) => void): Promise<R> {
    if (this.closedReason !== undefined) {
      return Promise.reject(new Error(this.closedReason));
    }
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      try {
        send(id);
      } catch (error) {
        this.waiting.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Settles the request `reply` answers; false when nothing waits for it (a late or unknown reply). */
  settle(reply: R): boolean {
    const waiter = this.waiting.get(reply.inReplyTo);
    if (!waiter) {
      return false;
    }
    this.waiting.delete(reply.inReplyTo);
    if (reply.error !== undefined) {
      waiter.reject(new Error(reply.error));
    } else {
      waiter.resolve(reply);
    }
    return true;
  }

  /** Rejects every request still waiting: the other side lost them (a hidden page that was unloaded). */
  rejectAll(reason: string): void {
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    waiters.forEach((waiter) => waiter.reject(new Error(reason)));
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
}
