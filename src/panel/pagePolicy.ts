// What each panel's page loads and may do: its bundle, its stylesheet, and its Content Security
// Policy, each relaxation with its reason. No `vscode` import, so each panel's policy is
// unit-tested as the exact string the page gets.

export interface PageBundle {
  /** Bundle under `dist/`, e.g. `webview.js`. */
  script: string;
  /** Stylesheet under `media/`, e.g. `panel.css`. */
  stylesheet: string;
  /**
   * 'unsafe-eval' in script-src: only for a page that draws tfjs-vis charts, whose vega compiles
   * expressions with `Function`. Every page gets 'wasm-unsafe-eval' (TF.js' WASM backend).
   */
  allowEval: boolean;
  /** `worker-src blob:`: only for the page that trains on data-parallel workers (webview/ml/workers). */
  trainingWorkers: boolean;
}

/** The classifier panel: tfjs-vis charts, so 'unsafe-eval'. */
export const CLASSIFIER_PAGE: PageBundle = {
  script: 'webview.js',
  stylesheet: 'panel.css',
  allowEval: true,
  trainingWorkers: true,
};

/** The results panel: no vega charts, so no 'unsafe-eval'. */
export const RESULTS_PAGE: PageBundle = {
  script: 'results.js',
  stylesheet: 'panel.css',
  allowEval: false,
  trainingWorkers: false,
};

/** The Content Security Policy of a page; each relaxation says why. */
export function contentSecurityPolicy(
  cspSource: string,
  nonce: string,
  page: Pick<PageBundle, 'allowEval' | 'trainingWorkers'>,
): string {
  return [
    "default-src 'none'",
    // Nothing may change where relative URLs point or where a form would send data.
    "base-uri 'none'",
    "form-action 'none'",
    `img-src ${cspSource} blob: data:`,
    // 'unsafe-inline' styles: tfjs-vis and the UI toolkit's components set inline styles on the
    // elements they create. Styles cannot run code, so scripts stay locked down.
    `style-src ${cspSource} 'unsafe-inline'`,
    `font-src ${cspSource}`,
    // 'wasm-unsafe-eval': TensorFlow.js' WASM backend compiles its WebAssembly module.
    `script-src 'nonce-${nonce}'${page.allowEval ? " 'unsafe-eval'" : ''} 'wasm-unsafe-eval'`,
    // blob: workers train in parallel. A worker's script must have the page's origin, and the
    // extension's files come from the webview resource origin, so the page fetches the worker's
    // bundle and starts it from a blob: URL. Without this directive worker-src falls back to
    // script-src, whose nonce a worker cannot carry. A blob: URL can only be made by the page's
    // own scripts.
    ...(page.trainingWorkers ? ['worker-src blob:'] : []),
    // The panel fetches the WASM binaries, the data set files and the model from the extension's own roots.
    `connect-src ${cspSource}`,
  ].join('; ');
}

/** The drawing pad: no vega charts, so no 'unsafe-eval'; it only classifies, so no workers. */
export const DRAW_PAGE: PageBundle = {
  script: 'draw.js',
  stylesheet: 'panel.css',
  allowEval: false,
  trainingWorkers: false,
};
