// Adam exactly as TF.js defines it, with each weight's update done by one kernel where the
// backend has that kernel (WASM, see wasm/adamStep.ts) and by TF.js' own ops everywhere else.
import * as tf from '@tensorflow/tfjs';
import { adamState, registeredVariable } from './tfInternals';
import { ADAM_STEP_KERNEL, type AdamStepAttrs, type AdamStepInputs } from './wasm/adamStep';

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    const state = adamState(this);
    if (!tf.getKernel(ADAM_STEP_KERNEL, tf.getBackend()) || !state) {
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
        const value = registeredVariable(name);
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
