import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ENDING_COUNTER,
  decodeSequenceNumber,
  encodeSequenceNumber,
  sequenceNumberFromBase,
  sequenceNumbersOfAppend,
  sequenceNumbersOfRecords,
  shardSequenceBase,
} from '../../src/domain/sequence-number.js';

describe('sequence numbers', () => {
  it('decodes a real AWS sequence number (Lambda docs sample) to its shard and arrival second', () => {
    const parts = decodeSequenceNumber('49590338271490256608559692538361571095921575989136588898');
    assert.ok(parts);
    assert.equal(parts.shardIndex, 6);
    assert.equal(parts.arrivalSec, 1545084650);
    assert.equal(encodeSequenceNumber(parts), '49590338271490256608559692538361571095921575989136588898');
  });

  it('writes 56 decimal digits and round-trips every field', () => {
    const parts = { shardCreatedSec: 1_700_000_000, shardIndex: 1234, counter: 987_654_321n, arrivalSec: 1_700_000_500 };
    const text = encodeSequenceNumber(parts);
    assert.match(text, /^\d{56}$/);
    assert.deepEqual(decodeSequenceNumber(text), parts);
  });

  it('builds the same number from a shard base as from its parts', () => {
    const base = shardSequenceBase(1_700_000_000, 3);
    assert.equal(
      sequenceNumberFromBase(base, 42, 1_700_000_123_456),
      encodeSequenceNumber({ shardCreatedSec: 1_700_000_000, shardIndex: 3, counter: 42n, arrivalSec: 1_700_000_123 }),
    );
  });

  it('orders by counter within a shard even when arrival seconds do not grow', () => {
    const base = shardSequenceBase(1_700_000_000, 0);
    let previous = 0n;
    for (let counter = 0; counter < 50; counter++) {
      const value = BigInt(sequenceNumberFromBase(base, counter, 1_700_000_100_000));
      assert.ok(value > previous);
      previous = value;
    }
    assert.ok(BigInt(sequenceNumberFromBase(base, 51, 1_700_000_000_000)) > previous, 'a later counter with an earlier second still sorts after');
  });

  it('builds a batch digit for digit as one number at a time would, across carries, gaps and seconds', () => {
    const base = shardSequenceBase(1_700_000_000, 5);
    // About 8,271 steps of 2^80 carry out of the low 28 digits; counters near 2^53 have long carries.
    for (const first of [0, 8_000, 123_456_789, Number.MAX_SAFE_INTEGER - 20_000]) {
      const counters = Array.from({ length: 10_000 }, (_, k) => first + k + (k >= 4_000 ? 3 : 0));
      const arrivals = Array.from({ length: 10_000 }, (_, k) => 1_700_000_100_000 + Math.floor(k / 2_500) * 600);
      const batch = sequenceNumbersOfRecords(base, counters.map((counter, k) => ({ counter, arrivalMs: arrivals[k]! })));
      assert.equal(batch.length, counters.length);
      for (let k = 0; k < counters.length; k++) {
        assert.equal(batch[k], sequenceNumberFromBase(base, counters[k]!, arrivals[k]!), `counter ${counters[k]}`);
      }
      const append = sequenceNumbersOfAppend(base, first, arrivals.slice(0, 4_000));
      assert.deepEqual(append, batch.slice(0, 4_000));
    }
    assert.deepEqual(sequenceNumbersOfRecords(base, []), []);
    assert.deepEqual(sequenceNumbersOfAppend(base, 7, []), []);
  });

  it('encodes the largest counter for a closed shard ending', () => {
    const text = encodeSequenceNumber({ shardCreatedSec: 1_700_000_000, shardIndex: 0, counter: ENDING_COUNTER, arrivalSec: 1_700_000_001 });
    assert.equal(decodeSequenceNumber(text)?.counter, ENDING_COUNTER);
  });

  it('rejects text that is not in the layout', () => {
    for (const text of ['0', '1', '12345', 'abc', '4959033827149025660855969253836157109592157598913658889', '19590338271490256608559692538361571095921575989136588898', '49590338271490256608559692538361571095921575989136588899']) {
      assert.equal(decodeSequenceNumber(text), undefined, text);
    }
  });
});
