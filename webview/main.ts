// The classifier panel's entry point: builds the page, then says `ready` to the host.
import './ui/toolkit';
import { PanelController } from './controller';
import { createPanelLayout } from './views/layout';
import { onHostMessage, vscode } from './vscodeApi';
import { errorMessage } from '../src/shared/errorMessage';

const views = createPanelLayout(document.getElementById('app')!);
views.status.show('Connecting to the editor…', 'busy');
const controller = new PanelController(views, document.body.dataset.wasmPath!);

// Messages are handled one at a time, in order: each may wait on TF.js or a fetch.
let queue = Promise.resolve();
onHostMessage((message) => {
  queue = queue
    .then(() => controller.handle(message))
    .catch((error: unknown) => {
      const text = errorMessage(error);
      views.status.show(text, 'error');
      vscode.postMessage({ type: 'panelError', message: text });
    });
});
vscode.postMessage({ type: 'ready' });
