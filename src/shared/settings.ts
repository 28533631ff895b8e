// The training settings as the panel sees them, and how raw configuration values become them.
// Pure: no `vscode` import, so the same rules are unit-tested in Node.

export const BACKENDS = ['auto', 'webgl', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

/** The network to train: the tutorial's multilayer perceptron, or a small convolutional network. */
export const MODEL_PRESETS = ['mlp', 'cnn'] as const;
export type ModelPreset = (typeof MODEL_PRESETS)[number];

export interface TrainingSettings {
  model: ModelPreset;
  epochs: number;
  batchSize: number;
  hiddenUnits: number;
  dropout: number;
  learningRate: number;
  /**
   * After each epoch the learning rate is multiplied by this, so late epochs refine instead of
   * jumping around the minimum; 1 (the tutorial's way) keeps it constant.
   */
  learningRateDecay: number;
  validationSplit: number;
  /** 0 means the whole training set. */
  trainSubsetSize: number;
  /** 0 means the whole test set. */
  testSubsetSize: number;
  backend: BackendChoice;
  /**
   * Early stopping: end training after this many epochs without a lower validation loss, and
   * keep the weights of the best epoch. 0 (the tutorial's way) trains every epoch.
   */
  earlyStoppingPatience: number;
  /**
   * Decides the initial weights, every epoch's order of the examples and every dropout mask, so
   * that a run can be repeated exactly; null draws a new seed for each run. A saved run's
   * settings hold the seed it trained with, drawn or set.
   */
  seed: number | null;
  /**
   * Threads that train on WebAssembly: 1 is the page's own; more are data-parallel workers, each
   * with a slice of every batch (never more than the cores); 0 lets "auto" time the counts.
   */
  workers: number;
}

/**
 * The tutorial's values. package.json declares the same defaults for the Settings editor, except
 * for the PresetSetting ones, whose default there is null (the model's own, see PRESET_DEFAULTS).
 */
export const DEFAULT_SETTINGS: Readonly<TrainingSettings> = {
  model: 'mlp',
  epochs: 5,
  batchSize: 32,
  hiddenUnits: 256,
  dropout: 0.2,
  learningRate: 0.001,
  learningRateDecay: 1,
  validationSplit: 0.2,
  trainSubsetSize: 0,
  testSubsetSize: 0,
  backend: 'auto',
  earlyStoppingPatience: 0,
  seed: null,
  workers: 0,
};

export interface SettingRange {
  min: number;
  max: number;
  integer: boolean;
}

export type NumericSetting = Exclude<keyof TrainingSettings, 'backend' | 'model' | 'seed'>;

/** The seeds a person can set: unsigned 32-bit integers, what the generator takes (ml/random.ts). */
export const SEED_RANGE: SettingRange = { min: 0, max: 4294967295, integer: true };

/** The settings each model preset has its own default for. */
export type PresetSetting = 'epochs' | 'batchSize' | 'learningRate' | 'learningRateDecay';

/**
 * What each preset trains with when the person has not set it: the MLP keeps the tutorial's 5
 * epochs of 32 at a constant learning rate of 0.001; the CNN has its own (see createCnn in ml/model.ts for why).
 */
export const PRESET_DEFAULTS: Record<ModelPreset, Pick<TrainingSettings, PresetSetting>> = {
  mlp: {
    epochs: DEFAULT_SETTINGS.epochs,
    batchSize: DEFAULT_SETTINGS.batchSize,
    learningRate: DEFAULT_SETTINGS.learningRate,
    learningRateDecay: DEFAULT_SETTINGS.learningRateDecay,
  },
  cnn: { epochs: 10, batchSize: 64, learningRate: 0.002, learningRateDecay: 0.8 },
};

/** The defaults for `model`: the tutorial's values with the preset's own (PRESET_DEFAULTS). */
export function defaultsFor(model: ModelPreset): TrainingSettings {
  return { ...DEFAULT_SETTINGS, model, ...PRESET_DEFAULTS[model] };
}

/** What `WorkspaceConfiguration.inspect` says of a setting, in the scopes a person writes. */
export interface SettingScopes {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The value a person set, from the most specific scope that has one; undefined when none has.
 * A null counts as set: it is how settings.json says "the model's own" (the manifest's default for
 * the preset settings), so a workspace's null overrides a user's number, and normalizeSettings
 * then gives the preset's value.
 */
export function valueSetByPerson(scopes: SettingScopes): unknown {
  return [scopes.workspaceFolderValue, scopes.workspaceValue, scopes.globalValue].find((value) => value !== undefined);
}

/** The range of every numeric setting; package.json declares the same minimum and maximum. */
export const SETTING_RANGES: Record<NumericSetting, SettingRange> = {
  epochs: { min: 1, max: 100, integer: true },
  batchSize: { min: 1, max: 4096, integer: true },
  hiddenUnits: { min: 1, max: 4096, integer: true },
  dropout: { min: 0, max: 0.9, integer: false },
  learningRate: { min: 1e-6, max: 1, integer: false },
  learningRateDecay: { min: 0.5, max: 1, integer: false },
  validationSplit: { min: 0, max: 0.9, integer: false },
  trainSubsetSize: { min: 0, max: 60000, integer: true },
  testSubsetSize: { min: 0, max: 10000, integer: true },
  earlyStoppingPatience: { min: 0, max: 20, integer: true },
  workers: { min: 0, max: 16, integer: true },
};

/**
 * Turns whatever the user wrote in settings.json into usable settings: a value of the wrong type
 * falls back to its default (for the seed: a new one per run), and a number out of range is clamped, because settings.json is
 * edited by hand and a typo must not break training. An absent epochs, batch size, learning rate or decay takes the
 * model preset's own.
 */
export function normalizeSettings(raw: Partial<Record<keyof TrainingSettings, unknown>>): TrainingSettings {
  const model = (MODEL_PRESETS as readonly unknown[]).includes(raw.model)
    ? (raw.model as ModelPreset)
    : DEFAULT_SETTINGS.model;
  const settings = defaultsFor(model);
  for (const [key, range] of Object.entries(SETTING_RANGES) as [NumericSetting, SettingRange][]) {
    const value = raw[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      continue;
    }
    const clamped = Math.min(range.max, Math.max(range.min, value));
    settings[key] = range.integer ? Math.round(clamped) : clamped;
  }
  if (typeof raw.backend === 'string' && (BACKENDS as readonly string[]).includes(raw.backend)) {
    settings.backend = raw.backend as BackendChoice;
  }
  settings.seed = normalizeSeed(raw.seed);
  return settings;
}

/**
 * A seed as the settings keep it: a number is clamped and rounded like the other integer
 * settings; anything else (null, empty, a mistyped value) means a new random seed per run.
 */
export function normalizeSeed(raw: unknown): number | null {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    return null;
  }
  return Math.round(Math.min(SEED_RANGE.max, Math.max(SEED_RANGE.min, raw)));
}

/**
 * A seed typed into the panel: empty means a new seed for every run (null); otherwise a whole
 * number in range, or the reason it is not one.
 */
export function parseSeedText(text: string): { value: number | null } | { reason: string } {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { value: null };
  }
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value > SEED_RANGE.max) {
    return {
      reason: `Type a whole number from ${SEED_RANGE.min} to ${SEED_RANGE.max.toLocaleString('en-US')}, or leave it empty for a new seed every run.`,
    };
  }
  return { value };
}
