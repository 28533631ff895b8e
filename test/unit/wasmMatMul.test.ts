import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installFastTransposedMatMul } from '../../src/shared/ml/wasmMatMul';

describe('WASM transposed matrix product', () => {
  let previous: string;

  before(async () => {
    previous = tf.getBackend() ?? 'cpu';
    assert.ok(await tf.setBackend('wasm'), 'the WASM backend starts in Node');
    installFastTransposedMatMul();
  });

  after(async () => {
    await tf.setBackend(previous);
  });

  it('gives the same products as the CPU backend for every transpose combination', async () => {
    const a = [...Array(32 * 784).keys()].map((i) => Math.sin(i));
    const b = [...Array(32 * 256).keys()].map((i) => Math.cos(i));
    const c = [...Array(256 * 784).keys()].map((i) => Math.sin(i / 7));
    const products = async () =>
      Promise.all([
        tf.tidy(() => tf.matMul(tf.tensor2d(a, [32, 784]), tf.tensor2d(b, [32, 256]), true, false)).data(),
        tf.tidy(() => tf.matMul(tf.tensor2d(a, [784, 32]), tf.tensor2d(c, [256, 784]), true, true)).data(),
        tf.tidy(() => tf.matMul(tf.tensor2d(a, [32, 784]), tf.tensor2d(a, [32, 784]), false, true)).data(),
      ]);
    const before = tf.memory().numTensors;
    const onWasm = await products();
    assert.ok(tf.memory().numTensors - before <= 3, 'no transposed copy is left behind');
    await tf.setBackend('cpu');
    const onCpu = await products();
    await tf.setBackend('wasm');
    onWasm.forEach((values, p) => {
      assert.equal(values.length, onCpu[p].length);
      values.forEach((v, i) => assert.ok(Math.abs(v - onCpu[p][i]) < 1e-3, `product ${p} element ${i}: ${v} vs ${onCpu[p][i]}`));
    });
  });
});
