// "Open Run as Keras Notebook": a saved run as a Jupyter notebook that reproduces it in Keras
// (src/shared/notebook/runNotebook.ts), opened in the editor's notebook view. In a folder of the
// workspace it is a file with the run's files beside it; in a virtual or empty workspace, where
// a Python kernel could not read the workspace's files, it is an untitled notebook that reads
// the run from the extension's storage.
import * as vscode from 'vscode';
import { log, logError } from '../log';
import type { StoredRun } from '../model/modelStore';
import { checkPython, PIP_INSTALL, pythonAdvice } from '../notebook/pythonCheck';
import { runNotebook, runNotebookName, verifiedDatasetFolder, writeRunNotebook } from '../notebook/runNotebookFiles';
import { errorMessage } from '../shared/errorMessage';
import type { Notebook } from '../shared/notebook/ipynb';
import { asSentence } from '../shared/sentences';
import { openModelStore, storagePath } from '../storage';
import { showProblemNotification } from '../userActions';

export const OPEN_RUN_NOTEBOOK_COMMAND = 'fashionClassifier.openRunAsNotebook';

/** The notebook type of VS Code's built-in Jupyter support (the ipynb extension). */
const JUPYTER_NOTEBOOK = 'jupyter-notebook';

interface RunPick extends vscode.QuickPickItem {
  run: StoredRun;
}

function describe(stored: StoredRun): RunPick {
  const { run } = stored;
  const settings = run.settings;
  return {
    label: `${settings.model.toUpperCase()}, ${run.history.length} epoch${run.history.length === 1 ? '' : 's'}, test accuracy ${run.evaluation.accuracy.toFixed(4)}`,
    description: new Date(run.finishedAt).toLocaleString(),
    detail:
      `${run.trainCount.toLocaleString('en-US')} training images, batch ${settings.batchSize}, learning rate ${settings.learningRate}` +
      (stored.selected ? ' · used by Classify image' : ''),
    run: stored,
  };
}

/** The run to open: the one asked for, or the person's pick (the run Classify image uses first). */
async function chooseRun(runs: StoredRun[], id: unknown): Promise<StoredRun | undefined> {
  if (typeof id === 'string') {
    const asked = runs.find((run) => run.id === id);
    if (!asked) {
      void vscode.window.showWarningMessage('That run is no longer kept; the run history shows the runs there are.');
    }
    return asked;
  }
  const ordered = [...runs.filter((run) => run.selected), ...runs.filter((run) => !run.selected)];
  const picked = await vscode.window.showQuickPick(ordered.map(describe), {
    title: 'Open a run as a Keras notebook',
    placeHolder: 'The run to continue in Python',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.run;
}

/** The first workspace folder on a local disk, where a Python kernel can read what is written. */
function localWorkspaceFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri;
}

/** The notebook as the editor's Jupyter support holds it: cells plus the file's other fields as metadata. */
function notebookData(notebook: Notebook): vscode.NotebookData {
  const cells = notebook.cells.map((cell) => {
    const data = new vscode.NotebookCellData(
      cell.cell_type === 'code' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup,
      cell.source.join(''),
      cell.cell_type === 'code' ? 'python' : 'markdown',
    );
    data.metadata = { id: cell.id, metadata: cell.metadata };
    return data;
  });
  const data = new vscode.NotebookData(cells);
  data.metadata = { nbformat: notebook.nbformat, nbformat_minor: notebook.nbformat_minor, metadata: notebook.metadata };
  return data;
}

/** Tells the person, without holding up the notebook, when their Python cannot run it. */
async function adviseOnPython(): Promise<void> {
  const check = await checkPython();
  const advice = pythonAdvice(check);
  if (!advice) {
    log().info(`${check.executable} has what the notebook needs.`);
    return;
  }
  log().warn(advice);
  const copy = 'Copy pip Command';
  if ((await vscode.window.showWarningMessage(advice, copy)) === copy) {
    await vscode.env.clipboard.writeText(PIP_INSTALL);
  }
}

export async function openRunAsNotebook(context: vscode.ExtensionContext, runId?: unknown): Promise<void> {
  const runs = await (await openModelStore(context)).list();
  if (runs.length === 0) {
    const trainNow = 'Train now';
    if (
      (await vscode.window.showWarningMessage('There is no trained run to open as a notebook yet.', trainNow)) ===
      trainNow
    ) {
      await vscode.commands.executeCommand('fashionClassifier.train');
    }
    return;
  }
  const stored = await chooseRun(runs, runId);
  if (!stored) {
    return;
  }
  try {
    const store = await openModelStore(context);
    const source = { run: stored.run, files: await store.readFiles(stored.id) };
    const datasetFolder = await verifiedDatasetFolder(storagePath(context));
    const finishedLabel = new Date(stored.run.finishedAt).toLocaleString();
    const name = runNotebookName(stored.run.settings.model, stored.run.finishedAt);
    const folder = localWorkspaceFolder();
    let document: vscode.NotebookDocument;
    if (folder) {
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(folder, `${name}.ipynb`),
        filters: { 'Jupyter Notebook': ['ipynb'] },
        saveLabel: 'Save Notebook',
        title: "Save the run's Keras notebook (the run's files go into a folder beside it)",
      });
      if (!target) {
        return;
      }
      if (target.scheme !== 'file') {
        throw new Error(
          `${target.toString()} is not on this computer's disk, where Python could read it: choose a folder there.`,
        );
      }
      const runFolder = await writeRunNotebook(target.fsPath, source, { finishedLabel, datasetFolder });
      log().info(`Run ${stored.id} written as the notebook ${target.fsPath}, its files in ${runFolder}.`);
      document = await vscode.workspace.openNotebookDocument(target);
    } else {
      // No folder a kernel could read: the notebook reads the run where the extension keeps it.
      const notebook = runNotebook(source, { runFolder: stored.folder, runName: name, finishedLabel, datasetFolder });
      log().info(`Run ${stored.id} opened as an untitled notebook reading ${stored.folder}.`);
      document = await vscode.workspace.openNotebookDocument(JUPYTER_NOTEBOOK, notebookData(notebook));
    }
    await vscode.window.showNotebookDocument(document);
  } catch (error) {
    logError('Opening the run as a notebook', error);
    void showProblemNotification({
      message: `The run could not be opened as a notebook: ${asSentence(errorMessage(error))}`,
      actions: [],
    });
    return;
  }
  // Not awaited: a warning stays until dismissed, and the command is done once the notebook shows.
  void adviseOnPython();
}
