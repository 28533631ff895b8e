import * as vscode from 'vscode';
import type { TrainingMessage } from '../shared/protocol';
import { endedText, runningText, type RunningStatus, type StatusBarText } from '../shared/trainingStatus';

/** How long a run's outcome stays in the status bar before it clears. */
const OUTCOME_SHOWN_MS = 8000;

/**
 * The status bar item of a training run: the epoch and the last epoch's accuracy with a spinner
 * while the panel trains, whether the panel is in view or not; the test accuracy (or that the run
 * stopped or failed) for a few seconds after; nothing otherwise. A click brings the panel forward.
 * It follows the panel's own messages, so it says what the panel says.
 */
export class TrainingStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private running: RunningStatus | undefined;
  private clearTimer: ReturnType<typeof setTimeout> | undefined;
  private shown = false;

  constructor() {
    this.item = vscode.window.createStatusBarItem('fashionClassifier.training', vscode.StatusBarAlignment.Left, 10);
    // Named in the status bar's context menu, where a person can hide it.
    this.item.name = 'Fashion Classifier Training';
    this.item.command = { command: 'fashionClassifier.train', title: 'Show the Fashion Classifier panel' };
  }

  /** Takes in any message of the classifier panel; those about training change what the item shows. */
  observe(received: { type: string }): void {
    const message = received as TrainingMessage;
    switch (message.type) {
      case 'trainingStarted':
        this.running = {
          epoch: 1,
          epochs: message.settings.epochs,
          backend: message.backend,
          model: message.settings.model,
        };
        break;
      case 'trainingProgress':
        if (!this.running) {
          return;
        }
        this.running = {
          ...this.running,
          epoch: message.epoch,
          epochs: message.epochs,
          secondsLeft: message.secondsLeft,
        };
        break;
      case 'epochEnded': {
        if (!this.running) {
          return;
        }
        const { epoch, accuracy, valAccuracy } = message.metrics;
        this.running = { ...this.running, epochs: message.epochs, finished: { epoch, accuracy, valAccuracy } };
        break;
      }
      case 'trainingEnded':
        this.running = undefined;
        this.show(endedText(message.outcome, message.testAccuracy));
        this.clearTimer = setTimeout(() => {
          this.item.hide();
          this.shown = false;
        }, OUTCOME_SHOWN_MS);
        return;
      default:
        return;
    }
    this.show(runningText(this.running));
  }

  private show({ text, tooltip, label }: StatusBarText): void {
    clearTimeout(this.clearTimer);
    // Progress arrives several times a second; each change of the item is a message to the
    // workbench, so only a change a person can see is sent.
    if (this.shown && this.item.text === text && this.item.tooltip === tooltip) {
      return;
    }
    this.shown = true;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label };
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.clearTimer);
    this.item.dispose();
  }
}
