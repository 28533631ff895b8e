import * as vscode from 'vscode';
import { ensureDataset } from '../data/ensureDataset';
import type { PreparedDataset } from '../data/prepareDataset';
import type { DatasetRole } from '../shared/datasetFiles';
import type { DatasetFailedMessage, DatasetReadyMessage } from '../shared/protocol';
import { noteDatasetReady } from '../walkthrough/progress';

const SOURCE_DESCRIPTIONS: Record<PreparedDataset['source'], string> = {
  setting: 'the folder in the fashionClassifier.datasetPath setting',
  storage: "the extension's storage (verified earlier)",
  system: "Debian's dataset-fashion-mnist package",
  download: 'a download from the Fashion-MNIST site',
};

/**
 * Readies the verified data set and tells the panel where to fetch it: as webview URLs of the
 * decompressed files in storage, so tens of megabytes never travel through postMessage.
 */
export async function datasetMessageFor(
  context: vscode.ExtensionContext,
  webview: vscode.Webview,
): Promise<DatasetReadyMessage | DatasetFailedMessage> {
  const outcome = await ensureDataset(context);
  if ('problem' in outcome) {
    return { type: 'datasetFailed', problem: outcome.problem };
  }
  const { dataset } = outcome;
  noteDatasetReady();
  const url = (path: string) => webview.asWebviewUri(vscode.Uri.file(path)).toString();
  const urls = Object.fromEntries(dataset.files.map((file) => [file.role, url(file.path)])) as Record<
    DatasetRole,
    string
  >;
  const compactUrls = Object.fromEntries(
    dataset.files.flatMap((file) => (file.compactPath ? [[file.role, url(file.compactPath)]] : [])),
  ) as Partial<Record<DatasetRole, string>>;
  return { type: 'datasetReady', urls, compactUrls, sourceDescription: SOURCE_DESCRIPTIONS[dataset.source] };
}
