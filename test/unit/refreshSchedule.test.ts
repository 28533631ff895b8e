import * as assert from 'node:assert/strict';
import { RefreshSchedule } from '../../src/shared/ml/refreshSchedule';

const at = (epoch: number, batch: number, batchesPerEpoch = 100) => ({ epoch, batch, batchesPerEpoch });

/** The batches (of 100 per epoch, one every `batchMs`) after which `schedule` redraws, each redraw taking `costMs`. */
function redraws(schedule: RefreshSchedule, epochs: number, batchMs: number, costMs: number): string[] {
  const done: string[] = [];
  let now = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let batch = 1; batch <= 100; batch++) {
      now += batchMs;
      if (schedule.due(at(epoch, batch), now)) {
        schedule.done(at(epoch, batch), costMs);
        now += costMs;
        done.push(`${epoch}:${batch}`);
      }
    }
  }
  return done;
}

describe('When the weights are redrawn during training', () => {
  it('after each quarter of an epoch when redrawing is cheap', () => {
    assert.deepEqual(redraws(new RefreshSchedule(0), 2, 50, 10), [
      '1:25',
      '1:50',
      '1:75',
      '1:100',
      '2:25',
      '2:50',
      '2:75',
      '2:100',
    ]);
  });

  it('as often as the options say', () => {
    assert.deepEqual(redraws(new RefreshSchedule(0, { perEpoch: 2 }), 1, 50, 10), ['1:50', '1:100']);
  });

  it('never twice for one point, even when batches are reported only now and then', () => {
    const schedule = new RefreshSchedule(0);
    assert.equal(schedule.due(at(1, 30), 1000), true);
    schedule.done(at(1, 30), 1);
    assert.equal(schedule.due(at(1, 40), 2000), false);
    assert.equal(schedule.due(at(1, 50), 3000), true);
  });

  it('less often when redrawing would take more than its share of the training time', () => {
    // Batches of 2 ms and redraws of 10 ms: 2% of the time allows one redraw per 500 ms, not 40
    // redraws in 10 epochs of 200 ms.
    const done = redraws(new RefreshSchedule(0), 10, 2, 10);
    assert.ok(done.length >= 3 && done.length <= 5, done.join(' '));
    const spent = done.length * 10;
    assert.ok(spent <= 0.02 * (10 * 100 * 2 + spent), `${spent} ms of redraws`);
  });

  it('counts the points of training from its start', () => {
    const schedule = new RefreshSchedule(0);
    assert.equal(schedule.point(at(1, 1)), 0);
    assert.equal(schedule.point(at(1, 100)), 4);
    assert.equal(schedule.point(at(2, 1)), 4);
    assert.equal(schedule.point(at(3, 7, 7)), 12);
  });

  it('refuses a count per epoch that is not a positive whole number', () => {
    assert.throws(() => new RefreshSchedule(0, { perEpoch: 0 }), /0 times per epoch/);
  });
});
