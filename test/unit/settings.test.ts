import * as assert from 'node:assert/strict';
import {
  DEFAULT_SETTINGS,
  MODEL_PRESETS,
  normalizeSettings,
  PRESET_DEFAULTS,
  PresetSetting,
  SEED_RANGE,
  SETTING_RANGES,
  valueSetByPerson,
} from '../../src/shared/settings';
import { manifestSettings } from './manifestSettings';

const PRESET_SETTINGS = Object.keys(PRESET_DEFAULTS.mlp) as PresetSetting[];
const isPresetSetting = (key: string): key is PresetSetting => (PRESET_SETTINGS as string[]).includes(key);

describe('settings', () => {
  it('uses the defaults for missing or mistyped values', () => {
    assert.deepEqual(normalizeSettings({}), DEFAULT_SETTINGS);
    assert.deepEqual(normalizeSettings({ epochs: 'ten', backend: 'tpu', dropout: Number.NaN }), DEFAULT_SETTINGS);
  });

  it('clamps numbers into range and rounds integer settings', () => {
    const settings = normalizeSettings({ epochs: 0, batchSize: 64.4, dropout: 2, trainSubsetSize: 1e9 });
    assert.equal(settings.epochs, 1);
    assert.equal(settings.batchSize, 64);
    assert.equal(settings.dropout, 0.9);
    assert.equal(settings.trainSubsetSize, 60000);
  });

  it('declares the same ranges in package.json as the panel shows and enforces', () => {
    const properties = manifestSettings();
    for (const [key, range] of Object.entries(SETTING_RANGES)) {
      const property = properties[`fashionClassifier.${key}`];
      assert.equal(property?.maximum, range.max, `${key} maximum`);
      assert.equal(
        property?.minimum ?? property?.exclusiveMinimum,
        key === 'learningRate' ? 0 : range.min,
        `${key} minimum`,
      );
      const type = range.integer ? 'integer' : 'number';
      // A preset setting may also be null: "the model's own".
      assert.deepEqual(property?.type, isPresetSetting(key) ? [type, 'null'] : type, `${key} type`);
    }
  });

  it('keeps a seed as a whole number in range, and anything else as a new seed per run (null)', () => {
    assert.equal(normalizeSettings({}).seed, null);
    assert.equal(normalizeSettings({ seed: 42 }).seed, 42);
    assert.equal(normalizeSettings({ seed: 0 }).seed, 0);
    assert.equal(normalizeSettings({ seed: 7.6 }).seed, 8);
    assert.equal(normalizeSettings({ seed: -3 }).seed, 0);
    assert.equal(normalizeSettings({ seed: 2 ** 40 }).seed, SEED_RANGE.max);
    for (const seed of [null, '', '42', Number.NaN, Infinity, {}]) {
      assert.equal(normalizeSettings({ seed }).seed, null, JSON.stringify(seed));
    }
  });

  it('declares the seed in package.json as an integer in the range the settings keep, or null', () => {
    const property = manifestSettings()['fashionClassifier.seed'];
    assert.deepEqual(property.type, ['integer', 'null']);
    assert.equal(property.minimum, SEED_RANGE.min);
    assert.equal(property.maximum, SEED_RANGE.max);
    assert.equal(SEED_RANGE.max, 2 ** 32 - 1, 'every seed the generator takes');
  });

  it('gives each preset its own epochs and batch size unless set', () => {
    assert.deepEqual(
      [normalizeSettings({ model: 'cnn' }).epochs, normalizeSettings({ model: 'cnn' }).batchSize],
      [PRESET_DEFAULTS.cnn.epochs, PRESET_DEFAULTS.cnn.batchSize],
    );
    assert.equal(normalizeSettings({ model: 'cnn', epochs: 3 }).epochs, 3);
    assert.equal(normalizeSettings({ model: 'mlp' }).epochs, 5);
  });

  it('declares the same defaults in package.json, and none for what depends on the model', () => {
    const properties = manifestSettings();
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      assert.equal(properties[`fashionClassifier.${key}`]?.default, isPresetSetting(key) ? null : value, key);
    }
  });

  it("gives each preset's own value in the description of every setting that depends on the model", () => {
    const properties = manifestSettings();
    assert.deepEqual(PRESET_SETTINGS.sort(), ['batchSize', 'epochs', 'learningRate', 'learningRateDecay']);
    for (const key of PRESET_SETTINGS) {
      const text: string = properties[`fashionClassifier.${key}`]?.markdownDescription ?? '';
      for (const [model, name] of [
        ['mlp', 'MLP'],
        ['cnn', 'CNN'],
      ] as const) {
        assert.ok(text.includes(`\`${PRESET_DEFAULTS[model][key]}\` for the ${name}`), `${key}, ${model}: ${text}`);
      }
    }
    // A setting the presets do not differ in would not need this.
    for (const key of PRESET_SETTINGS) {
      assert.notEqual(PRESET_DEFAULTS.mlp[key], PRESET_DEFAULTS.cnn[key], key);
    }
  });

  it("takes an unset or null preset setting as the model's own, and a set one as set", () => {
    for (const model of MODEL_PRESETS) {
      for (const key of PRESET_SETTINGS) {
        assert.equal(
          normalizeSettings({ model, [key]: undefined })[key],
          PRESET_DEFAULTS[model][key],
          `${model} ${key}`,
        );
        assert.equal(normalizeSettings({ model, [key]: null })[key], PRESET_DEFAULTS[model][key], `${model} ${key}`);
      }
    }
    assert.equal(normalizeSettings({ model: 'cnn', learningRate: 0.01 }).learningRate, 0.01);
  });

  it('reads the most specific scope a person set, a null included', () => {
    assert.equal(valueSetByPerson({}), undefined);
    assert.equal(valueSetByPerson({ globalValue: 7 }), 7);
    assert.equal(valueSetByPerson({ globalValue: 7, workspaceValue: 3 }), 3);
    assert.equal(valueSetByPerson({ globalValue: 7, workspaceValue: 3, workspaceFolderValue: 2 }), 2);
    assert.equal(valueSetByPerson({ globalValue: 7, workspaceValue: null }), null);
    assert.equal(valueSetByPerson({ globalValue: null, workspaceValue: undefined }), null);
  });
});
