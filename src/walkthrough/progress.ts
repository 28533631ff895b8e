// The context keys that complete the steps of the walkthrough ("Classify clothing with a neural
// network", package.json `contributes.walkthroughs`) when what a step asks for has happened. VS
// Code keeps a completed step completed, so each key only needs to turn true once.
import * as vscode from 'vscode';
import { logError } from '../log';
import type { TrainingMessage } from '../shared/protocol';
import { WALKTHROUGH_KEYS } from '../shared/walkthroughKeys';
import { openModelStore } from '../storage';

function setKey(key: string): void {
  void vscode.commands.executeCommand('setContext', key, true);
}

export function noteDatasetReady(): void {
  setKey(WALKTHROUGH_KEYS.datasetReady);
}

/** Takes in any message of the classifier panel: a completed run completes the steps that wait for one (or two). */
export function noteWalkthroughProgress(received: { type: string }, context: vscode.ExtensionContext): void {
  const message = received as TrainingMessage;
  if (message.type !== 'trainingEnded' || message.outcome !== 'completed') {
    return;
  }
  setKey(WALKTHROUGH_KEYS.trainedRun);
  // The run was saved before the panel said it ended.
  void openModelStore(context)
    .then((store) => store.list())
    .then((runs) => {
      if (runs.length >= 2) {
        setKey(WALKTHROUGH_KEYS.twoRuns);
      }
    })
    .catch((error: unknown) => logError('Counting the kept runs for the walkthrough', error));
}
