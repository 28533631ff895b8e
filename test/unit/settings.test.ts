import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_SETTINGS, normalizeSettings, PRESET_DEFAULTS, SETTING_RANGES } from '../../src/shared/settings';

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
