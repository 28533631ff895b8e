// Adam exactly as TF.js defines it, with each weight's update done by one kernel where the
// backend has that kernel (WASM, see wasm/adamStep.ts) and by TF.js' own ops everywhere else.
import * as tf from '@tensorflow/tfjs';
import { ADAM_STEP_KERNEL, type AdamStepAttrs, type AdamStepInputs } from './wasm/adamStep';

/** AdamOptimizer's private state in TF.js 4.x, which this subclass updates as the parent would. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

function hasAdamState(state: Partial<AdamState>): state is AdamState {
  return (
    state.accBeta1 instanceof tf.Variable &&
    state.accBeta2 instanceof tf.Variable &&
    Array.isArray(state.accumulatedFirstMoment) &&
    Array.isArray(state.accumulatedSecondMoment)
  );
}

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    const state = this as unknown as Partial<AdamState>;
    if (!tf.getKernel(ADAM_STEP_KERNEL, tf.getBackend()) || !hasAdamState(state)) {
      super.applyGradients(variableGradients);
      return;
    }
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    tf.tidy(() => {
      const attrs: AdamStepAttrs = {
        learningRate: this.learningRate,
        beta1: this.beta1,
        beta2: this.beta2,
        epsilon: this.epsilon,
        firstCorrection: 1 - state.accBeta1.dataSync()[0],
        secondCorrection: 1 - state.accBeta2.dataSync()[0],
      };
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        const moment = (suffix: string) => ({
          originalName: `${name}/${suffix}`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        });
        const first = (state.accumulatedFirstMoment[i] ??= moment('m')).variable;
        const second = (state.accumulatedSecondMoment[i] ??= moment('v')).variable;
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) {
          return;
        }
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
}
