// The classifier panel's entry point: builds the page, then says `ready` to the host.
import './ui/toolkit';
import { PanelController } from './controller';
import { createPanelLayout } from './views/layout';
import { onHostMessagesInOrder } from './hostChannel';
import { vscode } from './vscodeApi';
import type { HostToWebview } from '../src/shared/protocol';
import { errorMessage } from '../src/shared/errorMessage';

const views = createPanelLayout(document.getElementById('app')!);
views.status.show('Connecting to the editor…', 'busy');
const controller = new PanelController(views, document.body.dataset.wasmPath!);

onHostMessagesInOrder<HostToWebview>(
  (message) => controller.handle(message),
  (error) => {
    const text = errorMessage(error);
    views.status.show(text, 'error');
    vscode.postMessage({ type: 'panelError', message: text });
  },
);
vscode.postMessage({ type: 'ready' });
