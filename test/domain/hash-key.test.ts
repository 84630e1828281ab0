import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { HASH_KEY_MAX, evenHashKeyRanges, hashKeyFromWords, hashKeyToWords, partitionKeyHash, partitionKeyHashWords } from '../../src/domain/hash-key.js';

describe('partitionKeyHash', () => {
  it('reads MD5 of the UTF-8 key as a big-endian 128-bit integer', () => {
    assert.equal(partitionKeyHash('a'), BigInt('0x0cc175b9c0f1b6a831c399e269772661'));
    const key = 'ключ-🔑';
    assert.equal(partitionKeyHash(key), BigInt('0x' + createHash('md5').update(Buffer.from(key, 'utf8')).digest('hex')));
  });

  it('equals node:crypto MD5 for keys of every block count, ASCII and not', () => {
    const keys = ['', 'a', 'abc', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(63), 'w'.repeat(64), 'v'.repeat(119), 'u'.repeat(120), 'k'.repeat(256),
      'é'.repeat(27), 'é'.repeat(28), '日本'.repeat(40), '🔑'.repeat(64), 'mixed ascii, ü and \u007f\u0080'];
    for (let i = 0; i < 300; i++) keys.push(`p${i % 4}-${i}-${(i * 2654435761 >>> 0).toString(16)}`);
    for (const key of keys) {
      const expected = BigInt('0x' + createHash('md5').update(Buffer.from(key, 'utf8')).digest('hex'));
      assert.equal(partitionKeyHash(key), expected, key);
      assert.equal(hashKeyFromWords(partitionKeyHashWords(key)), expected, key);
    }
  });

  it('converts hash keys to 32-bit words and back', () => {
    const words = new Uint32Array(8);
    for (const hashKey of [0n, 1n, 0xffffffffn, 1n << 96n, HASH_KEY_MAX, 0x0123456789abcdef0011223344556677n]) {
      hashKeyToWords(hashKey, words, 4);
      assert.equal(hashKeyFromWords(words.subarray(4)), hashKey);
    }
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
