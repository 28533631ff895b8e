// The WASM backend's kernels for training convolutional networks (src/shared/ml/wasm): the
// gradients of convolutions and max pooling, sums over leading axes and tiling, checked against TF.js'
// CPU backend, which computes them with straightforward loops.
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { FusedAdamOptimizer } from '../../src/shared/ml/adam';
import { LOSS_NAME } from '../../src/shared/ml/loss';
import { disposeTensors, toTensors } from '../../src/shared/ml/tensors';
import { createTrainingStep, rowRange } from '../../src/shared/ml/trainingStep';
import { installWasmTrainingKernels } from '../../src/shared/ml/wasm';
import { webAssembly } from '../../src/shared/ml/wasm/wasmModule';
import { instantiateAddRunsSimd } from '../../src/shared/ml/wasm/addRunsSimd';
import { instantiateMaxPoolGradSimd } from '../../src/shared/ml/wasm/maxPoolGradSimd';
import { instantiateSumRowsSimd } from '../../src/shared/ml/wasm/sumRowsSimd';
import { syntheticExamples } from './mlFixtures';
import { onBothBackends, randomValues, wasmAllocations } from './wasmFixtures';

type Shape4 = [number, number, number, number];
type Padding = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed), shape);
}

/** Every element within `relative` of the largest expected magnitude (float sums differ in order). */
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let largest = 0;
  for (let i = 0; i < expected.length; i++) {
    largest = Math.max(largest, Math.abs(expected[i]));
  }
  const tolerance = relative * Math.max(1, largest);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}, element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Compares `compute` on both backends and checks that the WASM run left nothing behind. */
async function assertSameOnBothBackends(compute: () => tf.Tensor, what: string): Promise<void> {
  await tf.setBackend('wasm');
  const before = wasmAllocations();
  const { wasm, cpu } = await onBothBackends(compute);
  assert.deepEqual(wasmAllocations(), before, `${what}: no tensor or heap buffer left behind`);
  assertClose(wasm, cpu, 1e-4, what);
}

interface ConvCase {
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Padding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function describeCase({ x, filter, strides, pad, dimRoundingMode }: ConvCase): string {
  const rounding = dimRoundingMode ? `, rounding ${dimRoundingMode}` : '';
  return `x ${x}, filter ${filter}, strides ${strides}, pad ${JSON.stringify(pad)}${rounding}`;
}

/** The shape of the convolution's output, which is the shape of its gradient dy. */
function outputShape({ x, filter, strides, pad, dimRoundingMode }: ConvCase): Shape4 {
  return tf.backend_util.computeConv2DInfo(x, filter, strides, 1, pad, dimRoundingMode).outShape;
}

function filterGradient(c: ConvCase, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): tf.Tensor {
  return tf.tidy(() => {
    const toFormat = (t: tf.Tensor) => (dataFormat === 'NCHW' ? tf.transpose(t, [0, 3, 1, 2]) : t);
    const x = toFormat(randomTensor(c.x, 1));
    const dy = toFormat(randomTensor(outputShape(c), 2));
    const { strides, pad, dimRoundingMode } = c;
    const attrs = { strides, pad, dimRoundingMode, dataFormat, filterShape: c.filter };
    return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  });
}

function inputGradient(c: ConvCase, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): tf.Tensor {
  return tf.tidy(() => {
    const nchw = dataFormat === 'NCHW';
    const dy = nchw ? tf.transpose(randomTensor(outputShape(c), 2), [0, 3, 1, 2]) : randomTensor(outputShape(c), 2);
    const filter = randomTensor(c.filter, 3);
    const [n, h, w, channels] = c.x;
    const inputShape = nchw ? [n, channels, h, w] : c.x;
    const { strides, pad, dimRoundingMode } = c;
    const attrs = { strides, pad, dimRoundingMode, dataFormat, inputShape };
    return tf
      .engine()
      .runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  });
}

// The two layers of the classifier's CNN at small batches, then odd sizes, strides, paddings and
// filters. 7 images of the first layer make more output pixels than one product takes.
const CONV_CASES: ConvCase[] = [
  { x: [1, 28, 28, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'valid' },
  { x: [7, 28, 28, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'valid' },
  { x: [3, 13, 13, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'valid' },
  { x: [2, 28, 28, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'same' },
  { x: [2, 45, 45, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [3, 12, 12, 5], filter: [3, 3, 5, 7], strides: 2, pad: 'valid' },
  { x: [3, 13, 12, 5], filter: [3, 3, 5, 7], strides: 2, pad: 'same' },
  { x: [1, 9, 10, 2], filter: [4, 2, 2, 3], strides: [2, 3], pad: 'same' },
  { x: [2, 11, 7, 3], filter: [5, 3, 3, 2], strides: [1, 2], pad: 1 },
  { x: [2, 8, 9, 2], filter: [3, 3, 2, 3], strides: 2, pad: 0, dimRoundingMode: 'ceil' },
  {
    x: [2, 8, 9, 3],
    filter: [3, 3, 3, 4],
    strides: 1,
    pad: [
      [0, 0],
      [2, 0],
      [1, 2],
      [0, 0],
    ],
  },
];

function imageValues(shape: Shape4, seed: number, transform: (v: number) => number = (v) => v): tf.Tensor4D {
  return tf.tensor4d(randomValues(tf.util.sizeFromShape(shape), seed).map(transform), shape);
}

describe('WASM convolution kernels', () => {
  let previous: string;

  before(async () => {
    previous = tf.getBackend() ?? 'cpu';
    assert.ok(await tf.setBackend('wasm'), 'the WASM backend starts in Node');
    assert.deepEqual(installWasmTrainingKernels(), [], 'every faster kernel installs on this TF.js');
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'), 'the filter gradient is registered');
  });

  after(async () => {
    await tf.setBackend(previous);
  });

  describe("a convolution's filter gradient", () => {
    for (const c of CONV_CASES) {
      it(`gives the CPU backend's values for ${describeCase(c)}`, async () => {
        await assertSameOnBothBackends(() => filterGradient(c), describeCase(c));
      });
    }

    it('is zero for an empty batch', async () => {
      await assertSameOnBothBackends(
        () => filterGradient({ x: [0, 5, 5, 2], filter: [3, 3, 2, 4], strides: 1, pad: 'valid' }),
        'an empty batch',
      );
    });

    it('takes channels-first tensors (the same computation, transposed)', async () => {
      const c = CONV_CASES[6];
      await assertSameOnBothBackends(() => filterGradient(c, 'NCHW'), `${describeCase(c)}, NCHW`);
    });
  });

  describe("a convolution's input gradient", () => {
    for (const c of CONV_CASES) {
      it(`gives the CPU backend's values for ${describeCase(c)}`, async () => {
        await assertSameOnBothBackends(() => inputGradient(c), describeCase(c));
      });
    }

    it("falls back to TF.js' own kernel for channels-first tensors", async () => {
      const c = CONV_CASES[6];
      await assertSameOnBothBackends(() => inputGradient(c, 'NCHW'), `${describeCase(c)}, NCHW`);
    });

    it('takes padding wider than the filter', async () => {
      const c: ConvCase = {
        x: [2, 6, 7, 3],
        filter: [3, 3, 3, 2],
        strides: 1,
        pad: [
          [0, 0],
          [3, 1],
          [0, 4],
          [0, 0],
        ],
      };
      await assertSameOnBothBackends(() => inputGradient(c), describeCase(c));
    });
  });

  describe('the gradient of max pooling', () => {
    const poolGradient = (size: number, strides: number, pad: 'valid' | 'same', makeValues: () => tf.Tensor4D) =>
      tf.tidy(() => {
        const values = makeValues();
        const weights = randomTensor(tf.maxPool(values, size, strides, pad).shape, 5);
        return tf.grad((x) => tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, size, strides, pad), weights)))(values);
      });
    const cases: [Shape4, number, number, 'valid' | 'same'][] = [
      [[2, 26, 26, 8], 2, 2, 'valid'],
      [[3, 11, 11, 5], 2, 2, 'valid'],
      [[2, 9, 8, 3], 3, 2, 'same'],
      [[1, 7, 6, 4], 2, 1, 'valid'],
    ];

    for (const [shape, size, strides, pad] of cases) {
      const what = `${shape}, ${size}x${size}, strides ${strides}, ${pad}`;
      it(`gives the CPU backend's values for ${what}, also after a relu (ties at 0)`, async () => {
        await assertSameOnBothBackends(() => poolGradient(size, strides, pad, () => imageValues(shape, 4)), what);
        const relu = (v: number) => Math.max(0, v);
        await assertSameOnBothBackends(
          () => poolGradient(size, strides, pad, () => imageValues(shape, 4, relu)),
          `${what}, relu`,
        );
      });
    }

    it("passes the gradient through windows of negative values, which TF.js' own WASM kernel drops", async () => {
      const shape: Shape4 = [1, 4, 4, 2];
      const negative = (v: number) => -1 - Math.abs(v);
      const { wasm, cpu } = await onBothBackends(() =>
        poolGradient(2, 2, 'valid', () => imageValues(shape, 6, negative)),
      );
      assert.deepEqual(Array.from(wasm), Array.from(cpu));
      assert.equal(cpu.filter((v) => v !== 0).length, 8, 'one input per window and channel gets the gradient');
    });
  });

  describe('sums', () => {
    const cases: [number[], number | number[], boolean][] = [
      [[5, 7, 9, 8], [0, 1, 2], false],
      [[6, 12], 0, false],
      [[6, 12], [0], true],
      [[3, 4, 8], [-3, -2], true],
      // TF.js' own kernel: the kept part is not a multiple of 4 floats, or not at the end.
      [[5, 3, 6], [0, 1], false],
      [[4, 6, 8], 1, false],
      [[4, 6, 8], [0, 1, 2], false],
    ];

    for (const [shape, axis, keepDims] of cases) {
      const what = `${shape} over ${JSON.stringify(axis)}${keepDims ? ', keeping dimensions' : ''}`;
      it(`gives the CPU backend's values and shape for ${what}`, async () => {
        await assertSameOnBothBackends(() => tf.tidy(() => tf.sum(randomTensor(shape, 10), axis, keepDims)), what);
        const shapes: number[][] = [];
        for (const backend of ['wasm', 'cpu']) {
          await tf.setBackend(backend);
          shapes.push(tf.tidy(() => tf.sum(tf.zeros(shape), axis, keepDims).shape));
        }
        await tf.setBackend('wasm');
        assert.deepEqual(shapes[0], shapes[1]);
      });
    }
  });

  describe('the SIMD functions', () => {
    it("are not built over a shared memory (the threaded build's), where TF.js' kernels or plain JS run", () => {
      const plain = new webAssembly.Memory({ initial: 1 });
      const shared = new webAssembly.Memory({ initial: 1, maximum: 2, shared: true });
      for (const instantiate of [instantiateMaxPoolGradSimd, instantiateSumRowsSimd, instantiateAddRunsSimd]) {
        assert.ok(instantiate(plain), 'builds over a plain memory');
        assert.equal(instantiate(shared), undefined);
      }
    });
  });

  describe('tiling', () => {
    const cases: [number[], number[]][] = [
      [
        [1, 1, 1, 16],
        [64, 28, 28, 1],
      ], // batch normalisation's scale over a batch of feature maps
      [
        [2, 3],
        [3, 2],
      ],
      [
        [3, 1, 2],
        [1, 4, 1],
      ],
      [[5], [7]],
      [
        [2, 2, 2],
        [1, 1, 1],
      ],
      [
        [2, 3, 4],
        [2, 3, 2],
      ],
    ];
    for (const [shape, reps] of cases) {
      it(`gives the CPU backend's values for ${shape} tiled ${reps}`, async () => {
        const values = randomValues(tf.util.sizeFromShape(shape), 12);
        await assertSameOnBothBackends(
          () => tf.tidy(() => tf.tile(tf.tensor(values, shape), reps)),
          `${shape} tiled ${reps}`,
        );
      });
    }

    it('tiles integers and booleans, and gives an empty tensor for a zero repetition', async () => {
      const integers = await onBothBackends(() =>
        tf.tidy(() => tf.tile(tf.tensor2d([1, -2, 3, 4], [2, 2], 'int32'), [2, 3])),
      );
      assert.deepEqual(Array.from(integers.wasm), Array.from(integers.cpu));
      const booleans = await onBothBackends(() =>
        tf.tidy(() => tf.tile(tf.tensor1d([true, false, true], 'bool'), [2]).toInt()),
      );
      assert.deepEqual(Array.from(booleans.wasm), [1, 0, 1, 1, 0, 1]);
      await tf.setBackend('wasm');
      const empty = tf.tidy(() => tf.tile(tf.ones([2, 3]), [0, 2]));
      assert.deepEqual(empty.shape, [0, 6]);
      empty.dispose();
    });

    it("gives a batch normalisation layer's gradients as on the CPU backend", async () => {
      const gradients = () => {
        const layer = tf.layers.batchNormalization();
        const result = tf.tidy(() => {
          const input = imageValues([4, 6, 6, 5], 13);
          const weights = randomTensor([4, 6, 6, 5], 14);
          const loss = (x: tf.Tensor) =>
            tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, weights)) as tf.Scalar;
          layer.apply(input);
          const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
          const { grads } = tf.variableGrads(() => loss(input), [gamma, beta]);
          return tf.concat([grads[gamma.name], grads[beta.name], tf.grad(loss)(input)].map((g) => g.flatten()));
        });
        layer.dispose();
        return result;
      };
      await assertSameOnBothBackends(
        gradients,
        "the gradients of a batch normalisation layer's scale, offset and input",
      );
    });
  });

  describe('a convolution layer', () => {
    it("gets the CPU backend's gradients for its kernel, its bias and its input", async () => {
      const gradients = () => {
        const layer = tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', padding: 'same' });
        const result = tf.tidy(() => {
          const input = imageValues([4, 10, 10, 3], 7);
          const loss = (images: tf.Tensor) => tf.sum(tf.square(layer.apply(images) as tf.Tensor)) as tf.Scalar;
          layer.apply(input);
          layer.setWeights([randomTensor([3, 3, 3, 6], 8), randomTensor([6], 9)]);
          const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
          const { grads } = tf.variableGrads(() => loss(input), [kernel, bias]);
          return tf.concat([grads[kernel.name], grads[bias.name], tf.grad(loss)(input)].map((g) => g.flatten()));
        });
        layer.dispose();
        return result;
      };
      await assertSameOnBothBackends(gradients, "the gradients of a convolution layer's kernel, bias and input");
    });
  });

  describe('a small CNN', () => {
    /** The classifier's CNN with fewer filters and units; its dropout masks are seeded, so both backends agree. */
    const createCnn = () => {
      const model = tf.sequential({
        layers: [
          tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] }),
          tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 32, activation: 'relu' }),
          tf.layers.dropout({ rate: 0.3 }),
          tf.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: new FusedAdamOptimizer(0.01, 0.9, 0.999), loss: LOSS_NAME });
      return model;
    };

    it('trains two steps on the WASM backend to the losses and weights it gets on the CPU backend', async () => {
      const examples = syntheticExamples(32, 11);
      const reference = createCnn();
      const initial = reference.getWeights().map((w) => w.dataSync().slice());
      reference.optimizer.dispose();
      reference.dispose();
      const train = async () => {
        const model = createCnn();
        tf.tidy(() =>
          model.setWeights(initial.map((values, i) => tf.tensor(values, model.weights[i].shape as number[]))),
        );
        const batch = toTensors(examples);
        const step = createTrainingStep(model, 5);
        const losses: number[] = [];
        for (let i = 0; i < 2; i++) {
          const metrics = step(batch.xs, batch.ys, { epoch: i + 1, rows: rowRange(0, 32) });
          losses.push((await metrics.loss.data())[0]);
          tf.dispose([metrics.loss, metrics.accuracy]);
        }
        const weights = await Promise.all(model.getWeights().map((w) => w.data()));
        disposeTensors(batch);
        model.optimizer.dispose();
        model.dispose();
        return { losses, weights };
      };
      await tf.setBackend('cpu');
      const cpu = await train();
      await tf.setBackend('wasm');
      const wasm = await train();
      assertClose(wasm.losses, cpu.losses, 1e-4, 'losses');
      wasm.weights.forEach((w, i) => assertClose(w, cpu.weights[i], 1e-4, `weight ${i}`));
    });
  });
});
