import * as vscode from 'vscode';
import { log, logError } from '../log';
import type { StoredRun } from '../model/modelStore';
import { ResultsPanel } from '../panel/ResultsPanel';
import { errorMessage } from '../shared/errorMessage';
import { RequestEndedError } from '../shared/messaging';
import type { Classified, ClassificationSummary, ImageToClassify } from '../shared/resultsProtocol';
import { openModelStore } from '../storage';
import { showProblemNotification } from '../userActions';
import { resolveImageTargets, type ImageTarget } from './imageTargets';
import { readImageForClassification } from './readImages';

/**
 * Pictures in flight at once. Each is read, sent and decoded only while its group is: a folder of
 * 200 camera photos (400 MB) once grew the extension host by 1.1 GB when read all together.
 */
export const PICTURES_IN_FLIGHT = 4;
/** At most this many bytes of pictures travel in one message to the panel. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** Reads a group of pictures from `start`: up to PICTURES_IN_FLIGHT, and no more bytes than MAX_REQUEST_BYTES unless it is one picture. */
async function readGroup(targets: ImageTarget[], start: number): Promise<ImageToClassify[]> {
  const group: ImageToClassify[] = [];
  let bytes = 0;
  for (let i = start; i < targets.length && group.length < PICTURES_IN_FLIGHT; i++) {
    const image = await readImageForClassification(targets[i], i);
    const size = image.bytes?.byteLength ?? 0;
    if (group.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
      break;
    }
    group.push(image);
    bytes += size;
  }
  return group;
}

/** The classification under way: a new one stops it (after its current group), so two never mix in the panel. */
let running: vscode.CancellationTokenSource | undefined;
let nextRequest = 1;

/**
 * "Classify image": the picked images (or every image in a picked folder) go through the saved
 * model in the results panel, a few at a time, results appearing as they come, with a progress
 * notification whose Cancel stops at once (the panel after the picture under way). Without a
 * trained model the user is offered to train one. Resolves with what became of each picture.
 */
export async function classifyImage(
  context: vscode.ExtensionContext,
  clicked?: vscode.Uri,
  selection?: vscode.Uri[],
): Promise<Classified | undefined> {
  running?.cancel();
  const own = new vscode.CancellationTokenSource();
  running = own;
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Classify image', cancellable: true },
      async (progress, cancelButton) => {
        const token = own.token;
        cancelButton.onCancellationRequested(() => own.cancel());
        return classifyTargets(context, clicked, selection, progress, token);
      },
    );
  } finally {
    own.dispose();
    if (running === own) {
      running = undefined;
    }
  }
}

async function classifyTargets(
  context: vscode.ExtensionContext,
  clicked: vscode.Uri | undefined,
  selection: vscode.Uri[] | undefined,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<Classified | undefined> {
  progress.report({ message: 'looking for pictures…' });
  const targets = await resolveImageTargets(clicked, selection, token);
  targets.leftOut.forEach((sentence) => log().info(`Classify image: ${sentence}`));
  if (token.isCancellationRequested) {
    return undefined;
  }
  if (targets.images.length === 0) {
    if (clicked || selection?.length) {
      void vscode.window.showInformationMessage(
        ['There are no PNG, JPEG, GIF, BMP or WebP images in the selection.', ...targets.leftOut].join(' '),
      );
    }
    return undefined;
  }
  const model = await (await openModelStore(context)).selected();
  if (!model) {
    void offerTraining();
    return undefined;
  }
  if (targets.leftOut.length) {
    void vscode.window.showInformationMessage(targets.leftOut.join(' '));
  }
  return classifyInGroups(context, targets.images, model, progress, token);
}

async function offerTraining(): Promise<void> {
  const trainNow = 'Train now';
  const choice = await vscode.window.showInformationMessage(
    'There is no trained Fashion Classifier model yet. Train one (a few minutes), then classify your images.',
    trainNow,
  );
  if (choice === trainNow) {
    await vscode.commands.executeCommand('fashionClassifier.train');
  }
}

async function classifyInGroups(
  context: vscode.ExtensionContext,
  targets: ImageTarget[],
  model: StoredRun,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<Classified | undefined> {
  const panel = ResultsPanel.slot.createOrShow(context, true);
  const results: ClassificationSummary[] = [];
  const total = targets.length;
  const request = nextRequest++;
  try {
    // The next group is read while the panel classifies the current one: two groups at most in memory.
    let next: Promise<ImageToClassify[]> | undefined = readGroup(targets, 0);
    while (next && !token.isCancellationRequested) {
      const group: ImageToClassify[] = await next;
      const after: number = results.length + group.length;
      next = after < total ? readGroup(targets, after) : undefined;
      if (token.isCancellationRequested) {
        break;
      }
      const reply = await panel.classify(group, model, { request, done: results.length, total }, token);
      results.push(...reply.results);
      progress.report({ increment: (100 * group.length) / total, message: `${results.length} of ${total}` });
      if (reply.problem) {
        break;
      }
    }
  } catch (error) {
    if (error instanceof RequestEndedError && error.why === 'cancelled') {
      log().info(`Classify image: cancelled after ${results.length} of ${total} picture(s).`);
      return { results };
    }
    logError('Classifying pictures', error);
    void showProblemNotification({
      message: `The pictures were not all classified: ${errorMessage(error)} Run "Classify image" again.`,
      actions: [],
    });
    return undefined;
  }
  const failed = results.filter((r) => r.error);
  const stopped = results.length < total ? ` (stopped after ${results.length} of ${total})` : '';
  log().info(`Classified ${results.length - failed.length} of ${results.length} picture(s)${stopped}.`);
  failed.forEach((r) => log().warn(`${r.name}: ${r.error}`));
  return { results };
}
