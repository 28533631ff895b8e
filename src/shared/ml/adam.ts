// Adam exactly as TF.js defines it, with each weight's update done by one kernel where the
// backend has that kernel (WASM, see wasm/adamStep.ts), by the same ops as TF.js' with its
// constants kept on the device on WebGL, and by TF.js' own ops everywhere else.
import * as tf from '@tensorflow/tfjs';
import { adamState, registeredVariable, type AdamState } from './tfInternals';
import { ADAM_STEP_KERNEL, type AdamStepAttrs, type AdamStepInputs } from './wasm/adamStep';

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** Adam's numbers as scalar tensors, made once per backend and set of values. */
interface ResidentConstants {
  backend: string;
  values: string;
  one: tf.Scalar;
  beta1: tf.Scalar;
  oneMinusBeta1: tf.Scalar;
  beta2: tf.Scalar;
  oneMinusBeta2: tf.Scalar;
  epsilon: tf.Scalar;
  minusLearningRate: tf.Scalar;
}

/**
 * Backends where Adam's numbers stay on the device: where each scalar made in an op is an upload.
 * A set (not a constant) so tests can run the same path on the CPU backend.
 */
export const RESIDENT_CONSTANT_BACKENDS = new Set(['webgl']);

/**
 * Calls `update` for each weight that has a gradient, with its moments, which are made (zero)
 * on first use under the names TF.js' Adam gives them.
 */
function eachWeight(
  variableGradients: VariableGradients,
  state: AdamState,
  update: (value: tf.Variable, first: tf.Variable, second: tf.Variable, gradient: tf.Tensor) => void,
): void {
  const names = Array.isArray(variableGradients)
    ? variableGradients.map((v) => v.name)
    : Object.keys(variableGradients);
  names.forEach((name, i) => {
    const value = registeredVariable(name);
    const moment = (suffix: string) => ({
      originalName: `${name}/${suffix}`,
      variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
    });
    const first = (state.accumulatedFirstMoment[i] ??= moment('m')).variable;
    const second = (state.accumulatedSecondMoment[i] ??= moment('v')).variable;
    const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
    if (gradient != null) {
      update(value, first, second, gradient);
    }
  });
}

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  private constants: ResidentConstants | undefined;

  override applyGradients(variableGradients: VariableGradients): void {
    const state = adamState(this);
    if (state && RESIDENT_CONSTANT_BACKENDS.has(tf.getBackend())) {
      this.applyWithResidentConstants(variableGradients, state);
      return;
    }
    if (!tf.getKernel(ADAM_STEP_KERNEL, tf.getBackend()) || !state) {
      super.applyGradients(variableGradients);
      return;
    }
    tf.tidy(() => {
      const attrs: AdamStepAttrs = {
        learningRate: this.learningRate,
        beta1: this.beta1,
        beta2: this.beta2,
        epsilon: this.epsilon,
        firstCorrection: 1 - state.accBeta1.dataSync()[0],
        secondCorrection: 1 - state.accBeta2.dataSync()[0],
      };
      eachWeight(variableGradients, state, (value, first, second, gradient) => {
        const inputs: AdamStepInputs = { value, firstMoment: first, secondMoment: second, gradient };
        const [newValue, newFirst, newSecond] = tf.engine().runKernel(ADAM_STEP_KERNEL, inputs, attrs) as tf.Tensor[];
        first.assign(newFirst);
        second.assign(newSecond);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }

  /**
   * TF.js' Adam, op for op, with its numbers (1, the betas, epsilon, the learning rate) as
   * scalars kept on the device. TF.js' own makes a scalar of each number in every op, and on WebGL
   * each one is a texture upload: 28 per batch for the tutorial's four weights, out of 36 in all.
   */
  private applyWithResidentConstants(variableGradients: VariableGradients, state: AdamState): void {
    const c = this.residentConstants();
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(c.one, state.accBeta1);
      const oneMinusAccBeta2 = tf.sub(c.one, state.accBeta2);
      eachWeight(variableGradients, state, (value, first, second, gradient) => {
        const newFirst = tf.add(tf.mul(first, c.beta1), tf.mul(gradient, c.oneMinusBeta1));
        const newSecond = tf.add(tf.mul(second, c.beta2), tf.mul(tf.square(gradient), c.oneMinusBeta2));
        const correctedFirst = tf.div(newFirst, oneMinusAccBeta1);
        const correctedSecond = tf.div(newSecond, oneMinusAccBeta2);
        first.assign(newFirst);
        second.assign(newSecond);
        value.assign(
          tf.add(
            tf.mul(tf.div(correctedFirst, tf.add(tf.sqrt(correctedSecond), c.epsilon)), c.minusLearningRate),
            value,
          ),
        );
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, c.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, c.beta2));
    });
    this.incrementIterations();
  }

  private residentConstants(): ResidentConstants {
    const backend = tf.getBackend();
    const values = JSON.stringify([this.learningRate, this.beta1, this.beta2, this.epsilon]);
    if (this.constants?.backend !== backend || this.constants.values !== values) {
      this.disposeConstants();
      this.constants = tf.tidy(() => {
        const keep = (x: number) => tf.keep(tf.scalar(x));
        return {
          backend,
          values,
          one: keep(1),
          beta1: keep(this.beta1),
          oneMinusBeta1: keep(1 - this.beta1),
          beta2: keep(this.beta2),
          oneMinusBeta2: keep(1 - this.beta2),
          epsilon: keep(this.epsilon),
          minusLearningRate: keep(-this.learningRate),
        };
      });
    }
    return this.constants;
  }

  private disposeConstants(): void {
    if (this.constants) {
      const c = this.constants;
      tf.dispose([c.one, c.beta1, c.oneMinusBeta1, c.beta2, c.oneMinusBeta2, c.epsilon, c.minusLearningRate]);
      this.constants = undefined;
    }
  }

  override dispose(): void {
    this.disposeConstants();
    super.dispose();
  }
}
