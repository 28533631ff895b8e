// The hyperparameters as controls: each shows its range, writes its VS Code setting when changed
// (the Settings editor stays the source of truth, and its changes show here), and is disabled
// during a run. "Reset to the tutorial's values" clears them all.
//
// DOM for tests:
//   #hyperparameters                     the form; dd[data-key][data-value] per setting (data-value
//                                        is the value in force), dd for "optimizer" and "loss"
//   #hyperparameters input[name=<key>]   a number setting's field (min, max, step as its range)
//   #hyperparameters [data-range]        the range shown next to each field, e.g. "1–100"
//   #hyperparameters .field-error        the reason a typed value was not taken
//   #hyperparameters input[name=seed]    the seed; empty = a new seed every run (its dd's
//                                        data-value is then empty)
//   #backend-choice                      the backend dropdown; #reset-hyperparameters the reset button
import {
  BACKENDS,
  DEFAULT_SETTINGS,
  normalizeSettings,
  NumericSetting,
  parseSeedText,
  SEED_RANGE,
  SETTING_RANGES,
  type TrainingSettings,
} from '../../src/shared/settings';
import { createButton, createDropdown, setDisabled, setDropdownValue } from '../ui/toolkit';
import { h } from './dom';

/** How the model is compiled; both are fixed by the tutorial. */
export interface CompileSettings {
  optimizer: string;
  loss: string;
}

export const TUTORIAL_COMPILE: CompileSettings = { optimizer: 'adam', loss: 'sparse categorical cross-entropy' };

export type SettingChange = {
  [K in keyof TrainingSettings]: { key: K; value: TrainingSettings[K] };
}[keyof TrainingSettings];

export interface HyperparameterForm {
  readonly element: HTMLElement;
  show(settings: TrainingSettings, compile?: CompileSettings): void;
  setEnabled(enabled: boolean): void;
  onChange(listener: (change: SettingChange) => void): void;
  onReset(listener: () => void): void;
}

interface NumberField {
  key: NumericSetting;
  label: string;
  /** Step of the field's arrows. */
  step: number;
  /** What 0 means, when it means something else than 0. */
  zero?: string;
  /** What 1 means, for a factor. */
  one?: string;
  /** Shown only for these presets (all when absent). */
  presets?: TrainingSettings['model'][];
}

const FIELDS: readonly NumberField[] = [
  { key: 'epochs', label: 'Epochs', step: 1 },
  { key: 'batchSize', label: 'Batch size', step: 1 },
  { key: 'learningRate', label: 'Learning rate', step: 0.0001 },
  { key: 'learningRateDecay', label: 'Learning rate decay per epoch', step: 0.05, one: 'constant' },
  { key: 'hiddenUnits', label: 'Hidden units', step: 1, presets: ['mlp'] },
  { key: 'dropout', label: 'Dropout', step: 0.05, presets: ['mlp'] },
  { key: 'validationSplit', label: 'Validation split', step: 0.05 },
  { key: 'trainSubsetSize', label: 'Training images used', step: 1000, zero: 'all' },
  { key: 'testSubsetSize', label: 'Test images used', step: 1000, zero: 'all' },
  { key: 'earlyStoppingPatience', label: 'Early stopping patience', step: 1, zero: 'off' },
  // Not a hyperparameter (the same mathematics on any count), but where it is found.
  { key: 'workers', label: 'Training threads on WebAssembly', step: 1, zero: 'auto' },
];

const BACKEND_LABELS: Record<TrainingSettings['backend'], string> = {
  auto: 'auto (fastest here)',
  webgl: 'WebGL (GPU)',
  wasm: 'WebAssembly (CPU, SIMD)',
  cpu: 'plain JavaScript (CPU)',
};

function rangeText(field: NumberField): string {
  const { min, max } = SETTING_RANGES[field.key];
  const format = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 6 });
  const meaning = field.zero ? `; 0 = ${field.zero}` : field.one ? `; 1 = ${field.one}` : '';
  return `${format(min)}–${format(max)}${meaning}`;
}

/** The value typed into a field if the settings would keep it as typed, else the reason they would not. */
export function parseField(key: NumericSetting, text: string): { value: number } | { reason: string } {
  const value = Number(text.trim());
  const { min, max, integer } = SETTING_RANGES[key];
  if (text.trim() === '' || !Number.isFinite(value)) {
    return { reason: 'Type a number.' };
  }
  if (integer && !Number.isInteger(value)) {
    return { reason: 'Type a whole number.' };
  }
  if (normalizeSettings({ [key]: value })[key] !== value) {
    return { reason: `Type a number from ${min} to ${max}.` };
  }
  return { value };
}

export function createHyperparameterForm(): HyperparameterForm {
  const changeListeners: ((change: SettingChange) => void)[] = [];
  const resetListeners: (() => void)[] = [];
  const emit = (change: SettingChange) => changeListeners.forEach((listener) => listener(change));
  let current: TrainingSettings = { ...DEFAULT_SETTINGS };

  const rows = new Map<
    NumericSetting,
    { dt: HTMLElement; dd: HTMLElement; input: HTMLInputElement; error: HTMLElement }
  >();
  for (const field of FIELDS) {
    const { min, max } = SETTING_RANGES[field.key];
    const id = `setting-${field.key}`;
    const input = h('input', {
      id,
      name: field.key,
      type: 'number',
      min,
      max,
      step: field.step,
      class: 'setting-input',
    });
    const error = h('span', { class: 'field-error', role: 'alert' });
    input.addEventListener('change', () => {
      const parsed = parseField(field.key, input.value);
      if ('reason' in parsed) {
        error.textContent = parsed.reason;
        input.setAttribute('aria-invalid', 'true');
        input.value = String(current[field.key]);
        return;
      }
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      if (parsed.value !== current[field.key]) {
        emit({ key: field.key, value: parsed.value });
      }
    });
    const dt = h('dt', {}, h('label', { for: id }, field.label));
    const dd = h(
      'dd',
      { 'data-key': field.key },
      input,
      h('span', { class: 'setting-range', 'data-range': rangeText(field) }, rangeText(field)),
      error,
    );
    rows.set(field.key, { dt, dd, input, error });
  }
  const seed = createSeedRow(
    (value) => emit({ key: 'seed', value }),
    () => current.seed,
  );
  const backend = createDropdown(
    BACKENDS.map((name) => [name, BACKEND_LABELS[name]] as const),
    DEFAULT_SETTINGS.backend,
    (value) => emit({ key: 'backend', value: value as TrainingSettings['backend'] }),
  );
  backend.id = 'backend-choice';
  backend.setAttribute('aria-label', 'Backend');
  const backendValue = h('dd', { 'data-key': 'backend' }, backend);
  const optimizer = h('dd', { 'data-key': 'optimizer' });
  const loss = h('dd', { 'data-key': 'loss' });
  const reset = createButton("Reset to the tutorial's values", () => resetListeners.forEach((l) => l()), 'secondary');
  reset.id = 'reset-hyperparameters';
  const list = h('dl', { class: 'key-values hyperparameter-list' });
  const element = h(
    'form',
    { id: 'hyperparameters', class: 'hyperparameters', 'aria-label': 'Hyperparameters' },
    list,
    reset,
  );
  element.addEventListener('submit', (event) => event.preventDefault());

  return {
    element,
    show(settings, compile = TUTORIAL_COMPILE) {
      current = settings;
      const children: HTMLElement[] = [];
      for (const field of FIELDS) {
        const row = rows.get(field.key)!;
        if (field.presets && !field.presets.includes(settings.model)) {
          continue;
        }
        row.dd.dataset.value = String(settings[field.key]);
        if (document.activeElement !== row.input) {
          row.input.value = String(settings[field.key]);
        }
        children.push(row.dt, row.dd);
      }
      seed.show(settings.seed);
      backendValue.dataset.value = settings.backend;
      setDropdownValue(backend, settings.backend);
      optimizer.dataset.value = compile.optimizer;
      optimizer.textContent = compile.optimizer;
      loss.dataset.value = compile.loss;
      loss.textContent = compile.loss;
      list.replaceChildren(
        ...children,
        seed.dt,
        seed.dd,
        h('dt', {}, 'Backend'),
        backendValue,
        h('dt', {}, 'Optimizer'),
        optimizer,
        h('dt', {}, 'Loss'),
        loss,
      );
    },
    setEnabled(enabled) {
      for (const row of rows.values()) {
        row.input.disabled = !enabled;
      }
      seed.input.disabled = !enabled;
      setDisabled(backend, !enabled);
      setDisabled(reset, !enabled);
    },
    onChange: (listener) => void changeListeners.push(listener),
    onReset: (listener) => void resetListeners.push(listener),
  };
}

/**
 * The seed's row: a whole number, or empty for a new seed every run. Unlike the other fields it
 * has no number that means "none", so empty is a value of its own.
 */
function createSeedRow(emit: (value: number | null) => void, current: () => number | null) {
  const input = h('input', {
    id: 'setting-seed',
    name: 'seed',
    type: 'number',
    min: SEED_RANGE.min,
    max: SEED_RANGE.max,
    step: 1,
    placeholder: 'new each run',
    class: 'setting-input',
  });
  const error = h('span', { class: 'field-error', role: 'alert' });
  const range = `${SEED_RANGE.min}–${SEED_RANGE.max.toLocaleString('en-US')}; empty = new each run`;
  input.addEventListener('change', () => {
    // A number field reads text that is no number as empty, which here would mean "new each run".
    const parsed = input.validity.badInput ? parseSeedText('not a number') : parseSeedText(input.value);
    if ('reason' in parsed) {
      error.textContent = parsed.reason;
      input.setAttribute('aria-invalid', 'true');
      input.value = current() === null ? '' : String(current());
      return;
    }
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    if (parsed.value !== current()) {
      emit(parsed.value);
    }
  });
  const dt = h('dt', {}, h('label', { for: 'setting-seed' }, 'Seed'));
  const dd = h(
    'dd',
    { 'data-key': 'seed' },
    input,
    h('span', { class: 'setting-range', 'data-range': range }, range),
    error,
  );
  return {
    dt,
    dd,
    input,
    show(value: number | null) {
      const text = value === null ? '' : String(value);
      dd.dataset.value = text;
      if (document.activeElement !== input) {
        input.value = text;
      }
    },
  };
}
