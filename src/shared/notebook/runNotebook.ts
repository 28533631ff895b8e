// "Continue in Python": a saved run as a Keras notebook that reproduces it. The cells follow
// TensorFlow's classification tutorial (data, a look at it, the model, training), with the run's
// own numbers written into the code: the same images, the same network with its trained weights
// (checked against the panel's test accuracy), then the same training again from scratch in Keras,
// its curves beside the run's. Pure: the host command writes the result to a file or an untitled
// notebook; unit tests read the code it generates.
import { CLASS_NAMES } from '../classNames';
import { FASHION_MNIST } from '../datasetFiles';
import type { SavedRun } from '../savedRun';
import { type Cell, codeCell, markdownCell, type Notebook, pythonNotebook } from './ipynb';
import { kerasModelCode } from './kerasLayers';
import { pyNumber, pyString } from './python';

/** Set to N, the retraining cell trains on the first N training images only: a quick check. */
export const RETRAIN_SUBSET_ENV = 'FASHION_CLASSIFIER_RETRAIN_SUBSET';

/** The figures of a run the notebook uses; a whole SavedRun will do. */
export type NotebookRun = Pick<
  SavedRun,
  'settings' | 'trainCount' | 'validationCount' | 'testCount' | 'history' | 'evaluation' | 'earlyStop'
>;

export interface RunNotebookInput {
  run: NotebookRun;
  /** model.json's `modelTopology`: the layers the notebook builds. */
  modelTopology: unknown;
  /** A file-name-safe name for the run, e.g. `fashion-mlp-2026-12-01-1612`: the .keras file is named after it. */
  runName: string;
  /** When the run finished, as the person reads it (their own time zone). */
  finishedLabel: string;
  /** The folder with the run's model.json, weights.bin and run.json: relative to the notebook's folder, or absolute. */
  runFolder: string;
  /** The folder of Fashion-MNIST files the extension verified on this machine, if any. */
  datasetFolder?: string;
}

const MODEL_NAMES = {
  mlp: "The tutorial's network (an MLP: Flatten, Dense, Dropout, Dense)",
  cnn: 'The convolutional network (CNN)',
};

const count = (n: number) => n.toLocaleString('en-US');

function introCell(input: RunNotebookInput): Cell {
  const { run } = input;
  const epochs = run.history.length;
  return markdownCell(
    'intro',
    `# A Fashion Classifier run, continued in Keras

${MODEL_NAMES[run.settings.model]}, trained in the Fashion Classifier panel (finished ${input.finishedLabel}): \
${epochs} epoch${epochs === 1 ? '' : 's'} on ${count(run.trainCount)} training images, \
test accuracy **${run.evaluation.accuracy.toFixed(4)}** on ${count(run.testCount)} test images.

The cells follow TensorFlow's Keras tutorial "Basic classification: classify images of clothing":

1. the data: Fashion-MNIST, with the run's training images, validation split and test images;
2. a look at the images;
3. the model: the same layers, sizes and names, compiled with the run's optimizer, learning rate and loss;
4. the trained model, exactly: the run's weights loaded into Keras, its test accuracy checked against the panel's, and saved as a \`.keras\` file;
5. the run again, in Keras: trained from scratch with the run's settings, its curves beside the panel's.

It needs Python 3 with \`keras\` (version 3), a Keras backend (TensorFlow, JAX or PyTorch), \`numpy\` and \
\`matplotlib\`, e.g. \`pip install keras jax numpy matplotlib ipykernel\`. The environment variable \
\`KERAS_BACKEND\` chooses the backend; unset, the first cell takes TensorFlow, else JAX, else PyTorch.`,
  );
}

function setupCell(input: RunNotebookInput): Cell {
  return codeCell(
    'setup',
    `import gzip
import hashlib
import importlib.util
import json
import math
import os
from pathlib import Path

# Keras takes its backend from KERAS_BACKEND when first imported, TensorFlow unless told. Without
# TensorFlow installed, JAX or PyTorch if there (pip install keras jax is enough to run this).
if "KERAS_BACKEND" not in os.environ and importlib.util.find_spec("tensorflow") is None:
    os.environ["KERAS_BACKEND"] = next((b for b in ("jax", "torch") if importlib.util.find_spec(b)), "tensorflow")

import keras
import matplotlib.pyplot as plt
import numpy as np

# The run as the extension saved it: model.json and weights.bin (TF.js layers format) and run.json
# (its settings, its curves and its test results).
RUN_DIR = Path(${pyString(input.runFolder)})
RUN_NAME = ${pyString(input.runName)}
run = json.loads((RUN_DIR / "run.json").read_text())
print(f"Keras {keras.__version__} on {keras.backend.backend()}, run {RUN_NAME}")`,
  );
}

function dataIntroCell(run: NotebookRun): Cell {
  const { settings } = run;
  const train = settings.trainSubsetSize ? `the first ${count(settings.trainSubsetSize)}` : 'all 60,000';
  const test = settings.testSubsetSize ? `the first ${count(settings.testSubsetSize)}` : 'all 10,000';
  const validation =
    settings.validationSplit > 0
      ? `the last ${Math.round(settings.validationSplit * 100)}% of them held out for validation, as \`validation_split=${settings.validationSplit}\` takes them in \`model.fit\``
      : 'none held out for validation';
  return markdownCell(
    'data-intro',
    `## 1. The data

The same images as the run: ${train} training images, ${validation}, and ${test} test images. \
Pixels go from 0-255 to 0-1, as in the panel.

The files are the ones the extension checked on this machine (their SHA-256 is checked again here); \
without them, \`keras.datasets.fashion_mnist\` downloads the same arrays.`,
  );
}

function dataCell(input: RunNotebookInput): Cell {
  const { settings } = input.run;
  const expected = FASHION_MNIST.map(
    (file) => `    ${pyString(file.name)}: (${file.bytes}, ${pyString(file.sha256)}),`,
  );
  return codeCell(
    'data',
    `DATASET_DIR = ${input.datasetFolder ? `Path(${pyString(input.datasetFolder)})` : 'None'}
# Each file's size and SHA-256, decompressed: the published data set's.
EXPECTED = {
${expected.join('\n')}
}


def read_verified(name):
    """The file's bytes (gunzipped), if they are the published data set's; else None."""
    size, sha256 = EXPECTED[name]
    for path in (DATASET_DIR / name, DATASET_DIR / f"{name}.gz"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\\x1f\\x8b":
                data = gzip.decompress(data)
            if len(data) == size and hashlib.sha256(data).hexdigest() == sha256:
                return data
    return None


files = {name: read_verified(name) for name in EXPECTED} if DATASET_DIR else {}
if files and all(data is not None for data in files.values()):
    # IDX files: a 16-byte header before the images, 8 bytes before the labels.
    x_train_all = np.frombuffer(files["train-images-idx3-ubyte"], np.uint8, offset=16).reshape(-1, 28, 28)
    y_train_all = np.frombuffer(files["train-labels-idx1-ubyte"], np.uint8, offset=8)
    x_test_all = np.frombuffer(files["t10k-images-idx3-ubyte"], np.uint8, offset=16).reshape(-1, 28, 28)
    y_test_all = np.frombuffer(files["t10k-labels-idx1-ubyte"], np.uint8, offset=8)
    print(f"Fashion-MNIST from {DATASET_DIR}, checked by SHA-256")
else:
    (x_train_all, y_train_all), (x_test_all, y_test_all) = keras.datasets.fashion_mnist.load_data()
    print("Fashion-MNIST from keras.datasets")

TRAIN_SUBSET = ${settings.trainSubsetSize}  # the first N training images; 0 = all
TEST_SUBSET = ${settings.testSubsetSize}  # the first N test images; 0 = all
VALIDATION_SPLIT = ${pyNumber(settings.validationSplit)}

train_count = TRAIN_SUBSET or len(x_train_all)
images = x_train_all[:train_count].astype("float32") / 255
labels = y_train_all[:train_count].astype("int32")
# The last part for validation, before any shuffling: what validation_split does in model.fit.
split_at = math.floor(train_count * (1 - VALIDATION_SPLIT))
x_train, y_train = images[:split_at], labels[:split_at]
x_val, y_val = images[split_at:], labels[split_at:]
test_count = TEST_SUBSET or len(x_test_all)
x_test = x_test_all[:test_count].astype("float32") / 255
y_test = y_test_all[:test_count].astype("int32")
print(f"{len(x_train)} training, {len(x_val)} validation and {len(x_test)} test images")
assert (len(x_train), len(x_val), len(x_test)) == (run["trainCount"], run["validationCount"], run["testCount"])`,
  );
}

function samplesCells(): Cell[] {
  return [
    markdownCell('samples-intro', '## 2. A look at the images\n\nThe first 25 training images with their classes.'),
    codeCell(
      'samples',
      `CLASS_NAMES = [${CLASS_NAMES.map(pyString).join(', ')}]

plt.figure(figsize=(8, 8))
for i in range(25):
    plt.subplot(5, 5, i + 1)
    plt.xticks([])
    plt.yticks([])
    plt.imshow(x_train[i], cmap=plt.cm.binary)
    plt.xlabel(CLASS_NAMES[y_train[i]])
plt.show()`,
    ),
  ];
}

function modelCells(input: RunNotebookInput): Cell[] {
  const { settings } = input.run;
  const code = kerasModelCode(input.modelTopology);
  const layers = [code.input, ...code.layers].map((line) => `            ${line},`).join('\n');
  return [
    markdownCell(
      'model-intro',
      `## 3. The model

The run's layers, with the names they have in the panel (the trained weights are found by them). \
TF.js starts kernels from Glorot's normal distribution where Keras' default is the uniform one, so the \
layers say so. Compiled as in the panel: Adam at a learning rate of ${settings.learningRate}, sparse \
categorical cross-entropy, accuracy.`,
    ),
    codeCell(
      'model',
      `def build_model():
    """The run's network, layer for layer."""
    return keras.Sequential(
        [
${layers}
        ],
        name=${pyString(`fashion_${settings.model}`)},
    )


def compile_model(model, learning_rate):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )


model = build_model()
compile_model(model, ${pyNumber(settings.learningRate)})
model.summary()`,
    ),
  ];
}

function trainedModelCells(): Cell[] {
  return [
    markdownCell(
      'weights-intro',
      `## 4. The trained model, exactly

\`weights.bin\` holds every weight as little-endian float32 numbers, one weight after the other in the order \
of \`model.json\`'s \`weightsManifest\`. TF.js and Keras store them alike: Dense kernels as \
[inputs, units], Conv2D kernels as [height, width, input channels, filters]. With them, Keras computes \
what the panel computed: the same test accuracy, to the last image.`,
    ),
    codeCell(
      'weights',
      `manifest = json.loads((RUN_DIR / "model.json").read_text())["weightsManifest"]
saved = {}
for group in manifest:
    data = b"".join((RUN_DIR / path).read_bytes() for path in group["paths"])
    offset = 0
    for spec in group["weights"]:
        assert spec.get("dtype", "float32") == "float32", f"{spec['name']} is {spec['dtype']}"
        size = math.prod(spec["shape"])
        saved[spec["name"]] = np.frombuffer(data, "<f4", size, offset).reshape(spec["shape"])
        offset += 4 * size
    assert offset == len(data), "weights.bin is not the size model.json gives"
for layer in model.layers:
    if layer.weights:
        layer.set_weights([saved.pop(f"{layer.name}/{weight.name}") for weight in layer.weights])
assert not saved, f"weights that no layer took: {sorted(saved)}"

panel = run["evaluation"]
loaded_loss, loaded_accuracy = model.evaluate(x_test, y_test, batch_size=1024, verbose=0)
print(f"Test accuracy in the panel: {panel['accuracy']:.4f} (loss {panel['loss']:.4f})")
print(f"Test accuracy in Keras:     {loaded_accuracy:.4f} (loss {loaded_loss:.4f})")
apart = abs(round(loaded_accuracy * len(y_test)) - round(panel["accuracy"] * len(y_test)))
if apart:
    print(f"{apart} test image(s) apart: two classes that tie to float rounding can swap between TF.js and Keras")`,
    ),
    markdownCell(
      'save-intro',
      'The model with its weights, as one Keras file; `keras.saving.load_model` reads it back.',
    ),
    codeCell(
      'save',
      `keras_file = Path(f"{RUN_NAME}.keras")
model.save(keras_file)
print(f"Saved {keras_file.resolve()}")`,
    ),
  ];
}

function retrainIntroCell(run: NotebookRun): Cell {
  const { settings } = run;
  const notes = [
    `${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'} of batches of ${settings.batchSize}, the training images shuffled every epoch`,
    settings.learningRateDecay === 1
      ? `Adam at a constant learning rate of ${settings.learningRate}`
      : `Adam from a learning rate of ${settings.learningRate}, multiplied by ${settings.learningRateDecay} after each epoch (an \`ExponentialDecay\` schedule that steps once an epoch)`,
  ];
  if (settings.earlyStoppingPatience > 0 && settings.validationSplit > 0) {
    notes.push(
      `early stopping after ${settings.earlyStoppingPatience} epoch(s) without a lower validation loss, with the best epoch's weights restored (Keras restores them after the last epoch too; the panel only when it stopped early)`,
    );
  }
  return markdownCell(
    'retrain-intro',
    `## 5. The run again, in Keras

A new model, trained from scratch with the run's settings: ${notes.join('; ')}.

For a quick check, set the environment variable \`${RETRAIN_SUBSET_ENV}\` to N before the kernel starts: \
it trains on the first N training images only.`,
  );
}

function retrainCell(run: NotebookRun): Cell {
  const { settings } = run;
  const decays = settings.learningRateDecay !== 1;
  const validates = settings.validationSplit > 0;
  const stopsEarly = settings.earlyStoppingPatience > 0 && validates;
  const lines = [
    `EPOCHS = ${settings.epochs}`,
    `BATCH_SIZE = ${settings.batchSize}`,
    `LEARNING_RATE = ${pyNumber(settings.learningRate)}`,
    ...(decays ? [`LEARNING_RATE_DECAY = ${pyNumber(settings.learningRateDecay)}  # after each epoch`] : []),
    ...(stopsEarly ? [`PATIENCE = ${settings.earlyStoppingPatience}  # epochs without a lower validation loss`] : []),
    '',
    `retrain_count = int(os.environ.get(${pyString(RETRAIN_SUBSET_ENV)}, "0")) or len(x_train)`,
    'x_fit, y_fit = x_train[:retrain_count], y_train[:retrain_count]',
    ...(decays
      ? [
          'learning_rate = keras.optimizers.schedules.ExponentialDecay(',
          '    LEARNING_RATE,',
          '    decay_steps=math.ceil(len(x_fit) / BATCH_SIZE),  # the steps of one epoch',
          '    decay_rate=LEARNING_RATE_DECAY,',
          '    staircase=True,',
          ')',
        ]
      : ['learning_rate = LEARNING_RATE']),
    '',
    'retrained = build_model()',
    'compile_model(retrained, learning_rate)',
    'history = retrained.fit(',
    '    x_fit,',
    '    y_fit,',
    '    epochs=EPOCHS,',
    '    batch_size=BATCH_SIZE,',
    ...(validates ? ['    validation_data=(x_val, y_val),'] : []),
    ...(stopsEarly
      ? [
          '    callbacks=[',
          '        keras.callbacks.EarlyStopping(monitor="val_loss", patience=PATIENCE, restore_best_weights=True)',
          '    ],',
        ]
      : []),
    '    verbose=2,',
    ')',
  ];
  return codeCell('retrain', lines.join('\n'));
}

function curvesCells(): Cell[] {
  return [
    codeCell(
      'curves',
      `def plot_run(axes, metric, title):
    epochs = [e["epoch"] for e in run["history"]]
    validation = "valLoss" if metric == "loss" else "valAccuracy"
    axes.plot(epochs, [e[metric] for e in run["history"]], "o-", color="tab:blue", label="training, panel")
    if any(e[validation] is not None for e in run["history"]):
        axes.plot(epochs, [e[validation] for e in run["history"]], "o-", color="tab:orange", label="validation, panel")
    keras_epochs = range(1, len(history.history[metric]) + 1)
    axes.plot(keras_epochs, history.history[metric], "s--", color="tab:blue", alpha=0.6, label="training, Keras")
    if f"val_{metric}" in history.history:
        axes.plot(keras_epochs, history.history[f"val_{metric}"], "s--", color="tab:orange", alpha=0.6, label="validation, Keras")
    axes.set_title(title)
    axes.set_xlabel("epoch")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend()


figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(12, 4))
plot_run(loss_axes, "loss", "Loss")
plot_run(accuracy_axes, "accuracy", "Accuracy")
plt.show()

retrained_loss, retrained_accuracy = retrained.evaluate(x_test, y_test, batch_size=1024, verbose=0)
print(f"Test accuracy, trained again in Keras: {retrained_accuracy:.4f} (the panel's run: {panel['accuracy']:.4f})")`,
    ),
    markdownCell(
      'noise',
      `Two trainings of the same network on the same images do not end alike: each starts from other random \
weights and sees the images in another order. So the curves above differ by run-to-run noise, and so do the \
test accuracies: 17 runs of the tutorial's MLP with the extension's training code (five epochs, all the images) \
reached from 0.860 to 0.876. Curves that stay within that of each other describe the same training; a difference larger than \
that, run after run, would be a real one.`,
    ),
  ];
}

/** The notebook for one saved run. Throws an UnsupportedModelError for a network it cannot rebuild in Keras. */
export function buildRunNotebook(input: RunNotebookInput): Notebook {
  return pythonNotebook([
    introCell(input),
    setupCell(input),
    dataIntroCell(input.run),
    dataCell(input),
    ...samplesCells(),
    ...modelCells(input),
    ...trainedModelCells(),
    retrainIntroCell(input.run),
    retrainCell(input.run),
    ...curvesCells(),
  ]);
}
