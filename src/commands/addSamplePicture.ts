import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { ensureDataset } from '../data/ensureDataset';
import { encodeGrayPng } from '../data/png';
import { log, logError } from '../log';
import { CLASS_NAMES } from '../shared/classNames';
import { errorMessage } from '../shared/errorMessage';
import { IMAGE_COLS, IMAGE_ROWS, IMAGES_HEADER_BYTES } from '../shared/idx';
import { showProblemNotification } from '../userActions';

/** The labels file's header: magic and count, four bytes each. */
const LABELS_HEADER_BYTES = 8;
const TEST_IMAGES = 10_000;
/** Where the pictures go in the workspace, so they do not mix with the person's own files. */
export const SAMPLES_FOLDER = 'fashion-samples';

export interface SamplePicture {
  uri: vscode.Uri;
  index: number;
  label: number;
}

/** "Ankle boot" → "ankle-boot", "T-shirt/top" → "t-shirt-top". */
function fileStem(className: string): string {
  return className.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Reads test image `index` (its 784 pixels) and its label from the verified, decompressed files. */
async function readTestImage(imagesPath: string, labelsPath: string, index: number) {
  const side = IMAGE_ROWS * IMAGE_COLS;
  const pixels = new Uint8Array(side);
  const label = new Uint8Array(1);
  const images = await open(imagesPath);
  try {
    await images.read(pixels, 0, side, IMAGES_HEADER_BYTES + index * side);
  } finally {
    await images.close();
  }
  const labels = await open(labelsPath);
  try {
    await labels.read(label, 0, 1, LABELS_HEADER_BYTES + index);
  } finally {
    await labels.close();
  }
  return { pixels, label: label[0] };
}

/**
 * "Add a Sample Picture": writes a picture of the Fashion-MNIST test set (one the model never
 * trained on), as the 28 × 28 PNG the model reads unchanged, into `fashion-samples/` of the first
 * workspace folder (or where the person saves it when no folder is open), opens it, and says how
 * to classify it. `index` picks the test image; otherwise one is drawn at random.
 */
export async function addSamplePicture(
  context: vscode.ExtensionContext,
  index = Math.floor(Math.random() * TEST_IMAGES),
): Promise<SamplePicture | undefined> {
  if (!Number.isInteger(index) || index < 0 || index >= TEST_IMAGES) {
    index = Math.floor(Math.random() * TEST_IMAGES);
  }
  const outcome = await ensureDataset(context);
  if ('problem' in outcome) {
    void showProblemNotification(outcome.problem);
    return undefined;
  }
  const pathOf = (role: string) => outcome.dataset.files.find((file) => file.role === role)!.path;
  const { pixels, label } = await readTestImage(pathOf('testImages'), pathOf('testLabels'), index);
  const name = `${fileStem(CLASS_NAMES[label])}-${index}.png`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = folder
    ? vscode.Uri.joinPath(folder, SAMPLES_FOLDER, name)
    : await vscode.window.showSaveDialog({
        title: 'Save a sample picture of the Fashion-MNIST test set',
        saveLabel: 'Save picture',
        filters: { 'PNG pictures': ['png'] },
        defaultUri: vscode.Uri.file(name),
      });
  if (!uri) {
    return undefined;
  }
  try {
    await vscode.workspace.fs.writeFile(uri, encodeGrayPng(IMAGE_COLS, IMAGE_ROWS, pixels));
  } catch (error) {
    logError(`Writing the sample picture ${uri.toString(true)}`, error);
    void vscode.window.showErrorMessage(
      `The sample picture could not be written to ${vscode.workspace.asRelativePath(uri)}: ${errorMessage(error)} ` +
        'Open a folder you can write to, then run "Fashion Classifier: Add a Sample Picture" again.',
    );
    return undefined;
  }
  log().info(`Sample picture: test image ${index} (${CLASS_NAMES[label]}) written to ${uri.toString(true)}.`);
  await vscode.commands.executeCommand('vscode.open', uri);
  void offerToClassify(uri, label);
  return { uri, index, label };
}

async function offerToClassify(uri: vscode.Uri, label: number): Promise<void> {
  const classify = 'Classify image';
  const choice = await vscode.window.showInformationMessage(
    `${vscode.workspace.asRelativePath(uri)} is a test picture of the class "${CLASS_NAMES[label]}", one the model ` +
      'never trained on. Choose "Classify image" here, in its context menu in the explorer or above the picture.',
    classify,
  );
  if (choice === classify) {
    await vscode.commands.executeCommand('fashionClassifier.classifyImage', uri);
  }
}
