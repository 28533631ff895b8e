// The Keras notebook of a saved run: a valid nbformat 4.5 document whose code rebuilds the run's
// own network (from the topology TF.js saves) and carries the run's numbers. Executing it in
// Keras is the end-to-end test's job (test/e2e/notebook.test.ts); here, what it says.
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { FASHION_MNIST } from '../../src/shared/datasetFiles';
import { createModel, disposeModel } from '../../src/shared/ml/model';
import { cellText, type Notebook, notebookText } from '../../src/shared/notebook/ipynb';
import { kerasModelCode, UnsupportedModelError } from '../../src/shared/notebook/kerasLayers';
import { pyNumber, pyString, pyTuple } from '../../src/shared/notebook/python';
import { buildRunNotebook, type NotebookRun, RETRAIN_SUBSET_ENV } from '../../src/shared/notebook/runNotebook';
import { defaultsFor, type TrainingSettings } from '../../src/shared/settings';
import { useCpuBackend } from './mlFixtures';

/** model.json's modelTopology, as the panel saves it. */
async function savedTopology(settings: TrainingSettings): Promise<unknown> {
  const model = createModel(settings);
  try {
    let topology: unknown;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        topology = artifacts.modelTopology;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    return topology;
  } finally {
    disposeModel(model);
  }
}

function runWith(settings: TrainingSettings): NotebookRun {
  const total = settings.trainSubsetSize || 60_000;
  const trainCount = Math.floor(total * (1 - settings.validationSplit));
  return {
    settings,
    trainCount,
    validationCount: total - trainCount,
    testCount: settings.testSubsetSize || 10_000,
    history: [{ epoch: 1, loss: 0.5, accuracy: 0.8, valLoss: 0.45, valAccuracy: 0.82, seconds: 3 }],
    evaluation: { loss: 0.44, accuracy: 0.8312, confusionMatrix: [] },
  };
}

async function notebookFor(settings: TrainingSettings, extra: { datasetFolder?: string; runFolder?: string } = {}) {
  return buildRunNotebook({
    run: runWith(settings),
    modelTopology: await savedTopology(settings),
    runName: 'fashion-run',
    finishedLabel: '1 December 2026, 16:12',
    runFolder: extra.runFolder ?? 'fashion-run-run',
    datasetFolder: extra.datasetFolder,
  });
}

function cell(notebook: Notebook, id: string): string {
  const found = notebook.cells.find((c) => c.id === id);
  assert.ok(found, `cell ${id}`);
  return cellText(found);
}

/** The `keras.Sequential([...])` entries of the model cell. */
function layerLines(notebook: Notebook): string[] {
  return cell(notebook, 'model')
    .split('\n')
    .filter((line) => /^ {12}keras\./.test(line))
    .map((line) => line.trim().replace(/,$/, ''));
}

describe('Run notebook', () => {
  useCpuBackend();

  it('is an nbformat 4.5 notebook for a Python 3 kernel, as Jupyter writes one', async () => {
    const notebook = await notebookFor(defaultsFor('mlp'));
    const text = notebookText(notebook);
    assert.ok(text.endsWith('}\n'));
    const parsed = JSON.parse(text);
    assert.equal(parsed.nbformat, 4);
    assert.equal(parsed.nbformat_minor, 5);
    assert.deepEqual(parsed.metadata.kernelspec, { name: 'python3', display_name: 'Python 3', language: 'python' });
    const ids = parsed.cells.map((c: { id: string }) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const c of parsed.cells) {
      assert.match(c.id, /^[a-zA-Z0-9-_]{1,64}$/);
      assert.ok(['code', 'markdown'].includes(c.cell_type));
      assert.deepEqual(c.metadata, {});
      assert.ok(Array.isArray(c.source) && c.source.length > 0);
      // Jupyter's layout: every line but the last ends in a newline, none has two.
      c.source.slice(0, -1).forEach((line: string) => assert.match(line, /^[^\n]*\n$/));
      assert.doesNotMatch(c.source.at(-1), /\n/);
      if (c.cell_type === 'code') {
        assert.deepEqual(c.outputs, []);
        assert.equal(c.execution_count, null);
      } else {
        assert.equal('outputs' in c, false);
      }
    }
    // Tutorial-like: prose between the code, the steps in order.
    const kinds = parsed.cells.map((c: { id: string; cell_type: string }) => `${c.cell_type[0]}:${c.id}`);
    assert.deepEqual(kinds, [
      'm:intro',
      'c:setup',
      'm:data-intro',
      'c:data',
      'm:samples-intro',
      'c:samples',
      'm:model-intro',
      'c:model',
      'm:weights-intro',
      'c:weights',
      'm:save-intro',
      'c:save',
      'm:retrain-intro',
      'c:retrain',
      'c:curves',
      'm:noise',
    ]);
  });

  it("builds the MLP's layers with the run's sizes and the panel's layer names", async () => {
    const settings = { ...defaultsFor('mlp'), hiddenUnits: 64, dropout: 0.35 };
    const notebook = await notebookFor(settings);
    assert.deepEqual(layerLines(notebook), [
      'keras.Input(shape=(28, 28))',
      'keras.layers.Flatten(name="flatten")',
      'keras.layers.Dense(64, activation="relu", kernel_initializer="glorot_normal", name="hidden")',
      'keras.layers.Dropout(0.35, name="dropout")',
      'keras.layers.Dense(10, activation="softmax", kernel_initializer="glorot_normal", name="output")',
    ]);
    assert.match(cell(notebook, 'model'), /name="fashion_mlp"/);
    assert.match(cell(notebook, 'model'), /^compile_model\(model, 0\.001\)$/m);
  });

  it("builds the CNN's blocks with the run's sizes and the panel's layer names", async () => {
    const settings = defaultsFor('cnn');
    const notebook = await notebookFor(settings);
    const conv = (filters: number, block: number) =>
      `keras.layers.Conv2D(${filters}, 3, padding="same", activation="relu", kernel_initializer="glorot_normal", name="conv${block}")`;
    assert.deepEqual(layerLines(notebook), [
      'keras.Input(shape=(28, 28))',
      'keras.layers.Reshape((28, 28, 1), name="channels")',
      conv(16, 1),
      'keras.layers.MaxPooling2D(2, name="pool1")',
      conv(32, 2),
      'keras.layers.MaxPooling2D(2, name="pool2")',
      conv(64, 3),
      'keras.layers.MaxPooling2D(2, name="pool3")',
      'keras.layers.Flatten(name="flatten")',
      'keras.layers.Dense(128, activation="relu", kernel_initializer="glorot_normal", name="hidden")',
      'keras.layers.Dropout(0.3, name="dropout")',
      'keras.layers.Dense(10, activation="softmax", kernel_initializer="glorot_normal", name="output")',
    ]);
    // The names the weights are found by are the TF.js model's own.
    const model = createModel(settings);
    try {
      assert.deepEqual(
        kerasModelCode(await savedTopology(settings)).layerNames,
        model.layers.map((layer) => layer.name),
      );
    } finally {
      disposeModel(model);
    }
  });

  it("loads the same data as the run: subsets, split, and the verified files' checksums", async () => {
    const settings = { ...defaultsFor('mlp'), trainSubsetSize: 2000, testSubsetSize: 500, validationSplit: 0.25 };
    const data = cell(await notebookFor(settings, { datasetFolder: '/var/data/dataset' }), 'data');
    assert.match(data, /^DATASET_DIR = Path\("\/var\/data\/dataset"\)$/m);
    assert.match(data, /^TRAIN_SUBSET = 2000 /m);
    assert.match(data, /^TEST_SUBSET = 500 /m);
    assert.match(data, /^VALIDATION_SPLIT = 0\.25$/m);
    for (const file of FASHION_MNIST) {
      assert.ok(data.includes(`"${file.name}": (${file.bytes}, "${file.sha256}")`), file.name);
    }
    assert.match(data, /keras\.datasets\.fashion_mnist\.load_data\(\)/);
    const none = cell(await notebookFor(settings), 'data');
    assert.match(none, /^DATASET_DIR = None$/m);
  });

  it("retrains with the run's settings: epochs, batch, rate, decay as a schedule, early stopping", async () => {
    const plain = cell(await notebookFor(defaultsFor('mlp')), 'retrain');
    assert.match(plain, /^EPOCHS = 5$/m);
    assert.match(plain, /^BATCH_SIZE = 32$/m);
    assert.match(plain, /^learning_rate = LEARNING_RATE$/m);
    assert.match(plain, /validation_data=\(x_val, y_val\)/);
    assert.doesNotMatch(plain, /ExponentialDecay|EarlyStopping/);
    assert.ok(plain.includes(`os.environ.get("${RETRAIN_SUBSET_ENV}", "0")`));

    const cnn = cell(await notebookFor({ ...defaultsFor('cnn'), earlyStoppingPatience: 2 }), 'retrain');
    assert.match(cnn, /^EPOCHS = 10$/m);
    assert.match(cnn, /^BATCH_SIZE = 64$/m);
    assert.match(cnn, /^LEARNING_RATE = 0\.002$/m);
    assert.match(cnn, /^LEARNING_RATE_DECAY = 0\.8 /m);
    assert.match(
      cnn,
      /ExponentialDecay\(\n {4}LEARNING_RATE,\n {4}decay_steps=math\.ceil\(len\(x_fit\) \/ BATCH_SIZE\),/,
    );
    assert.match(cnn, /staircase=True/);
    assert.match(cnn, /^PATIENCE = 2 /m);
    assert.match(cnn, /EarlyStopping\(monitor="val_loss", patience=PATIENCE, restore_best_weights=True\)/);

    // No validation images: nothing to validate on, so no early stopping either.
    const unvalidated = cell(
      await notebookFor({ ...defaultsFor('mlp'), validationSplit: 0, earlyStoppingPatience: 3 }),
      'retrain',
    );
    assert.doesNotMatch(unvalidated, /validation_data|EarlyStopping/);
  });

  it('writes paths as Python reads them back, quotes and backslashes included', async () => {
    const folder = 'C:\\Users\\Zoë "Z"\\runs\\2026-12-01';
    const setup = cell(await notebookFor(defaultsFor('mlp'), { runFolder: folder }), 'setup');
    const [, literal] = /^RUN_DIR = Path\((.*)\)$/m.exec(setup) ?? [];
    assert.equal(JSON.parse(literal), folder);
    assert.equal(pyString('a\\b"c'), '"a\\\\b\\"c"');
    assert.equal(pyNumber(1e-7), '1e-7');
    assert.equal(pyTuple([5]), '(5,)');
    assert.throws(() => pyNumber(NaN), RangeError);
  });

  it('refuses a network it cannot rebuild, saying which layer', () => {
    const topology = (layers: unknown[]) => ({ class_name: 'Sequential', config: { name: 's', layers } });
    const input = { batch_input_shape: [null, 28, 28], name: 'flatten' };
    assert.throws(
      () => kerasModelCode(topology([{ class_name: 'LSTM', config: { ...input, name: 'memory' } }])),
      (error: unknown) => error instanceof UnsupportedModelError && /Layer memory: LSTM layers/.test(error.message),
    );
    assert.throws(
      () =>
        kerasModelCode(
          topology([
            { class_name: 'Flatten', config: input },
            { class_name: 'Dense', config: { units: 10, activation: 'mish', name: 'output' } },
          ]),
        ),
      /Layer output: activation "mish"/,
    );
    assert.throws(() => kerasModelCode({ class_name: 'Model', config: {} }), /not describe a Sequential model/);
    assert.throws(() => kerasModelCode(topology([{ class_name: 'Flatten', config: { name: 'f' } }])), /input shape/);
  });
});
