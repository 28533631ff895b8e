// The training settings as the panel sees them, and how raw configuration values become them.
// Pure: no `vscode` import, so the same rules are unit-tested in Node.

export const BACKENDS = ['auto', 'webgl', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export interface TrainingSettings {
  epochs: number;
  batchSize: number;
  hiddenUnits: number;
  dropout: number;
  learningRate: number;
  validationSplit: number;
  /** 0 means the whole training set. */
  trainSubsetSize: number;
  /** 0 means the whole test set. */
  testSubsetSize: number;
  backend: BackendChoice;
}

/** The tutorial's values; package.json declares the same defaults for the Settings editor. */
export const DEFAULT_SETTINGS: Readonly<TrainingSettings> = {
  epochs: 5,
  batchSize: 32,
  hiddenUnits: 256,
  dropout: 0.2,
  learningRate: 0.001,
  validationSplit: 0.2,
  trainSubsetSize: 0,
  testSubsetSize: 0,
  backend: 'auto',
};

interface Range {
  min: number;
  max: number;
  integer: boolean;
}

const RANGES: Record<Exclude<keyof TrainingSettings, 'backend'>, Range> = {
  epochs: { min: 1, max: 100, integer: true },
  batchSize: { min: 1, max: 4096, integer: true },
  hiddenUnits: { min: 1, max: 4096, integer: true },
  dropout: { min: 0, max: 0.9, integer: false },
  learningRate: { min: 1e-6, max: 1, integer: false },
  validationSplit: { min: 0, max: 0.9, integer: false },
  trainSubsetSize: { min: 0, max: 60000, integer: true },
  testSubsetSize: { min: 0, max: 10000, integer: true },
};

/**
 * Turns whatever the user wrote in settings.json into usable settings: a value of the wrong type
 * falls back to its default, and a number out of range is clamped, because settings.json is
 * edited by hand and a typo must not break training.
 */
export function normalizeSettings(raw: Partial<Record<keyof TrainingSettings, unknown>>): TrainingSettings {
  const settings: TrainingSettings = { ...DEFAULT_SETTINGS };
  for (const [key, range] of Object.entries(RANGES) as [keyof typeof RANGES, Range][]) {
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
  return settings;
}
