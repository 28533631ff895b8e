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
}

/** The classifier panel: tfjs-vis charts, so 'unsafe-eval'. */
export const CLASSIFIER_PAGE: PageBundle = { script: 'webview.js', stylesheet: 'panel.css', allowEval: true };

/** The results panel: no vega charts, so no 'unsafe-eval'. */
export const RESULTS_PAGE: PageBundle = { script: 'results.js', stylesheet: 'panel.css', allowEval: false };

/** The Content Security Policy of a page; each relaxation says why. */
export function contentSecurityPolicy(cspSource: string, nonce: string, page: Pick<PageBundle, 'allowEval'>): string {
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
    // The panel fetches the WASM binaries, the data set files and the model from the extension's own roots.
    `connect-src ${cspSource}`,
  ].join('; ');
}

/** The drawing pad: no vega charts, so no 'unsafe-eval'. */
export const DRAW_PAGE: PageBundle = { script: 'draw.js', stylesheet: 'panel.css', allowEval: false };
