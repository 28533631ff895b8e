// Which TF.js backend to train on. Pure, so the policy is unit-tested without a browser.
import type { BackendChoice } from './settings';

export const BACKEND_NAMES = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Renderer strings of WebGL implementations that run on the CPU, where WebGL is slower than WASM. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERERS.test(renderer);
}

export interface BackendPlan {
  /** Backends to try, best first; the first that initialises is used. */
  order: BackendName[];
  /** Why the first one is preferred, for the panel. */
  reason: string;
}

/**
 * The order to try backends in. `auto` prefers WebGL only when a GPU draws it: in software
 * (SwiftShader, llvmpipe) WebGL is several times slower than WASM with SIMD.
 */
export function planBackends(choice: BackendChoice, glRenderer: string | null): BackendPlan {
  if (choice !== 'auto') {
    return {
      order: [...new Set<BackendName>([choice, 'cpu'])],
      reason: `the fashionClassifier.backend setting asks for ${choice}`,
    };
  }
  if (glRenderer === null) {
    return { order: ['wasm', 'cpu'], reason: 'WebGL is not available in this editor' };
  }
  if (isSoftwareRenderer(glRenderer)) {
    return { order: ['wasm', 'webgl', 'cpu'], reason: 'WebGL runs in software here, where WebAssembly is faster' };
  }
  return { order: ['webgl', 'wasm', 'cpu'], reason: 'WebGL runs on the GPU' };
}

/**
 * Batches between two progress reports while training. A report reads the batch's loss back,
 * which on WebGL waits for the GPU to finish all queued work and so stalls its pipeline; there
 * every 10th batch is reported (still several times a second). WASM and CPU compute
 * synchronously, so reading back costs nothing extra and every batch is reported.
 */
export function batchesPerReport(backend: BackendName): number {
  return backend === 'webgl' ? 10 : 1;
}
