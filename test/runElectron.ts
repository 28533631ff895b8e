// Runs the integration suite in desktop VS Code, downloaded by @vscode/test-electron. Needs a
// machine that can reach VS Code's download server; offline, `npm test` runs the same suite in
// code-server instead.
import { resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repo = resolve(__dirname, '..', '..');
  try {
    await runTests({
      extensionDevelopmentPath: repo,
      extensionTestsPath: resolve(__dirname, 'integration', 'index'),
      launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (error) {
    console.error('Integration tests failed:', error);
    process.exit(1);
  }
}

void main();
