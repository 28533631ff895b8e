import * as vscode from 'vscode';
import type { BackendName } from '../shared/backendPolicy';
import type { ExperimentRunInfo, TrainingProgressMessage } from '../shared/protocol';

/**
 * The progress notification of a training run, whose Cancel button stops it. The run itself
 * lives in the panel; this mirrors its progress so it stays visible when the panel is hidden.
 */
export class TrainingNotification implements vscode.Disposable {
  private report: ((progress: TrainingProgressMessage) => void) | undefined;
  private finish: (() => void) | undefined;
  private percentShown = 0;

  /** With `experiment`, the title says which run of the repeat or sweep it is; Cancel stops the whole experiment. */
  constructor(epochs: number, backend: BackendName, onCancel: () => void, experiment?: ExperimentRunInfo) {
    const place = experiment ? ` · ${experiment.label}, run ${experiment.run} of ${experiment.runs}` : '';
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Training Fashion Classifier (${backend})${place}`,
        cancellable: true,
      },
      (progress, token) =>
        new Promise<void>((resolve) => {
          this.finish = resolve;
          token.onCancellationRequested(onCancel);
          progress.report({ message: `epoch 1 of ${epochs}` });
          this.report = (update) => {
            const percent = Math.floor(update.fraction * 100);
            const left = update.secondsLeft === null ? '' : ` · about ${formatSeconds(update.secondsLeft)} left`;
            progress.report({
              increment: Math.max(0, percent - this.percentShown),
              message: `epoch ${update.epoch} of ${update.epochs}${left}`,
            });
            this.percentShown = Math.max(percent, this.percentShown);
          };
        }),
    );
  }

  update(progress: TrainingProgressMessage): void {
    this.report?.(progress);
  }

  dispose(): void {
    this.finish?.();
  }
}

function formatSeconds(seconds: number): string {
  return seconds < 90 ? `${Math.max(1, Math.round(seconds))} s` : `${Math.round(seconds / 60)} min`;
}
