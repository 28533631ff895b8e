import type { WebviewToHost } from '../src/shared/protocol';
import { acquireHostChannel } from './hostChannel';

/** The classifier panel's handle on the host. */
export const vscode = acquireHostChannel<WebviewToHost>();
