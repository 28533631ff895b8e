// The editor's side of preparing the data set: reads the setting, shows progress only when a
// download is needed (cancellable), and turns failures into messages a person can act on.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../config';
import { DEBIAN_DATASET_DIR, FASHION_MNIST_DOWNLOAD_BASE } from '../shared/datasetFiles';
import { DatasetCancelledError, DatasetError } from './datasetError';
import {
  DATASET_SETTING,
  downloadMissing,
  findLocalDataset,
  LocalSearch,
  PreparedDataset,
  resolveSettingPath,
} from './prepareDataset';
import { errorMessage } from '../shared/errorMessage';
import { firstLocalWorkspaceFolder, storagePath } from '../storage';

/** Overrides the download address; the tests point it at a local server, as the real one may be unreachable. */
export const DOWNLOAD_BASE_ENV = 'FASHION_CLASSIFIER_DOWNLOAD_BASE';

let inFlight: Promise<PreparedDataset | undefined> | undefined;

/**
 * Makes sure `<globalStorage>/dataset` holds the four verified, decompressed files and returns it
 * (add `folder` to the panel's `localResourceRoots` and load `files[i].path` through
 * `asWebviewUri`). Resolves to undefined when the user cancelled or preparation failed; the user
 * has then been told why. Concurrent calls share one run.
 */
export function ensureDataset(context: vscode.ExtensionContext): Promise<PreparedDataset | undefined> {
  inFlight ??= prepareWithUi(context).finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

async function prepareWithUi(context: vscode.ExtensionContext): Promise<PreparedDataset | undefined> {
  try {
    const settingPath = resolveSettingPath(
      vscode.workspace.getConfiguration(CONFIG_SECTION).get('datasetPath'),
      homedir(),
      firstLocalWorkspaceFolder(),
    );
    // Unpacking the system copy the first time takes about a second: worth a status bar hint, not a notification.
    const local = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Checking the Fashion-MNIST files' },
      () => findLocalDataset({ settingPath, storageDir: storagePath(context), systemDir: DEBIAN_DATASET_DIR }),
    );
    const dataset = local.missing.length === 0 ? await downloadMissing(local, {}) : await downloadWithProgress(local);
    for (const warning of dataset.warnings) {
      void vscode.window.showWarningMessage(warning);
    }
    return dataset;
  } catch (error) {
    showFailure(error);
    return undefined;
  }
}

function downloadWithProgress(local: LocalSearch): Thenable<PreparedDataset> {
  const downloadBase = process.env[DOWNLOAD_BASE_ENV] || FASHION_MNIST_DOWNLOAD_BASE;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Downloading Fashion-MNIST', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      let percentShown = 0;
      try {
        return await downloadMissing(local, {
          downloadBase,
          signal: abort.signal,
          onProgress: ({ file, received, total, fraction }) => {
            // Chunks arrive every few KB; one update per percent keeps the notification calm.
            const percent = Math.floor(fraction * 100);
            if (percent > percentShown) {
              const size = total ? `${megabytes(received)} of ${megabytes(total)} MB` : `${megabytes(received)} MB`;
              progress.report({ increment: percent - percentShown, message: `${file}: ${size}` });
              percentShown = percent;
            }
          },
        });
      } finally {
        subscription.dispose();
      }
    },
  );
}

function showFailure(error: unknown): void {
  if (error instanceof DatasetCancelledError) {
    void vscode.window.showInformationMessage(
      'Fashion-MNIST download cancelled; the files already verified are kept for next time.',
    );
    return;
  }
  const message = errorMessage(error);
  if (error instanceof DatasetError && error.involvesSetting) {
    void vscode.window.showErrorMessage(message, 'Open Setting').then((choice) => {
      if (choice) {
        void vscode.commands.executeCommand('workbench.action.openSettings', DATASET_SETTING);
      }
    });
    return;
  }
  void vscode.window.showErrorMessage(message);
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}
