// The classifier panel's entry point: builds the page, then says `ready` to the host.
import './ui/toolkit';
import { errorMessage } from '../src/shared/errorMessage';
import type { ClassifierProtocol } from '../src/shared/protocol';
import { PanelController } from './controller';
import { connectToHost } from './hostChannel';
import { configureTrainingWorkers } from './ml/workers/workerPool';
import { markStartup } from './startupTimings';
import { createPanelLayout } from './views/layout';

markStartup('page');
// The training workers' bundle ships next to this one (esbuild.mjs).
configureTrainingWorkers({
  scriptUrl: new URL('training-worker.js', (document.currentScript as HTMLScriptElement).src).href,
  wasmFolderUrl: document.body.dataset.wasmPath!,
});
const views = createPanelLayout(document.getElementById('app')!);
views.status.show('Connecting to the editor…', 'busy');

// The controller needs the connection and the connection hands messages to the controller; no
// message arrives before `ready`, which is sent once both exist.
const controllerRef: { current?: PanelController } = {};
const host = connectToHost<ClassifierProtocol>({
  onEvent: (message) => controllerRef.current!.handle(message),
  requests: {},
  // The notification's Cancel stops the run between two batches, not after whatever the page is doing.
  immediate: (message) => message.type === 'stopTraining',
  onError: (error) =>
    views.status.show(`Something went wrong in the panel: ${errorMessage(error)} The log has the details.`, 'error'),
});
controllerRef.current = new PanelController(views, document.body.dataset.wasmPath!, host);
host.ready();
