import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { HASH_KEY_MAX, evenHashKeyRanges, partitionKeyHash } from '../../src/domain/hash-key.js';

describe('partitionKeyHash', () => {
  it('reads MD5 of the UTF-8 key as a big-endian 128-bit integer', () => {
    assert.equal(partitionKeyHash('a'), BigInt('0x0cc175b9c0f1b6a831c399e269772661'));
    const key = 'ключ-🔑';
    assert.equal(partitionKeyHash(key), BigInt('0x' + createHash('md5').update(Buffer.from(key, 'utf8')).digest('hex')));
  });

  it('stays within the hash key space', () => {
    for (let i = 0; i < 200; i++) {
      const hash = partitionKeyHash(`k${i}`);
      assert.ok(hash >= 0n && hash <= HASH_KEY_MAX);
    }
  });
});

describe('evenHashKeyRanges', () => {
  it('gives one shard the whole space', () => {
    assert.deepEqual(evenHashKeyRanges(1), [{ start: 0n, end: HASH_KEY_MAX }]);
  });

  it('splits at multiples of floor(2^128 / n) and lets the last shard absorb the remainder', () => {
    const ranges = evenHashKeyRanges(3);
    assert.equal(ranges[0]!.start, 0n);
    assert.equal(ranges[0]!.end, 113427455640312821154458202477256070484n);
    assert.equal(ranges[1]!.start, 113427455640312821154458202477256070485n);
    assert.equal(ranges[2]!.start, 226854911280625642308916404954512140970n);
    assert.equal(ranges[2]!.end, HASH_KEY_MAX);
  });

  it('tiles the space without gaps for many shard counts', () => {
    for (const n of [2, 4, 5, 7, 100]) {
      const ranges = evenHashKeyRanges(n);
      assert.equal(ranges.length, n);
      for (let i = 1; i < n; i++) assert.equal(ranges[i]!.start, ranges[i - 1]!.end + 1n);
      assert.equal(ranges[n - 1]!.end, HASH_KEY_MAX);
    }
  });
});
