// The "Classification results" panel's entry point. Its results live in the page's state, so
// they come back when the panel is shown again or the window reloads; so does where their model
// is, so that "Why?" can still explain them after a reload.
import '../ui/toolkit';
import { errorMessage } from '../../src/shared/errorMessage';
import { occlusionSaliency, type SaliencyResult } from '../../src/shared/ml/saliency';
import type { Problem } from '../../src/shared/panelMessages';
import type {
  Classified,
  ClassificationSummary,
  ClassifyRequest,
  ResultsProtocol,
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

/** What the page shows: one value, kept in the webview's state (minus `classifying`'s timing). */
type PageState =
  | { kind: 'empty' }
  /** The groups of request `request` are coming in; `shown` holds those classified so far. */
  | { kind: 'classifying'; request: number; shown: ClassifiedImage[]; startedAt: number; model: ModelSource }
  | { kind: 'shown'; results: ClassifiedImage[]; summary: string; model?: ModelSource };

/** The state the webview keeps across reloads (older versions kept no model). */
interface KeptState {
  results: ClassifiedImage[];
  summary: string;
  model?: ModelSource;
}

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

function summaries(results: ClassifiedImage[]): ClassificationSummary[] {
  return results.map((r) => ({
    name: r.name,
    predictedClass: r.prediction?.predictedClass,
    confidence: r.prediction?.confidence,
    error: r.error,
  }));
}

class ResultsPage {
  private state: PageState = { kind: 'empty' };
  /** The backend TF.js runs on now; a request for another one switches. */
  private backend: BackendChoice | undefined;
  /** Requests the host gave up (Cancel): their groups stop after the picture under way. */
  private readonly cancelled = new Set<number>();

  private readonly host = connectToHost<ResultsProtocol>({
    onEvent: (message) => {
      this.cancelled.add(message.request);
    },
    immediate: (message) => message.type === 'cancelClassification',
    requests: { classify: (request) => this.classify(request) },
    onError: (error) => this.view.showProblem(failure(error)),
  });

  private readonly view = createResultsView(
    document.getElementById('app')!,
    (text, format) => this.host.post({ type: 'copyResults', text, format }),
    (action) => this.host.act(action),
    (pixels) => this.explain(pixels),
  );

  start(): void {
    const kept = this.host.getState<KeptState>();
    if (kept?.results?.length) {
      this.state = { kind: 'shown', ...kept };
      this.view.showResults(kept.results, kept.summary, kept.model?.version, true);
    }
    this.host.ready();
  }

  /** Classifies one group of a request; its results join those of the request's earlier groups. */
  private async classify(message: ClassifyRequest): Promise<Classified> {
    try {
      return await this.classifyGroup(message);
    } catch (error) {
      const problem = failure(error);
      this.view.showProblem(problem);
      return { results: message.images.map((image) => ({ name: image.name, error: problem.message })), problem };
    }
  }

  private async classifyGroup(message: ClassifyRequest): Promise<Classified> {
    const model: ModelSource = {
      url: message.modelUrl,
      version: message.modelVersion,
      backend: message.settings.backend,
    };
    if (message.done === 0) {
      this.state = { kind: 'classifying', request: message.request, shown: [], startedAt: performance.now(), model };
    }
    const current = this.state;
    // Groups of an older request are classified and answered, but not shown.
    const shownHere = current.kind === 'classifying' && current.request === message.request ? current : undefined;
    this.view.showStatus(`Classifying ${message.done + message.images.length} of ${message.total} picture(s)…`, 'busy');
    await this.useBackend(model.backend);
    const loaded = await loadModel(model.url, model.version);
    const results = await classifyImages(loaded, message.images, () => this.cancelled.has(message.request));
    if (!shownHere) {
      return { results: summaries(results) };
    }
    const shown = [...shownHere.shown, ...results];
    const finished = message.done + results.length >= message.total || this.cancelled.has(message.request);
    if (finished) {
      const summary = summarise(shown, performance.now() - shownHere.startedAt);
      this.state = { kind: 'shown', results: shown, summary, model };
      this.view.showResults(shown, summary, model.version);
      this.host.setState<KeptState>({ results: shown, summary, model });
    } else {
      this.state = { ...shownHere, shown };
      const summary = `${shown.length} of ${message.total} picture(s) classified so far…`;
      this.view.showResults(shown, summary, model.version);
      this.host.setState<KeptState>({ results: shown, summary, model });
    }
    return { results: summaries(results) };
  }

  private async useBackend(choice: BackendChoice): Promise<void> {
    if (choice !== this.backend) {
      await activateBackend(choice, document.body.dataset.wasmPath!);
      this.backend = choice;
    }
  }

  /** "Why?" on a card: the saliency map of its input, by the model that classified it. */
  private async explain(pixels: Uint8Array): Promise<SaliencyResult> {
    const model = this.state.kind === 'empty' ? undefined : this.state.model;
    if (!model) {
      throw new Error('These results were kept by an older version of the extension. Classify the picture again.');
    }
    await this.useBackend(model.backend);
    return occlusionSaliency(await loadModel(model.url, model.version), pixels);
  }
}

new ResultsPage().start();
