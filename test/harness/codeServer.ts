// Starts code-server (VS Code's server and web workbench) on a free loopback port, isolated from
// the user's own editor state, and stops its whole process group afterwards.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { codeServerEntry, extensionId, extensionVersion, node24, repoRoot } from './paths';

export interface CodeServerOptions {
  /** Folder for this instance's settings, extensions, logs and home; created if missing. */
  stateDir: string;
  /** Folder opened in the workbench, or a `.code-workspace` file for a multi-root workspace. */
  workspace: string;
  /**
   * How the extension gets into the editor: `link` links the repository into the extensions
   * folder (the development copy); a `.vsix` path installs that package as a user would, with
   * `--install-extension`; absent, it is not installed (a page may load it as under development).
   */
  install?: 'link' | { vsix: string };
  /**
   * Opens the workspace in Restricted Mode, as VS Code does for a folder whose authors the user has
   * not trusted. Otherwise workspace trust is off, as the harness' other sessions need it.
   */
  restrictedMode?: boolean;
  /** Lets a page load an extension under development and run its tests (see `payloadUrl`). */
  enableTestDriver?: boolean;
  /** User settings on top of the harness' quiet defaults, e.g. a small training subset. */
  settings?: Record<string, unknown>;
  port?: number;
  /** Environment variables for the editor and its extension host, on top of the harness' own. */
  env?: Record<string, string>;
}

export interface RunningCodeServer {
  port: number;
  /** The workbench with `workspace` open. */
  url: string;
  log: string;
  /** The user settings.json; the editor applies changes to it while running. */
  userSettingsFile: string;
  /** This extension's global storage folder (where the trained model is saved). */
  globalStorage: string;
  /** The folder extensions are installed into. */
  extensionsDir: string;
  /** The workbench with an extension under development (and optionally its tests) loaded. */
  payloadUrl(payload: [string, string][]): string;
  /** `vscode-remote://` form of a local path, as the payload expects. */
  remoteUri(path: string): string;
  stop(): Promise<void>;
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'git.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForHealth(port: number, child: ChildProcess, log: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with code ${child.exitCode}; see ${log}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer on port ${port} within ${timeoutMs / 1000} s; see ${log}`);
}

/** Ends the whole process group: killing only the main pid would orphan the extension hosts. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => killGroup(child, 'SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => process.exit(130));
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const { stateDir, workspace } = options;
  const home = join(stateDir, 'home');
  const userDataDir = join(stateDir, 'user-data');
  const extensionsDir = join(stateDir, 'extensions');
  const isWorkspaceFile = workspace.endsWith('.code-workspace');
  for (const dir of [
    home,
    join(userDataDir, 'User'),
    extensionsDir,
    join(stateDir, 'tmp'),
    ...(isWorkspaceFile ? [] : [workspace]),
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  const trust = options.restrictedMode
    ? // Trust on, and no start-up prompt: the folder stays untrusted, so the editor is in Restricted Mode.
      { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }
    : { 'security.workspace.trust.enabled': false };
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...USER_SETTINGS, ...trust, ...options.settings }, null, 2),
  );
  const env = {
    ...process.env,
    HOME: home,
    TMPDIR: join(stateDir, 'tmp'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    ...options.env,
  };
  const install = options.install;
  if (install === 'link') {
    try {
      symlinkSync(repoRoot, join(extensionsDir, `${extensionId}-${extensionVersion}`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
  } else if (install) {
    // The editor's own installer unpacks the package into the extensions folder, as for a user.
    execFileSync(
      node24,
      [
        codeServerEntry,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        '--install-extension',
        install.vsix,
      ],
      { cwd: stateDir, env, stdio: 'pipe', timeout: 120_000 },
    );
  }
  const port = options.port ?? (await freePort());
  const log = join(stateDir, 'code-server.log');
  const logFd = openSync(log, 'a');
  const args = [
    codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.restrictedMode ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    // Without it every closed browser leaves an extension host alive for hours.
    '--reconnection-grace-time',
    '5',
    ...(options.enableTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const child = spawn(node24, args, {
    cwd: stateDir,
    // Its own process group, so that stop() reaches every process it starts.
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env,
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), 5000)),
    ]);
    // Children may outlive the main process; the group kill reaches them all the same.
    killGroup(child, 'SIGKILL');
    if (timedOut) {
      await exited;
    }
    running.delete(child);
  };
  try {
    await waitForHealth(port, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  const base = `http://127.0.0.1:${port}`;
  const opened = `${isWorkspaceFile ? 'workspace' : 'folder'}=${encodeURIComponent(workspace)}`;
  const remoteUri = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  return {
    port,
    url: `${base}/?${opened}`,
    log,
    userSettingsFile: join(userDataDir, 'User', 'settings.json'),
    globalStorage: join(userDataDir, 'User', 'globalStorage', extensionId),
    extensionsDir,
    remoteUri,
    payloadUrl: (payload) => `${base}/?${opened}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    stop,
  };
}
