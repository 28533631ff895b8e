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
}

/** The folders a panel may load from: the built bundles and the static assets, nothing else. */
export function panelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** Builds a panel's HTML page under a strict Content Security Policy. */
export function buildWebviewHtml(options: WebviewPageOptions): string {
  const { webview, extensionUri } = options;
  const nonce = randomBytes(16).toString('base64');
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', options.script));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', options.stylesheet));
  const wasmFolderUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'wasm/'));
  const source = webview.cspSource;
  const csp = [
    "default-src 'none'",
    `img-src ${source} blob: data:`,
    // 'unsafe-inline' styles: tfjs-vis and the UI toolkit's components set inline styles on the
    // elements they create. Styles cannot run code, so scripts stay locked down.
    `style-src ${source} 'unsafe-inline'`,
    `font-src ${source}`,
    // 'unsafe-eval': tfjs-vis draws charts with vega, which compiles expressions with `Function`.
    // 'wasm-unsafe-eval': TensorFlow.js' WASM backend compiles its WebAssembly module.
    `script-src 'nonce-${nonce}' 'unsafe-eval' 'wasm-unsafe-eval'`,
    // The panel fetches the WASM binaries and the data set files from the extension's own roots.
    `connect-src ${source}`,
  ].join('; ');
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
