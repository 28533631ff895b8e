import * as assert from 'node:assert/strict';
import { parseHistory } from '../../src/shared/ml/history';
import { argMax, confusionMatrix, overallAccuracy, perClassAccuracy } from '../../src/shared/ml/metrics';

describe('ML metrics', () => {
  // Three classes; class 2 never occurs as a true label.
  const truth = [0, 0, 0, 1, 1, 0];
  const predicted = [0, 1, 0, 1, 2, 0];

  it('counts a confusion matrix with rows as true classes and columns as predictions', () => {
    assert.deepEqual(confusionMatrix(truth, predicted, 3), [
      [3, 1, 0],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    assert.deepEqual(confusionMatrix(Float32Array.of(2), Float32Array.of(1), 3), [
      [0, 0, 0],
      [0, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('rejects mismatched lengths and labels outside the classes', () => {
    assert.throws(() => confusionMatrix([0, 1], [0], 3), /2 true labels but 1 predictions/);
    assert.throws(() => confusionMatrix([3], [0], 3), /Example 0: label 3/);
    assert.throws(() => confusionMatrix([0], [1.5], 3), RangeError);
  });

  it('gives per-class and overall accuracy, null for a class with no examples', () => {
    const matrix = confusionMatrix(truth, predicted, 3);
    assert.deepEqual(perClassAccuracy(matrix), [0.75, 0.5, null]);
    assert.equal(overallAccuracy(matrix), 4 / 6);
    assert.equal(overallAccuracy([[0]]), 0);
  });

  it('picks the first of equal maxima, like tf.argMax', () => {
    assert.equal(argMax([0.1, 0.7, 0.2]), 1);
    assert.equal(argMax([0.5, 0.5]), 0);
  });

  it('accepts a saved history and refuses anything else', () => {
    const history = [{ epoch: 1, loss: 0.5, accuracy: 0.8, valLoss: null, valAccuracy: null, seconds: 1.5 }];
    assert.deepEqual(parseHistory(history), history);
    assert.deepEqual(parseHistory([]), []);
    assert.equal(parseHistory({}), undefined);
    assert.equal(parseHistory([{ ...history[0], loss: 'low' }]), undefined);
    assert.equal(parseHistory([{ epoch: 1 }]), undefined);
  });
});
