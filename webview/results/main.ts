// The "Classification results" panel's entry point.
import '../ui/toolkit';
import type { ClassifyMessage, ResultsHostToWebview, ResultsWebviewToHost } from '../../src/shared/resultsProtocol';
import { activateBackend } from '../ml/backend';
import { classifyImages } from './classifyImages';
import { loadModel } from './modelCache';
import { createResultsView } from './resultsView';
import { errorMessage } from '../../src/shared/errorMessage';
import { acquireHostChannel, onHostMessagesInOrder } from '../hostChannel';

const vscode = acquireHostChannel<ResultsWebviewToHost>();

const view = createResultsView(document.getElementById('app')!, (text, format) =>
  vscode.postMessage({ type: 'copyResults', text, format }),
);
let backendChoice: string | undefined;

async function classify(message: ClassifyMessage): Promise<void> {
  const started = performance.now();
  view.showStatus(`Classifying ${message.images.length} image(s)…`, 'busy');
  if (message.settings.backend !== backendChoice) {
    await activateBackend(message.settings.backend, document.body.dataset.wasmPath!);
    backendChoice = message.settings.backend;
  }
  const model = await loadModel(message.modelUrl, message.modelVersion);
  const results = await classifyImages(model, message.images);
  view.showResults(results, performance.now() - started);
  vscode.postMessage({
    type: 'classified',
    batch: message.batch,
    results: results.map((r) => ({
      name: r.name,
      predictedClass: r.prediction?.predictedClass,
      confidence: r.prediction?.confidence,
      error: r.error,
    })),
  });
}

onHostMessagesInOrder<ResultsHostToWebview>(classify, (error, message) => {
  const text = errorMessage(error);
  view.showStatus(text, 'error');
  vscode.postMessage({
    type: 'classified',
    batch: message.batch,
    results: message.images.map((i) => ({ name: i.name, error: text })),
  });
});
vscode.postMessage({ type: 'ready' });
