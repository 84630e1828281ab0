/** The retry back-off AWS documents for HTTP endpoints: 1 s, doubling per retry, ±15 % jitter,
 * capped at 2 minutes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RETRY_MAX_MS, retryDelayMs } from '../../src/firehose/delivery-worker.js';

describe('retry back-off', () => {
  it('starts at 1 s and doubles per retry', () => {
    const middle = () => 0.5;
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt, middle)), [1000, 2000, 4000, 8000, 16_000, 32_000, 64_000]);
  });

  it('jitters by at most 15 % either way', () => {
    assert.equal(retryDelayMs(1, () => 0), 850);
    assert.equal(retryDelayMs(1, () => 1), 1150);
    assert.equal(retryDelayMs(4, () => 0), 6800);
    assert.equal(retryDelayMs(4, () => 0.999999), 9200);
    const seen = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, Math.random)));
    assert.ok(seen.size > 1, 'random draws give different waits');
    for (const delay of seen) assert.ok(delay >= 3400 && delay <= 4600, `${delay} is within 4 s ± 15 %`);
  });

  it('never waits more than 2 minutes, however many retries', () => {
    assert.equal(RETRY_MAX_MS, 120_000);
    for (const attempt of [8, 9, 20, 1000]) {
      assert.equal(retryDelayMs(attempt, () => 1), 120_000);
      assert.ok(retryDelayMs(attempt, () => 0) <= 120_000);
    }
    assert.equal(retryDelayMs(8, () => 0), 108_800, '128 s less 15 % is under the cap');
  });
});
