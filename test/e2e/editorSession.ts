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
  server: RunningCodeServer;
  stop(): Promise<void>;
}

export interface EditorSessionOptions {
  /** User settings for this session. */
  settings?: Record<string, unknown>;
  /** Adds files to the sample workspace before the editor opens it. */
  prepareWorkspace?: (dir: string) => void;
}

export async function startEditorSession(name: string, options: EditorSessionOptions = {}): Promise<EditorSession> {
  const stateDir = join(outputRoot, 'e2e', name);
  const workspace = createSampleWorkspace(join(stateDir, 'workspace'));
  options.prepareWorkspace?.(workspace);
  let server: RunningCodeServer | undefined;
  let browser: WorkbenchBrowser | undefined;
  const stop = async () => {
    await browser?.close();
    await server?.stop();
  };
  try {
    server = await startCodeServer({ stateDir: join(stateDir, 'code-server'), workspace, installExtension: true, settings: options.settings });
    browser = await launchBrowser(join(stateDir, 'browser'));
    const workbench = new Workbench(browser.page, join(outputRoot, 'screenshots'));
    await workbench.open(server.url);
    return { workbench, workspace, server, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
