// Builds the classifier panel: a title, the status line, and one section per step of the
// Keras "basic classification" tutorial, in its order. Returns each view so the training code
// can feed it data; the views themselves never talk to TensorFlow.js or the extension host.
import { createDataView, DataView } from './dataView';
import { h } from './dom';
import { createEvaluationView, EvaluationView } from './evaluationView';
import { createExperimentView, ExperimentView } from './experimentView';
import { createInsideView, InsideView } from './insideView';
import { createModelView, ModelView } from './modelView';
import { createPredictionsView, PredictionsView } from './predictionsView';
import { createRunsView, RunsView } from './runsView';
import { createStatusView, StatusView } from './statusView';
import { createTrainingView, TrainingView } from './trainingView';

export interface PanelViews {
  status: StatusView;
  data: DataView;
  model: ModelView;
  training: TrainingView;
  evaluation: EvaluationView;
  predictions: PredictionsView;
  inside: InsideView;
  runs: RunsView;
  experiment: ExperimentView;
}

/** Replaces the content of `app` with the panel's page. */
export function createPanelLayout(app: HTMLElement): PanelViews {
  const views: PanelViews = {
    status: createStatusView(),
    data: createDataView(),
    model: createModelView(),
    training: createTrainingView(),
    evaluation: createEvaluationView(),
    predictions: createPredictionsView(),
    inside: createInsideView(),
    runs: createRunsView(),
    experiment: createExperimentView(),
  };
  app.classList.add('panel');
  app.replaceChildren(
    h(
      'header',
      { class: 'panel-header' },
      h('h1', {}, 'Fashion Classifier'),
      h(
        'p',
        { class: 'subtitle' },
        "Train a clothing classifier step by step, following TensorFlow's Keras basic classification tutorial.",
      ),
    ),
    views.status.element,
    views.data.element,
    views.model.element,
    views.training.element,
    views.evaluation.element,
    views.predictions.element,
    views.inside.element,
    views.runs.element,
    views.experiment.element,
  );
  return views;
}
