import * as assert from 'node:assert/strict';
import { BatchCurve, POINTS_PER_EPOCH } from '../../src/shared/ml/batchCurve';

describe('batch curve', () => {
  it('keeps a few smoothed points per epoch, the last batch of each always', () => {
    const curve = new BatchCurve();
    const batches = 1500;
    for (let epoch = 1; epoch <= 2; epoch++) {
      for (let batch = 1; batch <= batches; batch++) {
        curve.add(epoch, batch, batches, 2 - epoch * 0.5, 0.5);
      }
    }
    const points = curve.points;
    assert.ok(points.length <= 2 * (POINTS_PER_EPOCH + 1) && points.length >= 2 * POINTS_PER_EPOCH, `${points.length}`);
    assert.ok(points.some((p) => p.x === 1) && points.at(-1)!.x === 2);
    assert.ok(
      points.every((p, i) => i === 0 || p.x > points[i - 1].x),
      'x increases',
    );
    // Debiased: the very first point is the first batch's value, not pulled towards 0.
    assert.equal(points[0].loss.toFixed(6), (1.5).toFixed(6));
    assert.ok(Math.abs(points.at(-1)!.loss - 1) < 1e-6, 'settles on the second epoch value');
    assert.ok(points.every((p) => Math.abs(p.accuracy - 0.5) < 1e-9));
  });
});
