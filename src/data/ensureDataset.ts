// The editor's side of preparing the data set: reads the setting, shows progress only when a
// download is needed (cancellable), logs where the files came from, and turns failures into
// problems a person can act on, for the panel to show.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../config';
import { log, logError } from '../log';
import { DEBIAN_DATASET_DIR, FASHION_MNIST_DOWNLOAD_BASES } from '../shared/datasetFiles';
import { errorMessage } from '../shared/errorMessage';
import type { Problem, UserAction } from '../shared/panelMessages';
import { firstLocalWorkspaceFolder, storagePath } from '../storage';
import { DatasetCancelledError, DatasetError } from './datasetError';
import {
  DATASET_SETTING,
  downloadMissing,
  findLocalDataset,
  LocalSearch,
  PreparedDataset,
  resolveSettingPath,
} from './prepareDataset';

/** Overrides the download address; the tests point it at a local server, as the real one may be unreachable. */
export const DOWNLOAD_BASE_ENV = 'FASHION_CLASSIFIER_DOWNLOAD_BASE';

export type DatasetOutcome = { dataset: PreparedDataset } | { problem: Problem };

let inFlight: Promise<DatasetOutcome> | undefined;

/**
 * Makes sure `<globalStorage>/dataset` holds the four verified, decompressed files and returns
 * them, or the problem that prevented it. Concurrent calls share one run.
 */
export function ensureDataset(context: vscode.ExtensionContext): Promise<DatasetOutcome> {
  inFlight ??= prepare(context).finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

async function prepare(context: vscode.ExtensionContext): Promise<DatasetOutcome> {
  const started = performance.now();
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
    const sources = [...new Set(dataset.files.map((file) => file.source))].join(', ');
    log().info(
      `Data set ready in ${Math.round(performance.now() - started)} ms, every file verified by size and SHA-256 ` +
        `(sources: ${sources}${settingPath ? `; ${DATASET_SETTING} = ${settingPath}` : ''}).`,
    );
    for (const warning of dataset.warnings) {
      log().warn(warning);
      void vscode.window.showWarningMessage(warning);
    }
    return { dataset };
  } catch (error) {
    return { problem: problemFor(error) };
  }
}

function downloadWithProgress(local: LocalSearch): Thenable<PreparedDataset> {
  const override = process.env[DOWNLOAD_BASE_ENV];
  const downloadBases = override ? [override] : FASHION_MNIST_DOWNLOAD_BASES;
  log().info(
    `Downloading ${local.missing.map((m) => m.file.name).join(', ')} from ${downloadBases.join(', or else ')}.`,
  );
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Downloading Fashion-MNIST', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      let percentShown = 0;
      try {
        return await downloadMissing(local, {
          downloadBases,
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

/** The problem to show for a failure, with the actions that fit its cause. */
function problemFor(error: unknown): Problem {
  const retry: UserAction = { kind: 'retryDataset' };
  const showLog: UserAction = { kind: 'showLog' };
  if (error instanceof DatasetCancelledError) {
    log().info('The data set download was cancelled.');
    return {
      message:
        'The Fashion-MNIST download was cancelled. The files already verified are kept; choose Retry to download the rest.',
      actions: [retry],
    };
  }
  logError('Preparing the data set', error);
  if (error instanceof DatasetError) {
    const openSetting: UserAction[] = error.involvesSetting ? [{ kind: 'openSetting', setting: DATASET_SETTING }] : [];
    return { message: error.message, actions: [...openSetting, retry, showLog] };
  }
  return {
    message: `The data set could not be prepared: ${errorMessage(error)} Choose Retry to try again; the log has the details.`,
    actions: [retry, showLog],
  };
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}
