import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_SETTINGS,
  normalizeSettings,
  PRESET_DEFAULTS,
  SEED_RANGE,
  SETTING_RANGES,
} from '../../src/shared/settings';

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
    const properties = JSON.parse(readFileSync('package.json', 'utf8')).contributes.configuration.properties;
    for (const [key, range] of Object.entries(SETTING_RANGES)) {
      const property = properties[`fashionClassifier.${key}`];
      assert.equal(property?.maximum, range.max, `${key} maximum`);
      assert.equal(
        property?.minimum ?? property?.exclusiveMinimum,
        key === 'learningRate' ? 0 : range.min,
        `${key} minimum`,
      );
      assert.equal(property?.type, range.integer ? 'integer' : 'number', `${key} type`);
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
    const property = JSON.parse(readFileSync('package.json', 'utf8')).contributes.configuration.properties[
      'fashionClassifier.seed'
    ];
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

  it('declares the same defaults in package.json', () => {
    const properties = JSON.parse(readFileSync('package.json', 'utf8')).contributes.configuration.properties;
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      assert.equal(properties[`fashionClassifier.${key}`]?.default, value, key);
    }
  });
});
