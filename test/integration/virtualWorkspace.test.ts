import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Classified } from '../../src/shared/resultsProtocol';
import { ModelStore } from '../../src/model/modelStore';
import { MemoryFileSystem } from './memoryFileSystem';
import { VIRTUAL_FOLDER_NAME, VIRTUAL_SCHEME } from './virtualFolder';

async function classify(uri: vscode.Uri): Promise<Classified['results'][number]> {
  const message = await vscode.commands.executeCommand<Classified | undefined>('fashionClassifier.classifyImage', uri, [
    uri,
  ]);
  assert.ok(message, `no result for ${uri.toString()} (is a trained model saved?)`);
  assert.equal(message.results.length, 1);
  return message.results[0];
}

describe('In a virtual workspace', () => {
  const memory = new MemoryFileSystem();
  let registration: vscode.Disposable;

  before(() => {
    registration = vscode.workspace.registerFileSystemProvider(VIRTUAL_SCHEME, memory, { isReadonly: true });
  });

  after(() => registration.dispose());

  it('runs the extension in a workspace whose only folder is on no disk', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepEqual(
      folders.map((folder) => [folder.uri.scheme, folder.name]),
      [[VIRTUAL_SCHEME, VIRTUAL_FOLDER_NAME]],
    );
    assert.equal(vscode.extensions.getExtension('fashionlab.fashion-classifier')?.isActive, true);
  });

  it('classifies a picture from that folder exactly as the same picture on disk', async () => {
    const sampleFolder = process.env.FASHION_SAMPLE_FOLDER;
    assert.ok(sampleFolder, 'FASHION_SAMPLE_FOLDER names the sample pictures on disk');
    const diskShirt = vscode.Uri.joinPath(vscode.Uri.file(sampleFolder), 'shirt.png');
    const virtualShirt = vscode.Uri.from({ scheme: VIRTUAL_SCHEME, path: '/pictures/shirt.png' });
    memory.add(virtualShirt, await vscode.workspace.fs.readFile(diskShirt));

    const fromDisk = await classify(diskShirt);
    const fromMemory = await classify(virtualShirt);
    assert.equal(fromMemory.error, undefined, fromMemory.error);
    assert.equal(fromMemory.name, 'pictures/shirt.png');
    assert.ok(
      Number.isInteger(fromMemory.predictedClass) && fromMemory.predictedClass! >= 0 && fromMemory.predictedClass! < 10,
    );
    assert.equal(fromMemory.predictedClass, fromDisk.predictedClass);
    assert.equal(fromMemory.confidence, fromDisk.confidence);
  });

  it("opens a run as an untitled Keras notebook that reads the run from the extension's storage", async () => {
    const storage = process.env.FASHION_GLOBAL_STORAGE;
    assert.ok(storage, "FASHION_GLOBAL_STORAGE names the extension's storage");
    const [run] = await (await ModelStore.open(storage)).list();
    assert.ok(run, 'a trained run is saved');
    // A Python kernel could not read this workspace's folder, so nothing is written into it.
    await vscode.commands.executeCommand('fashionClassifier.openRunAsNotebook', run.id);
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    assert.ok(notebook, 'a notebook is shown');
    assert.equal(notebook.notebookType, 'jupyter-notebook');
    assert.equal(notebook.isUntitled, true);
    assert.equal(notebook.metadata.nbformat, 4);
    assert.equal(notebook.metadata.metadata.kernelspec.name, 'python3');
    const cells = notebook.getCells();
    assert.equal(cells.length, 16);
    const setup = cells.find((cell) => cell.metadata.id === 'setup');
    assert.equal(setup?.kind, vscode.NotebookCellKind.Code);
    assert.equal(setup?.document.languageId, 'python');
    assert.ok(setup?.document.getText().includes(`RUN_DIR = Path(${JSON.stringify(run.folder)})`));
    const model = cells.find((cell) => cell.metadata.id === 'model')?.document.getText() ?? '';
    assert.match(
      model,
      /keras\.layers\.Dense\(256, activation="relu", kernel_initializer="glorot_normal", name="hidden"\)/,
    );
    assert.equal(cells[0].kind, vscode.NotebookCellKind.Markup);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
