// Section 2, "Build the model": the layer table the tutorial prints with `model.summary()`, the
// total number of weights, and the hyperparameters the run will use.
//
// DOM for tests:
//   #model-summary                  table, one tbody row per layer:
//     tr.layer[data-name][data-params], cells: name, type, output shape, params
//   #total-params[data-value]       e.g. 203530 (text "203,530")
//   #hyperparameters                dl; each dd has data-key (a TrainingSettings key, or
//                                   "optimizer" / "loss") and data-value
//   #model-preset[data-value]       the model dropdown ("mlp" | "cnn"); disabled during a run
//   #model-section[data-model]      the preset the summary shows
import type { ModelPreset, TrainingSettings } from '../../src/shared/settings';
import { createDropdown, setDisabled, setDropdownValue } from '../ui/toolkit';
import { createSection, h, placeholder } from './dom';
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

/** How the model is compiled; both are fixed by the tutorial. */
export interface CompileSettings {
  optimizer: string;
  loss: string;
}

export const TUTORIAL_COMPILE: CompileSettings = { optimizer: 'adam', loss: 'sparse categorical cross-entropy' };

export interface ModelView {
  readonly element: HTMLElement;
  show(model: ModelSummary, settings: TrainingSettings, compile?: CompileSettings): void;
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

/** The settings as a learner reads them; 0 subset sizes mean the whole set. */
function hyperparameterList(s: TrainingSettings, compile: CompileSettings): HTMLDListElement {
  const subset = (size: number) => (size === 0 ? 'all' : formatCount(size));
  const mlpOnly: [key: string, term: string, value: string | number, shown: string][] =
    s.model === 'mlp'
      ? [
          ['hiddenUnits', 'Hidden units', s.hiddenUnits, String(s.hiddenUnits)],
          ['dropout', 'Dropout', s.dropout, String(s.dropout)],
        ]
      : [];
  const entries: [key: string, term: string, value: string | number, shown: string][] = [
    ['model', 'Model', s.model, s.model.toUpperCase()],
    ['epochs', 'Epochs', s.epochs, String(s.epochs)],
    ['batchSize', 'Batch size', s.batchSize, String(s.batchSize)],
    ...mlpOnly,
    ['learningRate', 'Learning rate', s.learningRate, String(s.learningRate)],
    ['validationSplit', 'Validation split', s.validationSplit, String(s.validationSplit)],
    ['trainSubsetSize', 'Training images used', s.trainSubsetSize, subset(s.trainSubsetSize)],
    ['testSubsetSize', 'Test images used', s.testSubsetSize, subset(s.testSubsetSize)],
    ['optimizer', 'Optimizer', compile.optimizer, compile.optimizer],
    ['loss', 'Loss', compile.loss, compile.loss],
  ];
  return h(
    'dl',
    { id: 'hyperparameters', class: 'key-values' },
    ...entries.flatMap(([key, term, value, shown]) => [
      h('dt', {}, term),
      h('dd', { 'data-key': key, 'data-value': value }, shown),
    ]),
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
  const content = h('div', {}, placeholder('The model is built when training starts.'));
  body.append(presetRow, content);

  return {
    element: section,
    show(model, settings, compile = TUTORIAL_COMPILE) {
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
        hyperparameterList(settings, compile),
      );
      content.replaceChildren(h('div', { class: 'two-columns' }, table, hyper));
    },
    onPresetChange: (listener) => void presetListeners.push(listener),
    setPresetEnabled: (enabled) => setDisabled(preset, !enabled),
  };
}
