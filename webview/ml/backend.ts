// Puts TF.js on the backend the settings and the editor's graphics call for.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BackendName, planBackends } from '../../src/shared/backendPolicy';
import { webglCanvas, webglContext } from '../../src/shared/ml/tfInternals';
import { installWasmTrainingKernels } from '../../src/shared/ml/wasm';
import { applyWebglFlags } from '../../src/shared/ml/webglFlags';
import type { BackendChoice } from '../../src/shared/settings';
import { errorMessage } from '../../src/shared/errorMessage';

export interface ActiveBackend {
  name: BackendName;
  /** The GL renderer string, or null without WebGL. */
  glRenderer: string | null;
  reason: string;
  /** Faster WASM kernels that could not be installed on this TF.js (the log says so); usually none. */
  slowKernels: string[];
  /** For fashionClassifier.workers "auto": the training threads timing found fastest on WebAssembly. */
  workers?: number;
}

let rendererSeen: string | null | undefined;

/**
 * The WebGL renderer as the browser reports it (e.g. "ANGLE (..., SwiftShader driver)"). Read
 * once per page from a throwaway context: it does not change, and every backend activation asks.
 */
export function webglRenderer(): string | null {
  if (rendererSeen === undefined) {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      rendererSeen = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    } else {
      rendererSeen = null;
    }
  }
  return rendererSeen;
}

let backendsConfigured = false;
/** Set for good once this panel's WebGL context is lost: TF.js' WebGL backend cannot recover. */
let webglLost = false;
let webglWatched: object | undefined;

/** Whether WebGL lost its GPU context in this panel; it is not used again until the panel reopens. */
export function isWebglLost(): boolean {
  return webglLost || webglContext()?.isContextLost() === true;
}

/** Remembers a loss of the WebGL backend's context, whenever it happens. */
function watchWebglForGood(): void {
  const canvas = webglCanvas();
  if (canvas && canvas !== webglWatched) {
    webglWatched = canvas;
    canvas.addEventListener('webglcontextlost', () => {
      webglLost = true;
    });
  }
}

/** Tries the planned backends in order and keeps the first that initialises. */
export async function activateBackend(choice: BackendChoice, wasmFolderUrl: string): Promise<ActiveBackend> {
  if (!backendsConfigured) {
    // The WASM binaries ship in dist/wasm and load through the webview's resource URLs.
    setWasmPaths(wasmFolderUrl);
    applyWebglFlags();
    backendsConfigured = true;
  }
  const glRenderer = webglRenderer();
  const plan = planBackends(choice, glRenderer);
  const failures: string[] = [];
  if (isWebglLost() && plan.order.includes('webgl')) {
    // TF.js would hand back the same dead backend, and its first readback would never return.
    failures.push('webgl lost its GPU context in this panel (close and reopen the panel to use it again)');
  }
  // WebAssembly takes a lost WebGL's place: the next fastest, where the plan might fall to the CPU.
  const order = [...new Set(plan.order.map((name) => (name === 'webgl' && isWebglLost() ? 'wasm' : name)))];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        const slowKernels = installWasmTrainingKernels();
        if (name === 'webgl') {
          watchWebglForGood();
        }
        const reason = name === plan.order[0] ? plan.reason : `${plan.order[0]} failed (${failures.join('; ')})`;
        return { name, glRenderer, reason, slowKernels };
      }
      failures.push(`${name} did not initialise`);
    } catch (error) {
      failures.push(`${name}: ${errorMessage(error)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${failures.join('; ')}`);
}

/**
 * Calls `onLost` when the WebGL backend loses its GPU context. TF.js only logs a warning and
 * then computes garbage, so the run must stop.
 */
export function watchContextLoss(onLost: () => void): () => void {
  const canvas = webglCanvas();
  if (!canvas) {
    return () => {};
  }
  canvas.addEventListener('webglcontextlost', onLost);
  return () => canvas.removeEventListener('webglcontextlost', onLost);
}
