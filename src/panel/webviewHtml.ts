import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { contentSecurityPolicy, type PageBundle } from './pagePolicy';

export interface WebviewPageOptions extends PageBundle {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  title: string;
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
  const csp = contentSecurityPolicy(webview.cspSource, nonce, options);

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
