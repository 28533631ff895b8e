import * as assert from 'node:assert/strict';
import { batchesPerReport, isSoftwareRenderer, planBackends } from '../../src/shared/backendPolicy';

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const NVIDIA = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)';

describe('backend policy', () => {
  it('tells software WebGL renderers from GPU ones', () => {
    assert.equal(isSoftwareRenderer(SWIFTSHADER), true);
    assert.equal(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)'), true);
    assert.equal(isSoftwareRenderer(NVIDIA), false);
    assert.equal(isSoftwareRenderer('Apple M2'), false);
  });

  it('auto prefers WebGL on a GPU, WASM when WebGL is software or missing', () => {
    assert.deepEqual(planBackends('auto', NVIDIA).order, ['webgl', 'wasm', 'cpu']);
    assert.deepEqual(planBackends('auto', SWIFTSHADER).order, ['wasm', 'webgl', 'cpu']);
    assert.deepEqual(planBackends('auto', null).order, ['wasm', 'cpu']);
  });

  it('a forced backend comes first, with the CPU as the fallback', () => {
    assert.deepEqual(planBackends('webgl', SWIFTSHADER).order, ['webgl', 'cpu']);
    assert.deepEqual(planBackends('cpu', NVIDIA).order, ['cpu']);
    assert.match(planBackends('wasm', null).reason, /setting/);
  });

  it('reports training progress less often on WebGL, where reading a loss back stalls the GPU', () => {
    assert.equal(batchesPerReport('wasm'), 1);
    assert.equal(batchesPerReport('cpu'), 1);
    assert.ok(batchesPerReport('webgl') > 1);
  });
});
