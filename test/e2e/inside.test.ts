// "Look inside the network": what the panel shows for a picture, and the weights it draws, held
// against the saved model computed again in plain JavaScript (referenceNetwork.ts), for the MLP
// and the CNN; and the epoch time with the weights redrawn during training and without.
//
// The timing trains over the whole training set, runs without and with redrawing in turn
// (INSIDE_TIMING_PAIRS pairs of runs, 3 by default), and prints the figures; it asserts nothing
// about the times, since this machine's speed drifts with other work. Run it alone with
//   npx mocha --timeout 900000 out/test/e2e/inside.test.js --grep "epoch time"
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { loadSystemTestSet } from '../harness/fashionSamples';
import { setInPanel } from './hyperparameters';
import { EditorSession, screenshotOnFailure, startEditorSession } from './editorSession';
import { readSavedModel, referenceForward, weightOf, type SavedModel } from './referenceNetwork';
import { selectedRun } from './savedRuns';

/** Quick runs: enough training for patterns in the weights, a test set that evaluates fast. */
const QUICK = {
  'fashionClassifier.trainSubsetSize': 3000,
  'fashionClassifier.testSubsetSize': 1000,
  'fashionClassifier.epochs': 2,
};

/** Relative (or, near zero, absolute) difference allowed between the panel's float32 and the float64 reference. */
const TOLERANCE = 1e-4;

function decode(text: string | null): Float32Array {
  assert.ok(text !== null, 'the figure holds its values');
  return text === '' ? new Float32Array() : Float32Array.from(text.split(','), Number);
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values, expected ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    assert.ok(
      difference <= TOLERANCE,
      `${what}[${i}]: the panel shows ${actual[i]}, the saved model gives ${expected[i]}`,
    );
    worst = Math.max(worst, difference);
  }
  console.log(`      ${what}: ${actual.length} values agree (largest difference ${worst.toExponential(1)})`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('Looking inside the network', () => {
  let session: EditorSession;
  let classifier: FrameLocator;
  const panel = () => classifier;
  const testSet = loadSystemTestSet();

  before(async () => {
    session = await startEditorSession('inside', { settings: QUICK });
    await session.workbench.runCommand('Fashion Classifier: Train Fashion Classifier');
    classifier = await session.workbench.webviewWith('#inside-section', 60_000);
    await panel().locator('#start-training:not([disabled])').waitFor({ timeout: 120_000 });
  });

  afterEach(async function () {
    await screenshotOnFailure(session, this.currentTest);
  });

  after(async () => {
    await session?.stop();
  });

  async function train(): Promise<void> {
    await panel().locator('#start-training:not([disabled])').click();
    await panel().locator('#training-section[data-state="running"]').waitFor({ timeout: 30_000 });
    // Ready again only once the run is evaluated and saved (the status may still show the last run's success).
    await panel().locator('#training-section[data-state="ready"]').waitFor({ timeout: 600_000 });
    await panel().locator('#status[data-kind="success"]').waitFor({ timeout: 60_000 });
    // The inside view draws the trained model's weights and test image 0 on its own.
    await panel().locator('#inside-weights[data-ready="true"][data-live="false"]').waitFor({ timeout: 60_000 });
    await panel().locator('#inside-trace[data-ready="true"]').waitFor({ timeout: 60_000 });
  }

  /** The saved model of the run just trained. */
  async function savedModel(): Promise<SavedModel> {
    return readSavedModel((await selectedRun(session.server.globalStorage)).folder);
  }

  /** Shows test image `index` in the inside view and waits for its figures. */
  async function lookAtTestImage(index: number): Promise<void> {
    const field = panel().locator('#inside-picture-index');
    await field.fill(String(index));
    await field.press('Enter');
    await panel().locator(`#inside-trace[data-ready="true"][data-source="test"][data-index="${index}"]`).waitFor({
      timeout: 60_000,
    });
  }

  const layer = (name: string) => panel().locator(`#inside-trace .inside-layer[data-layer="${name}"]`);
  const shown = async (name: string, attribute = 'data-output') => decode(await layer(name).getAttribute(attribute));

  it("shows the MLP's values for a test image as the saved model computes them", async () => {
    await train();
    // Right after training the view shows test image 0 on its own.
    await panel().locator('#inside-trace[data-ready="true"][data-index="0"]').waitFor({ timeout: 60_000 });
    await lookAtTestImage(7);
    const model = await savedModel();
    const input = Float32Array.from(testSet.pixelsOf(7), (p) => p / 255);
    assert.deepEqual(await shown('input'), input, 'the input is test image 7, scaled to [0, 1]');
    assert.deepEqual(await shown('flatten'), input, 'Flatten: the same 784 numbers in one row');
    const reference = referenceForward(model, input);
    assertClose(
      await shown('hidden', 'data-pre-activation'),
      reference.get('hidden')!.preActivation!,
      'hidden before ReLU',
    );
    assertClose(await shown('hidden'), reference.get('hidden')!.values, 'hidden after ReLU');
    assert.ok(
      (await shown('hidden', 'data-pre-activation')).some((v) => v < 0),
      'some scores are negative',
    );
    assertClose(
      await shown('output', 'data-pre-activation'),
      reference.get('output')!.preActivation!,
      'scores (logits)',
    );
    assertClose(await shown('output'), reference.get('output')!.values, 'probabilities');
    assert.equal(await panel().locator('#inside-probability-sum').innerText(), '1.000');
    assert.ok(Math.abs(Number(await panel().locator('#inside-probability-sum').getAttribute('data-value')) - 1) < 1e-5);

    // Dropout: a mask of 0 (switched off) and 1 / (1 − rate), about `rate` of the units off.
    const rate = Number(await layer('dropout').getAttribute('data-rate'));
    const mask = await shown('dropout', 'data-mask');
    assert.equal(mask.length, 256);
    assert.ok(mask.every((m) => m === 0 || Math.abs(m - 1 / (1 - rate)) < 1e-5));
    const off = mask.filter((m) => m === 0).length;
    assert.ok(off > 256 * rate * 0.4 && off < 256 * rate * 1.8, `${off} of 256 units off at rate ${rate}`);
    await panel().locator('#inside-dropout-step').click();
    await panel()
      .locator(`#inside-trace .inside-layer[data-layer="dropout"]:not([data-mask="${mask.join(',')}"])`)
      .waitFor({ timeout: 30_000 });
    await layer('input').scrollIntoViewIfNeeded();
    await session.workbench.screenshot('inside-mlp-input');
    await layer('hidden').scrollIntoViewIfNeeded();
    await session.workbench.screenshot('inside-mlp-forward');
  });

  it("draws the MLP's hidden units as pictures of the saved kernel's columns, largest first, and the output layer as a map", async () => {
    const model = await savedModel();
    const kernel = weightOf(model, 'hidden', 'kernel');
    const [inputs, units] = kernel.shape;
    const norms = Array.from({ length: units }, (_, unit) => {
      let sum = 0;
      for (let i = 0; i < inputs; i++) {
        sum += kernel.values[i * units + unit] ** 2;
      }
      return { unit, norm: Math.sqrt(sum) };
    }).sort((a, b) => b.norm - a.norm || a.unit - b.unit);
    const pictures = panel().locator('#inside-weights[data-ready="true"] .unit-picture');
    await pictures.first().waitFor({ timeout: 30_000 });
    const count = await pictures.count();
    assert.equal(count, 32);
    const shownUnits = await pictures.evaluateAll((figures) =>
      figures.map((figure) => Number(figure.getAttribute('data-unit'))),
    );
    assert.deepEqual(
      shownUnits,
      norms.slice(0, count).map((n) => n.unit),
      'the units with the largest weights, largest first',
    );
    for (const position of [0, 5, count - 1]) {
      const unit = shownUnits[position];
      const column = Float32Array.from({ length: inputs }, (_, i) => kernel.values[i * units + unit]);
      assert.deepEqual(
        decode(await pictures.nth(position).getAttribute('data-values')),
        column,
        `unit ${unit}'s picture`,
      );
    }
    const output = weightOf(model, 'output', 'kernel');
    const map = panel().locator('.inside-class-map[data-layer="output"]');
    assert.equal(await map.getAttribute('data-shape'), '10,256');
    const transposed = Float32Array.from(
      { length: 10 * 256 },
      (_, i) => output.values[(i % 256) * 10 + Math.floor(i / 256)],
    );
    assert.deepEqual(decode(await map.getAttribute('data-values')), transposed, 'one row per class');
    await panel().locator('#inside-weights').scrollIntoViewIfNeeded();
    await session.workbench.screenshot('inside-mlp-weights');
  });

  it('shows the picture of a prediction card, and every figure can be reached by keyboard with a text alternative', async () => {
    // The prediction cards show the test images in order: the third is test image 2.
    await panel().locator('#predictions .prediction').nth(2).locator('.inside-button').click();
    await panel()
      .locator('#inside-trace[data-ready="true"][data-source="card"][data-index="2"]')
      .waitFor({ timeout: 60_000 });
    assert.equal(await panel().locator('#inside-picture-index').inputValue(), '2');
    assert.deepEqual(
      await shown('input'),
      Float32Array.from(testSet.pixelsOf(2), (p) => p / 255),
    );
    assert.equal(
      await panel()
        .locator('#inside-picture-title')
        .evaluate(
          (title) =>
            title === (title as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement,
        ),
      true,
      'the focus moves to the picture shown',
    );
    const canvases = panel().locator('#inside-section canvas');
    const described = await canvases.evaluateAll((all) =>
      all.every(
        (canvas) =>
          canvas.tabIndex === 0 &&
          canvas.getAttribute('role') === 'img' &&
          (canvas.getAttribute('aria-label') ?? '').length > 20,
      ),
    );
    assert.ok(described, 'every canvas is focusable and says what it shows');
    await panel().locator('#inside-next').click();
    await panel()
      .locator('#inside-trace[data-ready="true"][data-source="test"][data-index="3"]')
      .waitFor({ timeout: 60_000 });
  });

  it("shows the CNN's filters as the saved kernels and a picture's feature maps layer by layer, as the saved model computes them", async function () {
    this.timeout(900_000);
    const preset = panel().locator('#model-preset');
    await preset.click();
    await preset.locator('vscode-option', { hasText: 'convolutional' }).click();
    await panel().locator('#model-section[data-model="cnn"]').waitFor({ timeout: 30_000 });
    await setInPanel(panel(), 'epochs', '1');
    await train();
    await lookAtTestImage(12);
    const model = await savedModel();
    const input = Float32Array.from(testSet.pixelsOf(12), (p) => p / 255);
    const reference = referenceForward(model, input);
    // Every layer has its figure, with the shape the saved model gives it.
    for (const spec of model.layers) {
      const name = spec.config.name;
      assert.equal(
        await layer(name).getAttribute('data-shape'),
        reference.get(name)!.shape.join(','),
        `${name}'s shape`,
      );
    }
    const convolutions = model.layers.filter((spec) => spec.class_name === 'Conv2D').map((spec) => spec.config.name);
    assert.ok(convolutions.length >= 2, 'the CNN has convolutions');
    for (const name of convolutions) {
      const kernel = weightOf(model, name, 'kernel');
      const filters = panel().locator(`#inside-weights .inside-filters[data-layer="${name}"]`);
      assert.equal(await filters.getAttribute('data-shape'), kernel.shape.join(','));
      assert.deepEqual(decode(await filters.getAttribute('data-values')), kernel.values, `${name}'s filters`);
      assert.equal(reference.get(name)!.shape[2], kernel.shape[3], `${name}: a feature map per filter`);
      assertClose(await shown(name), reference.get(name)!.values, `${name}'s feature maps`);
    }
    const dense = model.layers.filter((spec) => spec.class_name === 'Dense').map((spec) => spec.config.name);
    const [hidden, output] = [dense[0], dense.at(-1)!];
    assertClose(await shown(hidden), reference.get(hidden)!.values, `${hidden} after ReLU`);
    assertClose(await shown(output, 'data-pre-activation'), reference.get(output)!.preActivation!, 'scores (logits)');
    assertClose(await shown(output), reference.get(output)!.values, 'probabilities');
    assert.equal(
      await panel().locator('#inside-weights .unit-picture').count(),
      0,
      'no dense layer of the CNN reads pixels',
    );
    await layer(convolutions[0]).scrollIntoViewIfNeeded();
    await session.workbench.screenshot('inside-cnn-feature-maps');
    await panel().locator('#inside-weights').scrollIntoViewIfNeeded();
    await session.workbench.screenshot('inside-cnn-filters');
    await preset.click();
    await preset.locator('vscode-option', { hasText: 'MLP' }).click();
    await panel().locator('#model-section[data-model="mlp"]').waitFor({ timeout: 30_000 });
  });

  it('prints the epoch time with the weights redrawn during training and without', async function () {
    const pairs = Number(process.env.INSIDE_TIMING_PAIRS ?? 3);
    this.timeout(300_000 + pairs * 240_000);
    // Runs over the whole training set (epochs of several seconds, as a learner's are), taking
    // turns without and with redrawing, two epochs each: neighbouring runs compare, so the
    // machine's drift over minutes matters less. Switching between runs, not between epochs of
    // one run, keeps every epoch wholly on or off however fast the epochs go.
    await setInPanel(panel(), 'trainSubsetSize', '0');
    await setInPanel(panel(), 'epochs', '2');
    const live = panel().locator('#inside-live-weights');
    const weights = panel().locator('#inside-weights');
    const setLive = async (on: boolean) => {
      // The checkbox' property, not its attribute: the component reflects it a frame later.
      if ((await live.evaluate((box) => (box as unknown as { checked: boolean }).checked)) !== on) {
        await live.click();
      }
      await panel().locator(`#inside-live-weights[aria-checked="${on}"]`).waitFor({ timeout: 30_000 });
    };
    const seconds = { on: [] as number[], off: [] as number[] };
    const ratios: number[] = [];
    let redraws = 0;
    let redrawMs = 0;
    for (let pair = 0; pair < pairs; pair++) {
      const epochSeconds: Record<'on' | 'off', number> = { on: 0, off: 0 };
      // Which goes first alternates, so that a drift over the minutes favours neither.
      for (const mode of pair % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        await setLive(mode === 'on');
        await train();
        const { history } = (await selectedRun(session.server.globalStorage)).run;
        epochSeconds[mode] = median(history.map((epoch) => epoch.seconds));
        seconds[mode].push(epochSeconds[mode]);
        const count = Number(await weights.getAttribute('data-refreshes'));
        if (mode === 'on') {
          redraws += count;
          redrawMs += Number(await weights.getAttribute('data-total-ms'));
        } else {
          assert.equal(count, 0, 'no redraw while redrawing is off');
        }
      }
      ratios.push(epochSeconds.on / epochSeconds.off);
      console.log(
        `      pair ${pair + 1}: epoch ${epochSeconds.off.toFixed(2)} s without redrawing, ` +
          `${epochSeconds.on.toFixed(2)} s with it`,
      );
    }
    const percent = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;
    const onTotal = seconds.on.reduce((a, b) => a + b, 0) * 2;
    console.log(
      `      median epoch ${median(seconds.off).toFixed(2)} s without redrawing, ${median(seconds.on).toFixed(2)} s with it; ` +
        `pairs ${ratios.map(percent).join(', ')}, median ${percent(median(ratios))}; ` +
        `the ${redraws} redraws took ${redrawMs} ms in all, ` +
        `${((redrawMs / 1000 / onTotal) * 100).toFixed(1)}% of the epochs they ran in`,
    );
    assert.ok(redraws > 0, 'the weights were redrawn while training');
    await setLive(true);
    await setInPanel(panel(), 'trainSubsetSize', '3000');
    await setInPanel(panel(), 'epochs', '2');
  });
});
