// A trained model the store could not take (a read-only or full disk, files held by another
// program, even after retries): the host keeps it in memory, the panel explains the failure and
// offers Save again and Export…, and closing the panel asks before the model is let go.
import * as vscode from 'vscode';
import { pickExportFolder, writeExport } from '../commands/exportFiles';
import { logError } from '../log';
import { modelFilesOf, type ModelToSave } from '../model/modelStore';
import { errorMessage } from '../shared/errorMessage';
import type { Problem } from '../shared/panelMessages';
import { asSentence } from '../shared/sentences';

export class UnsavedModel {
  constructor(
    readonly model: ModelToSave,
    /** Where the store writes its runs, for the explanation. */
    private readonly runsDir: string,
    private error: unknown,
  ) {}

  /** Records the latest failure to save it. */
  failedAgain(error: unknown): void {
    this.error = error;
  }

  /** The failure as the panel shows it, with what to do. */
  get problem(): Problem {
    return {
      message:
        `The trained model could not be saved to ${this.runsDir}: ${asSentence(errorMessage(this.error))} ` +
        'It is kept in memory until this panel closes: fix the cause (a full or read-only disk, another program ' +
        'holding the files), then choose Save again, or Export… to write it to another folder.',
      actions: [{ kind: 'saveAgain' }, { kind: 'exportUnsaved' }, { kind: 'showLog' }],
    };
  }

  /** Writes the model's three files to a folder the person picks; false when they cancel or it fails. */
  async export(): Promise<boolean> {
    const folder = await pickExportFolder();
    if (!folder) {
      return false;
    }
    try {
      const where = await writeExport(folder, modelFilesOf(this.model));
      void vscode.window.showInformationMessage(
        `Exported the unsaved model to ${where} (model.json, weights.bin, run.json). Load it with tf.loadLayersModel.`,
      );
      return true;
    } catch (error) {
      logError('Exporting the unsaved model', error);
      void vscode.window.showErrorMessage(
        `The model was not exported: ${asSentence(errorMessage(error))} Choose another folder, or one you may write to.`,
      );
      return false;
    }
  }

  /**
   * Asked when its panel closes (VS Code cannot keep a panel open): save it after all, export it,
   * or let it go. Asks again after a save that fails.
   */
  async askBeforeLettingGo(saveAgain: () => Promise<boolean>): Promise<void> {
    const save = 'Save again';
    const exportIt = 'Export…';
    const accuracy = this.model.run.evaluation.accuracy.toFixed(4);
    for (;;) {
      const choice = await vscode.window.showWarningMessage(
        `The Fashion Classifier panel closed, but the model it trained (test accuracy ${accuracy}) was never saved: ` +
          `${asSentence(errorMessage(this.error))} It is lost unless you save or export it now.`,
        { modal: true },
        save,
        exportIt,
      );
      if (choice === save && !(await saveAgain())) {
        continue;
      }
      if (choice === exportIt && !(await this.export())) {
        continue;
      }
      return;
    }
  }
}
