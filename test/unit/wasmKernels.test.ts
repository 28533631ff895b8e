import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { FusedAdamOptimizer, RESIDENT_CONSTANT_BACKENDS } from '../../src/shared/ml/adam';
import { installWasmTrainingKernels, ADAM_STEP_KERNEL } from '../../src/shared/ml/wasm';
import { instantiateAdamSimd } from '../../src/shared/ml/wasm/adamSimd';
import { webAssembly } from '../../src/shared/ml/wasm/wasmModule';
import { planProduct } from '../../src/shared/ml/wasm/matMul';
import { onBothBackends, randomValues, wasmAllocations } from './wasmFixtures';

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}, element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('WASM training kernels', () => {
  let previous: string;

  before(async () => {
    previous = tf.getBackend() ?? 'cpu';
    assert.ok(await tf.setBackend('wasm'), 'the WASM backend starts in Node');
    assert.deepEqual(installWasmTrainingKernels(), [], 'every faster kernel installs on this TF.js');
  });

  after(async () => {
    await tf.setBackend(previous);
  });

  describe('how a product is arranged', () => {
    it('swaps the forward product of a training step, whose weights change before they are used again', () => {
      assert.equal(
        planProduct({ rows: 32, inner: 784, columns: 256, transposeA: false, transposeB: false, rightReused: false }),
        'swapped',
      );
    });

    it('keeps the product direct when the weights are reused, as in predictions, so XNNPACK keeps its packing', () => {
      assert.equal(
        planProduct({ rows: 32, inner: 784, columns: 256, transposeA: false, transposeB: false, rightReused: true }),
        'direct',
      );
      assert.equal(
        planProduct({ rows: 1, inner: 784, columns: 256, transposeA: false, transposeB: false, rightReused: true }),
        'direct',
      );
    });

    it("keeps the weights' gradient direct: transposing the batch is cheaper than packing the weights' shape", () => {
      assert.equal(
        planProduct({ rows: 784, inner: 32, columns: 256, transposeA: true, transposeB: false, rightReused: true }),
        'direct',
      );
    });

    it('swaps a product with a transposed right operand when its left operand is the smaller', () => {
      assert.equal(
        planProduct({ rows: 32, inner: 10, columns: 256, transposeA: false, transposeB: true, rightReused: false }),
        'swapped',
      );
    });
  });

  describe('matrix products', () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[32, 784], [784, 256], false, false],
      [[32, 784], [32, 256], true, false],
      [[32, 10], [256, 10], false, true],
      [[784, 32], [256, 784], true, true],
      [[1, 32, 784], [784, 256], false, false],
    ];

    for (const [aShape, bShape, transposeA, transposeB] of cases) {
      const name = `${aShape}${transposeA ? 'ᵀ' : ''} · ${bShape}${transposeB ? 'ᵀ' : ''}`;
      const a = randomValues(tf.util.sizeFromShape(aShape), 1);
      const b = randomValues(tf.util.sizeFromShape(bShape), 2);
      const product = () =>
        tf.tidy(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB));

      it(`${name} gives the CPU backend's values outside and inside a gradient tape`, async () => {
        const before = wasmAllocations();
        const outside = await onBothBackends(product);
        assertClose(outside.wasm, outside.cpu, 1e-3, name);
        // Inside a tape the forward product takes the swapped arrangement.
        const taped = () =>
          tf.tidy(() => {
            let result: tf.Tensor | undefined;
            tf.grad((x: tf.Tensor) => {
              result = tf.keep(
                tf.matMul(tf.mul(tf.tensor(a, aShape), x), tf.tensor(b, bShape), transposeA, transposeB),
              );
              return tf.sum(result);
            })(tf.scalar(1));
            return result!;
          });
        const inside = await onBothBackends(taped);
        assertClose(inside.wasm, inside.cpu, 1e-3, `${name} in a tape`);
        assert.deepEqual(wasmAllocations(), before, 'no tensor or heap buffer left behind');
      });
    }
  });

  describe('slicing', () => {
    const values = randomValues(60 * 784, 4);

    it("gives the CPU backend's values for whole rows and for a block inside rows", async () => {
      const rows = await onBothBackends(() =>
        tf.tidy(() => tf.slice(tf.tensor2d(values, [60, 784]), [17, 0], [20, -1])),
      );
      assert.deepEqual(rows.wasm, rows.cpu);
      const block = await onBothBackends(() => tf.tidy(() => tf.slice(tf.tensor2d(values, [60, 784]), [3, 5], [4, 9])));
      assert.deepEqual(block.wasm, block.cpu);
    });
  });

  describe('clones', () => {
    it('share the data instead of copying it, and free it with the last tensor that holds it', async () => {
      const before = wasmAllocations();
      const original = tf.tensor1d([1, 2, 3]);
      const copy = tf.clone(original);
      assert.equal(tf.engine().backend.numDataIds(), before.buffers + 1, 'one heap buffer for both');
      original.dispose();
      assert.deepEqual(Array.from(await copy.data()), [1, 2, 3]);
      copy.dispose();
      assert.deepEqual(wasmAllocations(), before);
    });
  });

  describe('the Adam step', () => {
    const shapes = [[784, 256], [256], [256, 10], [10]];
    /** Five steps of Adam on weights of the seed model's shapes (10 is not a multiple of the SIMD width). */
    const adamSteps = (optimizer: tf.Optimizer) => {
      const weights = shapes.map((shape, i) =>
        tf.tidy(() => tf.variable(tf.tensor(randomValues(tf.util.sizeFromShape(shape), 10 + i), shape))),
      );
      for (let step = 0; step < 5; step++) {
        const gradients = weights.map((w, i) => ({
          name: w.name,
          tensor: tf.tensor(randomValues(w.size, 100 * step + i), w.shape),
        }));
        optimizer.applyGradients(gradients);
        tf.dispose(gradients.map((g) => g.tensor));
      }
      const values = tf.tidy(() => tf.concat(weights.map((w) => w.flatten())));
      tf.dispose(weights);
      optimizer.dispose();
      return values;
    };

    it("is registered on the WASM backend and gives TF.js' Adam's values", async () => {
      assert.ok(tf.getKernel(ADAM_STEP_KERNEL, 'wasm'), 'the kernel is registered');
      await tf.setBackend('wasm');
      const before = wasmAllocations();
      const fused = adamSteps(new FusedAdamOptimizer(0.001, 0.9, 0.999));
      const fusedValues = await fused.data();
      fused.dispose();
      assert.deepEqual(wasmAllocations(), before, 'no tensor or heap buffer left behind');
      await tf.setBackend('cpu');
      const reference = adamSteps(tf.train.adam(0.001));
      const referenceValues = await reference.data();
      reference.dispose();
      await tf.setBackend('wasm');
      assertClose(fusedValues, referenceValues, 1e-6, 'weights after 5 steps');
    });

    it("is not built over a shared memory (the backend's threaded build), so Adam keeps TF.js' ops there", () => {
      assert.ok(instantiateAdamSimd(new webAssembly.Memory({ initial: 1 })), 'builds over a plain memory');
      assert.equal(instantiateAdamSimd(new webAssembly.Memory({ initial: 1, maximum: 2, shared: true })), undefined);
    });

    it("falls back to TF.js' own ops where the kernel is not registered", async () => {
      await tf.setBackend('cpu');
      const fused = adamSteps(new FusedAdamOptimizer(0.001, 0.9, 0.999));
      const reference = adamSteps(tf.train.adam(0.001));
      assert.deepEqual(await fused.data(), await reference.data());
      tf.dispose([fused, reference]);
      await tf.setBackend('wasm');
    });

    it("gives TF.js' Adam's exact values with its numbers kept on the device (WebGL's path), and frees them", async () => {
      await tf.setBackend('cpu');
      RESIDENT_CONSTANT_BACKENDS.add('cpu');
      try {
        const before = tf.memory().numTensors;
        const resident = adamSteps(new FusedAdamOptimizer(0.001, 0.9, 0.999));
        assert.equal(
          tf.memory().numTensors,
          before + 1,
          'only the result is left: the constants went with the optimizer',
        );
        const reference = adamSteps(tf.train.adam(0.001));
        assert.deepEqual(await resident.data(), await reference.data());
        tf.dispose([resident, reference]);
      } finally {
        RESIDENT_CONSTANT_BACKENDS.delete('cpu');
        await tf.setBackend('wasm');
      }
    });

    it("keeps the state TF.js' Adam keeps: iterations and both moments per weight", async () => {
      const optimizer = new FusedAdamOptimizer(0.001, 0.9, 0.999);
      const weight = tf.tidy(() => tf.variable(tf.ones([8])));
      const gradient = tf.fill([8], 0.5);
      optimizer.applyGradients([{ name: weight.name, tensor: gradient }]);
      gradient.dispose();
      const state = await optimizer.getWeights();
      assert.deepEqual(
        state.map((s) => s.name),
        ['iter', `${weight.name}/m`, `${weight.name}/v`],
      );
      assertClose(await state[1].tensor.data(), new Array(8).fill(0.05), 1e-7, 'first moment');
      assertClose(await state[2].tensor.data(), new Array(8).fill(0.00025), 1e-9, 'second moment');
      assert.equal(optimizer.getClassName(), 'Adam');
      tf.dispose(state.map((s) => s.tensor));
      weight.dispose();
      optimizer.dispose();
    });
  });
});
