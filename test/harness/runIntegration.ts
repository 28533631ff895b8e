// Runs the integration suite (test/integration) inside code-server's extension host while the
// workbench, and so the extension's webviews, run in Chromium. Exits with the suite's result.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './browser';
import { startCodeServer } from './codeServer';
import { outputRoot, repoRoot } from './paths';
import { createSampleWorkspace } from './sampleWorkspace';
import { seedTrainedModel } from './seedModel';
import { VIRTUAL_FOLDER_NAME, VIRTUAL_SCHEME } from '../integration/virtualFolder';

const SUITE_TIMEOUT_MS = 10 * 60_000;

/**
 * A workspace whose only folder is in the suite's in-memory file system: a virtual workspace,
 * where VS Code runs only extensions that declare they can work without local files.
 */
function createVirtualWorkspace(stateDir: string): string {
  const file = join(stateDir, 'virtual.code-workspace');
  writeFileSync(
    file,
    JSON.stringify({ folders: [{ name: VIRTUAL_FOLDER_NAME, uri: `${VIRTUAL_SCHEME}:/` }] }, null, 2),
  );
  return file;
}

async function main(): Promise<number> {
  const stateDir = join(outputRoot, 'integration');
  const report = join(stateDir, 'report.txt');
  // Pictures on disk, for the suite to compare with the same pictures in the virtual folder.
  const sampleFolder = createSampleWorkspace(join(stateDir, 'workspace'));
  const workspace = createVirtualWorkspace(stateDir);
  const server = await startCodeServer({ stateDir: join(stateDir, 'code-server'), workspace, enableTestDriver: true });
  await seedTrainedModel(server.globalStorage);
  const browser = await launchBrowser(join(stateDir, 'browser'));
  try {
    const exitCode = new Promise<number>((resolve) => {
      void browser.page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const url = server.payloadUrl([
      ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
      ['extensionTestsPath', server.remoteUri(join(repoRoot, 'out', 'test', 'integration', 'index'))],
      [
        'extensionEnvironment',
        JSON.stringify({
          FASHION_TEST_REPORT: report,
          FASHION_SAMPLE_FOLDER: sampleFolder,
          FASHION_GLOBAL_STORAGE: server.globalStorage,
        }),
      ],
    ]);
    await browser.page.goto(url);
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        console.error(`The integration suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes.`);
        resolve(1);
      }, SUITE_TIMEOUT_MS),
    );
    const code = await Promise.race([exitCode, timeout]);
    await browser.page.screenshot({ path: join(stateDir, 'workbench.png') });
    if (existsSync(report)) {
      process.stdout.write(readFileSync(report, 'utf8'));
    } else {
      console.error(`The suite wrote no report; the editor's log is ${server.log}`);
    }
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
