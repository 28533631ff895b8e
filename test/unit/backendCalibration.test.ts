import * as assert from 'node:assert/strict';
import {
  calibrationImageCount,
  calibrationKey,
  chooseBackendAndThreads,
  describeCalibration,
  fastestBackend,
  fastestThreads,
  parseCalibration,
  type BackendTiming,
  type Calibration,
  type WorkerTiming,
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

  describe('worker counts on WebAssembly', () => {
    const workers = (count: number, msPerBatch: number, complete = true): WorkerTiming => ({
      workers: count,
      msPerBatch,
      batches: 3,
      complete,
    });

    it('trains on the fastest count that beats one thread by the margin', () => {
      assert.equal(fastestThreads(timing('wasm', 33), [workers(2, 17)]), 2);
      assert.equal(fastestThreads(timing('wasm', 33), [workers(2, 20), workers(4, 11)]), 4);
      // 5% faster is within the noise of a few batches: one thread, which holds one model.
      assert.equal(fastestThreads(timing('wasm', 4), [workers(2, 3.8)]), 1);
      assert.equal(fastestThreads(timing('wasm', 4), [workers(2, 6)]), 1);
      assert.equal(
        fastestThreads(timing('wasm', 33), [workers(2, 10, false)]),
        1,
        'a count stopped at its time limit is not chosen',
      );
    });

    it('stays on one thread when one thread could not be timed to the end (nothing to compare)', () => {
      assert.equal(fastestThreads(timing('wasm', 1600, false), [workers(2, 900)]), 1);
      assert.equal(fastestThreads(undefined, [workers(2, 900)]), 1);
    });

    it('compares a GPU with WebAssembly on its best thread count', () => {
      const gpu = timing('webgl', 20);
      assert.deepEqual(chooseBackendAndThreads([timing('wasm', 33), gpu], [workers(2, 17)]), {
        choice: 'wasm',
        workers: 2,
      });
      assert.deepEqual(chooseBackendAndThreads([timing('wasm', 33), gpu], []), { choice: 'webgl', workers: 1 });
      assert.deepEqual(chooseBackendAndThreads([timing('wasm', 33), timing('webgl', 9)], [workers(2, 17)]), {
        choice: 'webgl',
        workers: 1,
      });
    });

    it('shows every count, one thread and the choice', () => {
      const calibration: Calibration = {
        timings: [timing('wasm', 33), timing('webgl', 612.4, false)],
        choice: 'wasm',
        measuredAt: '',
        workerTimings: [workers(2, 17)],
        workers: 2,
      };
      assert.equal(
        describeCalibration(calibration, 'SwiftShader'),
        'WebAssembly × 2 workers: 17.0 ms per batch · × 1: 33.0 ms per batch · ' +
          'WebGL (SwiftShader): over 612 ms per batch (stopped at the time limit) → WebAssembly × 2 workers',
      );
      assert.match(
        describeCalibration({ ...calibration, workerTimings: [], workers: 1, workersUnavailable: 'blocked' }, null),
        /WebAssembly: 33\.0 ms per batch · .* · no workers: blocked → WebAssembly$/,
      );
    });

    it('keeps the worker figures through storage and messages, and refuses broken ones', () => {
      const calibration: Calibration = {
        timings: [timing('wasm', 33)],
        choice: 'wasm',
        measuredAt: '2026-12-01T10:00:00.000Z',
        workerTimings: [workers(2, 17), workers(4, 12, false)],
        workers: 2,
      };
      assert.deepEqual(parseCalibration(JSON.parse(JSON.stringify(calibration))), calibration);
      const before = { timings: [timing('wasm', 33)], choice: 'wasm', measuredAt: '2026-12-01T10:00:00.000Z' };
      assert.deepEqual(parseCalibration(before), before, 'a timing from before workers still reads');
      assert.equal(parseCalibration({ ...calibration, workers: 0 }), undefined);
      assert.equal(parseCalibration({ ...calibration, workers: 17 }), undefined);
      assert.equal(parseCalibration({ ...calibration, workerTimings: [{ workers: 2, msPerBatch: -1 }] }), undefined);
      assert.equal(parseCalibration({ ...calibration, workerTimings: 'fast' }), undefined);
      assert.equal(parseCalibration({ ...calibration, workersUnavailable: 'x'.repeat(501) }), undefined);
    });
  });
});
