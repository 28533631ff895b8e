// Requests from the panel that the host answers: each carries an id, the reply names it in
// `inReplyTo`, and a reply with an error rejects the caller's promise.
import type { ModelSavedMessage, SaveModelRequest } from '../src/shared/protocol';
import { vscode } from './vscodeApi';

type Pending = { resolve: () => void; reject: (error: Error) => void };

const pending = new Map<number, Pending>();
let nextId = 1;

/** Asks the host to save a trained model; resolves once it is safely on disk. */
export function requestSaveModel(request: Omit<SaveModelRequest, 'type' | 'id'>): Promise<void> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    vscode.postMessage({ type: 'saveModel', id, ...request });
  });
}

/** Settles the request a reply answers. */
export function settleReply(reply: ModelSavedMessage): void {
  const waiter = pending.get(reply.inReplyTo);
  pending.delete(reply.inReplyTo);
  if (reply.error) {
    waiter?.reject(new Error(reply.error));
  } else {
    waiter?.resolve();
  }
}
