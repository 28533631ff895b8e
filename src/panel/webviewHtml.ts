import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPageOptions {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  title: string;
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

/** The folders a panel may load from: the built bundles and the static assets, nothing else. */
export function panelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** The Content Security Policy of a page; each relaxation says why. */
export function contentSecurityPolicy(cspSource: string, nonce: string, allowEval: boolean): string {
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
    `script-src 'nonce-${nonce}'${allowEval ? " 'unsafe-eval'" : ''} 'wasm-unsafe-eval'`,
    // blob: workers train in parallel (webview/ml/workers). A worker's script must have the
    // page's origin, and the extension's files come from the webview resource origin, so the page
    // fetches the worker's bundle and starts it from a blob: URL. Without this directive
    // worker-src falls back to script-src, whose nonce a worker cannot carry. A blob: URL can
    // only be made by the page's own scripts.
    'worker-src blob:',
    // The panel fetches the WASM binaries, the data set files and the model from the extension's own roots.
    `connect-src ${cspSource}`,
  ].join('; ');
}

/** Builds a panel's HTML page under a strict Content Security Policy. */
export function buildWebviewHtml(options: WebviewPageOptions): string {
  const { webview, extensionUri } = options;
  const nonce = randomBytes(16).toString('base64');
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', options.script));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', options.stylesheet));
  const wasmFolderUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'wasm/'));
  const csp = contentSecurityPolicy(webview.cspSource, nonce, options.allowEval);

  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${styleUri}">
  <title>${options.title}</title>
</head>
<body data-wasm-path="${wasmFolderUri}">
  <main id="app"></main>
  <script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
