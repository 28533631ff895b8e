import * as assert from 'node:assert/strict';
import { endedText, runningText } from '../../src/shared/trainingStatus';

describe("the status bar's words for a training run", () => {
  const started = { epoch: 1, epochs: 5, backend: 'wasm', model: 'mlp' };

  it('gives the epoch with a spinner before any epoch has ended', () => {
    const { text, tooltip, label } = runningText(started);
    assert.equal(text, '$(sync~spin) Fashion Classifier: epoch 1/5');
    assert.equal(tooltip, 'Training the MLP on wasm: epoch 1 of 5. Click to show the panel.');
    assert.equal(label, 'Fashion Classifier: Training the MLP on wasm: epoch 1 of 5.');
  });

  it("adds the last finished epoch's accuracy, and the time left when known", () => {
    const status = {
      ...started,
      epoch: 3,
      secondsLeft: 41.6,
      finished: { epoch: 2, accuracy: 0.8634, valAccuracy: 0.8511 },
    };
    const { text, tooltip, label } = runningText(status);
    assert.equal(text, '$(sync~spin) Fashion Classifier: epoch 3/5 · acc 0.86');
    assert.equal(
      tooltip,
      'Training the MLP on wasm: epoch 3 of 5; after epoch 2, training accuracy 0.8634, validation accuracy 0.8511, about 42 s left. Click to show the panel.',
    );
    // No codicon and no "·" for a screen reader, but every figure.
    assert.doesNotMatch(label, /\$\(|·/);
    assert.match(label, /epoch 3 of 5; after epoch 2, training accuracy 0\.8634/);
  });

  it('leaves out the validation accuracy when the run has no validation set', () => {
    const { tooltip } = runningText({ ...started, epoch: 2, finished: { epoch: 1, accuracy: 0.8, valAccuracy: null } });
    assert.doesNotMatch(tooltip, /validation/);
  });

  it('gives the test accuracy after a completed run, and says so when a run stopped or failed', () => {
    assert.equal(endedText('completed', 0.87271).text, '$(pass) Fashion Classifier: test accuracy 0.8727');
    assert.match(endedText('completed', 0.87271).label, /test accuracy 0\.8727/);
    assert.equal(endedText('stopped').text, '$(debug-stop) Fashion Classifier: training stopped');
    assert.equal(endedText('failed').text, '$(error) Fashion Classifier: training failed');
    assert.match(endedText('failed').tooltip, /saved model is unchanged/);
  });
});
