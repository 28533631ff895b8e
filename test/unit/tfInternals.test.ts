// Every TF.js internal the training speed relies on (src/shared/ml/tfInternals.ts), checked on
// the installed version. A TF.js upgrade that drops one fails here, loudly, instead of quietly
// training on the slow path. (The WebGL backend's canvas and context are checked by the
// benchmark's page in a browser: Node has no WebGL.)
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  adamState,
  isRecordingGradients,
  registeredVariable,
  wasmBackendMemory,
  type WasmHeapBackend,
} from '../../src/shared/ml/tfInternals';
import { webAssembly } from '../../src/shared/ml/wasm/wasmModule';

/** The methods of WasmHeapBackend: a missing one would fail the kernels at run time. */
const WASM_HEAP_METHODS: (keyof WasmHeapBackend)[] = ['makeOutput', 'typedArrayFromHeap', 'disposeData', 'incRef'];

/** Kernels the WASM training kernels replace or call, by name. */
const WASM_KERNELS = ['BatchMatMul', 'Transpose', 'Slice', 'Identity', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Sum'];

describe('TF.js internals the training relies on', () => {
  it('is TF.js 4.22, the version they were checked on', () => {
    assert.equal(tf.version.tfjs, '4.22.0');
  });

  describe('on the CPU backend', () => {
    before(() => tf.setBackend('cpu'));

    it("tells a gradient tape's forward pass from other work (the engine's gradientDepth)", () => {
      assert.equal(typeof (tf.engine().state as unknown as { gradientDepth: unknown }).gradientDepth, 'number');
      assert.equal(isRecordingGradients(), false);
      const seen: boolean[] = [];
      const x = tf.variable(tf.scalar(2));
      const { grads, value } = tf.variableGrads(() => {
        seen.push(isRecordingGradients());
        return tf.square(x) as tf.Scalar;
      });
      assert.deepEqual(seen, [true]);
      tf.dispose([x, value, ...Object.values(grads)]);
    });

    it("finds a variable by name (the engine's registeredVariables)", () => {
      const x = tf.variable(tf.scalar(1), true, 'internals-probe');
      assert.equal(registeredVariable('internals-probe'), x);
      x.dispose();
    });

    it("reads AdamOptimizer's private state after a step", () => {
      const optimizer = tf.train.adam(0.1);
      const x = tf.variable(tf.tensor1d([1, 2]));
      optimizer.minimize(() => tf.sum(tf.square(x)) as tf.Scalar);
      const state = adamState(optimizer);
      assert.ok(state, 'accBeta1, accBeta2, accumulatedFirstMoment and accumulatedSecondMoment are there');
      assert.equal(state.accumulatedFirstMoment.length, 1);
      assert.ok(state.accumulatedSecondMoment[0]?.variable instanceof tf.Variable);
      optimizer.dispose();
      x.dispose();
    });
  });

  describe('on the WASM backend', () => {
    let previous: string;

    before(async () => {
      previous = tf.getBackend();
      assert.ok(await tf.setBackend('wasm'), 'the WASM backend starts in Node');
    });

    after(() => tf.setBackend(previous));

    it("reaches the backend's WebAssembly memory", () => {
      const memory = wasmBackendMemory();
      assert.ok(memory instanceof webAssembly.Memory, 'wasm.asm.memory is a WebAssembly.Memory');
    });

    it('has the heap methods the kernels call', () => {
      const backend = tf.backend() as unknown as Record<string, unknown>;
      for (const method of WASM_HEAP_METHODS) {
        assert.equal(typeof backend[method], 'function', method);
      }
    });

    it('registers the kernels that are replaced or called by name', () => {
      for (const kernel of WASM_KERNELS) {
        assert.ok(tf.getKernel(kernel, 'wasm'), kernel);
      }
    });
  });
});
