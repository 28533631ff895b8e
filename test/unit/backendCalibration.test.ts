import * as assert from 'node:assert/strict';
import {
  calibrationImageCount,
  calibrationKey,
  describeCalibration,
  fastestBackend,
  type BackendTiming,
} from '../../src/shared/backendCalibration';

const NVIDIA = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)';
const timing = (backend: BackendTiming['backend'], msPerBatch: number, complete = true): BackendTiming => ({
  backend,
  msPerBatch,
  batches: 8,
  complete,
});

describe('backend calibration', () => {
  it('picks the faster backend, whichever it is', () => {
    assert.equal(fastestBackend([timing('webgl', 9.1), timing('wasm', 3.2)]), 'wasm');
    assert.equal(fastestBackend([timing('webgl', 21), timing('wasm', 48)]), 'webgl');
  });

  it('prefers WASM on a tie', () => {
    assert.equal(fastestBackend([timing('webgl', 5), timing('wasm', 5)]), 'wasm');
  });

  it('does not pick a backend stopped at the time limit over one that finished', () => {
    // Software WebGL still compiling its shaders when its time ran out.
    assert.equal(fastestBackend([timing('webgl', 2, false), timing('wasm', 40)]), 'wasm');
    assert.equal(fastestBackend([timing('webgl', 400, false), timing('cpu', 900, false)]), 'webgl');
  });

  it('refuses to choose from no timings', () => {
    assert.throws(() => fastestBackend([]), /No backend was timed/);
  });

  it('describes both figures and the choice', () => {
    const calibration = {
      timings: [timing('webgl', 9.14), timing('wasm', 3.21)],
      choice: 'wasm' as const,
      measuredAt: '',
    };
    assert.equal(
      describeCalibration(calibration, NVIDIA),
      `WebGL (${NVIDIA}): 9.1 ms per batch · WebAssembly: 3.2 ms per batch → WebAssembly`,
    );
    const stopped = {
      timings: [timing('webgl', 612.4, false), timing('wasm', 48)],
      choice: 'wasm' as const,
      measuredAt: '',
    };
    assert.match(
      describeCalibration(stopped, 'SwiftShader'),
      /^WebGL \(SwiftShader\): over 612 ms per batch \(stopped/,
    );
  });

  it('keeps a calibration per renderer, model, batch size and, for the MLP, hidden units', () => {
    const mlp = (batchSize: number, hiddenUnits = 256) => ({ model: 'mlp' as const, batchSize, hiddenUnits });
    const cnn = (batchSize: number, hiddenUnits = 256) => ({ model: 'cnn' as const, batchSize, hiddenUnits });
    const keys = new Set([
      calibrationKey(NVIDIA, mlp(32)),
      calibrationKey(NVIDIA, mlp(64)),
      calibrationKey(NVIDIA, mlp(32, 4096)),
      calibrationKey(NVIDIA, cnn(32)),
      calibrationKey('SwiftShader', mlp(32)),
      calibrationKey(null, mlp(32)),
    ]);
    assert.equal(keys.size, 6);
    assert.equal(calibrationKey(NVIDIA, mlp(32)), calibrationKey(NVIDIA, mlp(32)));
    // The CNN's layers do not depend on the hidden-units setting: one timing serves any value.
    assert.equal(calibrationKey(NVIDIA, cnn(64, 256)), calibrationKey(NVIDIA, cnn(64, 4096)));
  });

  it('times a few hundred images, and at least three batches', () => {
    assert.equal(calibrationImageCount(32), 256);
    assert.equal(calibrationImageCount(512), 1536);
  });
});
