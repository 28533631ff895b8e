// One editor session for an end-to-end suite: code-server with the extension installed, a sample
// workspace, and Chromium on the workbench. Stopped in `after` even when a test fails.
import { join } from 'node:path';
import { launchBrowser, WorkbenchBrowser, Workbench } from '../harness/browser';
import { RunningCodeServer, startCodeServer } from '../harness/codeServer';
import { outputRoot } from '../harness/paths';
import { createSampleWorkspace } from '../harness/sampleWorkspace';

export interface EditorSession {
  workbench: Workbench;
  workspace: string;
  stop(): Promise<void>;
}

export async function startEditorSession(name: string, prepareWorkspace?: (dir: string) => void): Promise<EditorSession> {
  const stateDir = join(outputRoot, 'e2e', name);
  const workspace = createSampleWorkspace(join(stateDir, 'workspace'));
  prepareWorkspace?.(workspace);
  let server: RunningCodeServer | undefined;
  let browser: WorkbenchBrowser | undefined;
  const stop = async () => {
    await browser?.close();
    await server?.stop();
  };
  try {
    server = await startCodeServer({ stateDir: join(stateDir, 'code-server'), workspace, installExtension: true });
    browser = await launchBrowser(join(stateDir, 'browser'));
    const workbench = new Workbench(browser.page, join(outputRoot, 'screenshots'));
    await workbench.open(server.url);
    return { workbench, workspace, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
