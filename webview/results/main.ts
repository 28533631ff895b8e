// The "Classification results" panel's entry point. Its results live in the page's state, so
// they come back when the panel is shown again or the window reloads; so does where their model
// is, so that "Why?" can still explain them after a reload.
import '../ui/toolkit';
import { errorMessage } from '../../src/shared/errorMessage';
import { occlusionSaliency, type SaliencyResult } from '../../src/shared/ml/saliency';
import type { Problem } from '../../src/shared/panelMessages';
import type {
  ClassificationSummary,
  ClassifyMessage,
  ResultsHostToWebview,
  ResultsWebviewToHost,
} from '../../src/shared/resultsProtocol';
import type { BackendChoice } from '../../src/shared/settings';
import { connectToHost } from '../hostChannel';
import { activateBackend } from '../ml/backend';
import { ClassifiedImage, classifyImages } from './classifyImages';
import { loadModel, ModelLoadError } from './modelCache';
import { createResultsView, summarise } from './resultsView';

/** The saved model that classified the results shown, and the backend it ran on. */
interface ModelSource {
  url: string;
  version: string;
  backend: BackendChoice;
}

interface PageState {
  results: ClassifiedImage[];
  summary: string;
  /** Absent in the state kept by an older version of the extension. */
  model?: ModelSource;
}

let backendChoice: BackendChoice | undefined;

const host = connectToHost<ResultsWebviewToHost, ResultsHostToWebview>(classify, (error, message) =>
  reply(message, failure(error)),
);
const view = createResultsView(
  document.getElementById('app')!,
  (text, format) => host.post({ type: 'copyResults', text, format }),
  (action) => host.act(action),
  explain,
);
const saved = host.getState<PageState>();
let shownModel = saved?.model;

/** What to show when a whole request fails, with the action that fits. */
function failure(error: unknown): Problem {
  if (error instanceof ModelLoadError) {
    return { message: error.message, actions: [{ kind: 'trainNow' }, { kind: 'showLog' }] };
  }
  return {
    message: `The pictures could not be classified: ${errorMessage(error)} Try again; the log has the details.`,
    actions: [{ kind: 'showLog' }],
  };
}

function reply(message: ClassifyMessage, problem: Problem): void {
  view.showProblem(problem);
  host.post({
    type: 'classified',
    inReplyTo: message.id,
    results: message.images.map((image) => ({ name: image.name, error: problem.message })),
    problem,
  });
}

/** The pictures of the request under way (its groups arrive one by one) and when it began. */
let shown: ClassifiedImage[] = [];
let shownRequest = 0;
let startedAt = 0;

async function classify(message: ClassifyMessage): Promise<void> {
  if (message.done === 0) {
    shown = [];
    shownRequest = message.request;
    startedAt = performance.now();
  }
  const stale = message.request !== shownRequest;
  view.showStatus(`Classifying ${message.done + message.images.length} of ${message.total} picture(s)…`, 'busy');
  if (!stale) {
    // From here on "Why?" uses this model too: loading an older one would dispose this one under us.
    shownModel = { url: message.modelUrl, version: message.modelVersion, backend: message.settings.backend };
  }
  await useBackend(message.settings.backend);
  const model = await loadModel(message.modelUrl, message.modelVersion);
  const results = await classifyImages(model, message.images);
  if (stale) {
    host.post({ type: 'classified', inReplyTo: message.id, results: summaries(results) });
    return;
  }
  shown = [...shown, ...results];
  const finished = message.done + message.images.length >= message.total;
  const summary = finished
    ? summarise(shown, performance.now() - startedAt)
    : `${shown.length} of ${message.total} picture(s) classified so far…`;
  view.showResults(shown, summary, shownModel?.version);
  host.setState<PageState>({ results: shown, summary, model: shownModel });
  host.post({ type: 'classified', inReplyTo: message.id, results: summaries(results) });
}

async function useBackend(choice: BackendChoice): Promise<void> {
  if (choice !== backendChoice) {
    await activateBackend(choice, document.body.dataset.wasmPath!);
    backendChoice = choice;
  }
}

/** "Why?" on a card: the saliency map of its input, by the model that classified it. */
async function explain(pixels: Uint8Array): Promise<SaliencyResult> {
  if (!shownModel) {
    throw new Error('These results were kept by an older version of the extension. Classify the picture again.');
  }
  await useBackend(shownModel.backend);
  return occlusionSaliency(await loadModel(shownModel.url, shownModel.version), pixels);
}

function summaries(results: ClassifiedImage[]): ClassificationSummary[] {
  return results.map((r) => ({
    name: r.name,
    predictedClass: r.prediction?.predictedClass,
    confidence: r.prediction?.confidence,
    error: r.error,
  }));
}

if (saved?.results?.length) {
  view.showResults(saved.results, saved.summary, saved.model?.version, true);
}
host.ready();
