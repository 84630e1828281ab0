import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ShardIteratorCodec } from '../../src/domain/shard-iterator.js';

const position = { streamName: 'orders', streamUid: 'a1b2c3d4e5f60718', shardIndex: 7, counter: 12345, issuedAtMs: 1_700_000_000_123 };

describe('ShardIteratorCodec', () => {
  const codec = new ShardIteratorCodec(randomBytes(32));

  it('round-trips a position', () => {
    assert.deepEqual(codec.decode(codec.encode(position)), position);
  });

  it('accepts an iterator wrapped in double quotes', () => {
    assert.deepEqual(codec.decode(`"${codec.encode(position)}"`), position);
  });

  it('stays within 512 characters for the longest stream name', () => {
    const iterator = codec.encode({ ...position, streamName: 'x'.repeat(128), counter: Number.MAX_SAFE_INTEGER, shardIndex: 2147483647 });
    assert.ok(iterator.length <= 512, `length ${iterator.length}`);
  });

  it('refuses tampered, foreign and malformed iterators', () => {
    const iterator = codec.encode(position);
    const bytes = Buffer.from(iterator, 'base64');
    bytes[10] = bytes[10]! ^ 1;
    assert.equal(codec.decode(bytes.toString('base64')), undefined);
    assert.equal(new ShardIteratorCodec(randomBytes(32)).decode(iterator), undefined);
    for (const text of ['', 'x', 'not base64 at all!', 'AAAAAAAAAAE=', iterator.slice(0, -8)]) assert.equal(codec.decode(text), undefined, text);
  });
});
