// One editor session for an end-to-end suite: code-server with the extension installed, a sample
// workspace, and Chromium on the workbench. Stopped in `after` even when a test fails.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, WorkbenchBrowser, Workbench } from '../harness/browser';
import { CodeServerOptions, RunningCodeServer, startCodeServer } from '../harness/codeServer';
import { extensionId, outputRoot } from '../harness/paths';
import { createSampleWorkspace } from '../harness/sampleWorkspace';

export interface EditorSession {
  workbench: Workbench;
  workspace: string;
  server: RunningCodeServer;
  /** Everything the extension wrote to its "Fashion Classifier" log in this editor so far. */
  extensionLog(): string;
  stop(): Promise<void>;
}

/** The extension's log files (one per extension host start) under the editor's state. */
function extensionLogText(stateDir: string): string {
  const logs = join(stateDir, 'code-server', 'user-data', 'logs');
  if (!existsSync(logs)) {
    return '';
  }
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith(join(extensionId, 'Fashion Classifier.log')))
    .sort();
  return files.map((path) => readFileSync(join(logs, path), 'utf8')).join('\n');
}

export interface EditorSessionOptions {
  /** User settings for this session. */
  settings?: Record<string, unknown>;
  /** How the extension is installed: the development copy by default; `none` leaves it to the test. */
  install?: CodeServerOptions['install'] | 'none';
  /** Opens the workspace in Restricted Mode (untrusted). */
  restrictedMode?: boolean;
  /**
   * Starts a new editor on the state an earlier session of this name left: the extension's
   * storage, the settings, and the browser's profile (its cache and the panels' own storage).
   */
  keepState?: boolean;
  /** The editor's port; a browser keeps a page's storage per address, so a kept state wants the same one. */
  port?: number;
  /** Adds files to the sample workspace before the editor opens it. */
  prepareWorkspace?: (dir: string) => void;
  /** Environment variables for the editor and its extension host. */
  env?: Record<string, string>;
}

export async function startEditorSession(name: string, options: EditorSessionOptions = {}): Promise<EditorSession> {
  const stateDir = join(outputRoot, 'e2e', name);
  // Every session starts as a new user would: no model, no settings left by an earlier run.
  if (!options.keepState) {
    rmSync(stateDir, { recursive: true, force: true });
  }
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
      install: options.install === 'none' ? undefined : (options.install ?? 'link'),
      port: options.port,
      restrictedMode: options.restrictedMode,
      settings: options.settings,
      env: options.env,
    });
    browser = await launchBrowser(join(stateDir, 'browser'));
    const workbench = new Workbench(browser.page, join(outputRoot, 'screenshots'));
    await workbench.open(server.url);
    return { workbench, workspace, server, stop, extensionLog: () => extensionLogText(stateDir) };
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
