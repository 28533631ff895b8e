// Section 2, "Build the model": the layer table the tutorial prints with `model.summary()`, the
// total number of weights, and the hyperparameters the run will use.
//
// DOM for tests:
//   #model-summary                  table, one tbody row per layer:
//     tr.layer[data-name][data-params], cells: name, type, output shape, params
//   #total-params[data-value]       e.g. 203530 (text "203,530")
//   #hyperparameters                the hyperparameters' controls (see hyperparameterForm.ts)
//   #model-preset[data-value]       the model dropdown ("mlp" | "cnn"); disabled during a run
//   #model-section[data-model]      the preset the summary shows
import type { ModelPreset, TrainingSettings } from '../../src/shared/settings';
import { createDropdown, setDisabled, setDropdownValue } from '../ui/toolkit';
import { createSection, h, placeholder } from './dom';
import { createHyperparameterForm, HyperparameterForm } from './hyperparameterForm';
import { formatCount, formatShape } from './format';

export interface LayerSummary {
  name: string;
  /** Layer class, e.g. "Dense". */
  className: string;
  /** Batch dimension first, as null, e.g. [null, 256]. */
  outputShape: readonly (number | null)[];
  params: number;
}

/** The shape of the training code's model summary. */
export interface ModelSummary {
  layers: readonly LayerSummary[];
  totalParams: number;
  /** Defaults to `totalParams`; differs only if some weights are frozen. */
  trainableParams?: number;
}

export interface ModelView {
  readonly element: HTMLElement;
  /** The hyperparameters' controls, shown beside the summary. */
  readonly hyperparameters: HyperparameterForm;
  show(model: ModelSummary, settings: TrainingSettings): void;
  /** Called with the preset the person picks; the setting it writes comes back through `show`. */
  onPresetChange(listener: (preset: ModelPreset) => void): void;
  /** The preset cannot change during a run. */
  setPresetEnabled(enabled: boolean): void;
}

/** What each preset is, in the learner's words. */
const PRESET_INTROS: Record<ModelPreset, string> = {
  mlp: 'A flat layer unrolls each 28×28 image into 784 numbers, a dense layer with ReLU learns features, dropout fights overfitting, and a 10-unit softmax layer gives a probability per class.',
  cnn: 'Convolution layers slide small 3×3 filters over the image, so the same feature (an edge, a collar, a heel) is found wherever it is; pooling halves the resolution after each; dense layers then turn the features into ten probabilities.',
};

const PRESET_OPTIONS = [
  ['mlp', "Tutorial's network (MLP)"],
  ['cnn', 'Small convolutional network (CNN)'],
] as const;

function layerTable(model: ModelSummary): HTMLTableElement {
  const header = h(
    'tr',
    {},
    ...['Layer', 'Type', 'Output shape', 'Params'].map((title) => h('th', { scope: 'col' }, title)),
  );
  const rows = model.layers.map((layer) =>
    h(
      'tr',
      { class: 'layer', 'data-name': layer.name, 'data-params': layer.params },
      h('td', {}, layer.name),
      h('td', {}, layer.className),
      h('td', { class: 'mono' }, formatShape(layer.outputShape)),
      h('td', { class: 'number' }, formatCount(layer.params)),
    ),
  );
  return h(
    'table',
    { id: 'model-summary', class: 'data-table' },
    h('caption', {}, 'Layers, input to output'),
    h('thead', {}, header),
    h('tbody', {}, ...rows),
  );
}

export function createModelView(): ModelView {
  const { section, body } = createSection('model-section', '2. Build the model', PRESET_INTROS.mlp);
  const intro = section.querySelector('.intro')!;
  const presetListeners: ((preset: ModelPreset) => void)[] = [];
  const preset = createDropdown(PRESET_OPTIONS, 'mlp', (value) =>
    presetListeners.forEach((listener) => listener(value as ModelPreset)),
  );
  preset.id = 'model-preset';
  preset.setAttribute('aria-label', 'Model');
  const presetRow = h('label', { class: 'model-preset' }, 'Model: ', preset);
  const hyperparameters = createHyperparameterForm();
  const content = h('div', {}, placeholder('The model is built when training starts.'));
  body.append(presetRow, content);

  return {
    element: section,
    hyperparameters,
    show(model, settings) {
      section.dataset.model = settings.model;
      intro.textContent = PRESET_INTROS[settings.model];
      setDropdownValue(preset, settings.model);
      preset.dataset.value = settings.model;
      const trainable = model.trainableParams ?? model.totalParams;
      const total = h(
        'p',
        { class: 'total-params' },
        'Total params: ',
        h('strong', { id: 'total-params', 'data-value': model.totalParams }, formatCount(model.totalParams)),
        trainable === model.totalParams ? ' (all trainable)' : ` (${formatCount(trainable)} trainable)`,
      );
      const table = h('div', { class: 'model-layers' }, layerTable(model), total);
      const hyper = h(
        'div',
        { class: 'model-hyperparameters' },
        h('h3', {}, 'Hyperparameters'),
        hyperparameters.element,
      );
      hyperparameters.show(settings);
      content.replaceChildren(h('div', { class: 'two-columns' }, table, hyper));
    },
    onPresetChange: (listener) => void presetListeners.push(listener),
    setPresetEnabled: (enabled) => setDisabled(preset, !enabled),
  };
}
