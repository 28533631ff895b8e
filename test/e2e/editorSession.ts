// One editor session for an end-to-end suite: code-server with the extension installed, a sample
// workspace, and Chromium on the workbench. Stopped in `after` even when a test fails.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, WorkbenchBrowser, Workbench } from '../harness/browser';
import { CodeServerOptions, RunningCodeServer, startCodeServer } from '../harness/codeServer';
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
  /** How the extension is installed: the development copy by default. */
  install?: CodeServerOptions['install'];
  /** Opens the workspace in Restricted Mode (untrusted). */
  restrictedMode?: boolean;
  /** Adds files to the sample workspace before the editor opens it. */
  prepareWorkspace?: (dir: string) => void;
}

export async function startEditorSession(name: string, options: EditorSessionOptions = {}): Promise<EditorSession> {
  const stateDir = join(outputRoot, 'e2e', name);
  // Every session starts as a new user would: no model, no settings left by an earlier run.
  rmSync(stateDir, { recursive: true, force: true });
  const workspace = createSampleWorkspace(join(stateDir, 'workspace'));
  options.prepareWorkspace?.(workspace);
  let server: RunningCodeServer | undefined;
  let browser: WorkbenchBrowser | undefined;
  const stop = async () => {
    await browser?.close();
    await server?.stop();
  };
  try {
    server = await startCodeServer({
      stateDir: join(stateDir, 'code-server'),
      workspace,
      install: options.install ?? 'link',
      restrictedMode: options.restrictedMode,
      settings: options.settings,
    });
    browser = await launchBrowser(join(stateDir, 'browser'));
    const workbench = new Workbench(browser.page, join(outputRoot, 'screenshots'));
    await workbench.open(server.url);
    return { workbench, workspace, server, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Keeps a screenshot of the editor as it was when a test failed, named after the test. */
export async function screenshotOnFailure(
  session: EditorSession | undefined,
  test: Mocha.Test | undefined,
): Promise<void> {
  if (session && test?.state === 'failed') {
    await session.workbench
      .screenshot(`FAILED ${test.fullTitle()}`.replace(/[^\w.-]+/g, '-').slice(0, 120))
      .catch(() => undefined);
  }
}
