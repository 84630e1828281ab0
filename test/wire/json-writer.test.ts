/** The JSON 1.1 writer gives exactly the text JSON.stringify gives for the mapped value model. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { encodeJson } from '../../src/wire/codecs/json-writer.js';

/** The reference mapping: blobs → base64, dates → epoch seconds, undefined members dropped. */
function reference(value: unknown): string {
  const map = (item: unknown): unknown => {
    if (item === null || typeof item !== 'object') return item;
    if (item instanceof Uint8Array) return Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('base64');
    if (item instanceof Date) return item.getTime() / 1000;
    if (Array.isArray(item)) return item.map(map);
    const out: Record<string, unknown> = {};
    for (const key in item) {
      const member = (item as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = map(member);
    }
    return out;
  };
  return JSON.stringify(map(value)) ?? '';
}

function same(value: unknown): void {
  assert.equal(encodeJson(value).toString('utf8'), reference(value));
}

describe('encodeJson', () => {
  test('scalars', () => {
    for (const value of [0, -0, 1.5, -2, 1e21, 1e-7, 123456789012345, Number.MAX_VALUE, NaN, Infinity, -Infinity, true, false, null, '']) same(value);
  });

  test('strings that need escaping, unicode and lone surrogates', () => {
    for (const text of ['plain', 'quote " and \\ backslash', 'control \u0000\u0001\b\f\n\r\t\u001f', 'ümlaut ✓ 日本', '😀 pair', 'lone \ud800 high', 'lone \udc00 low', '\u2028\u2029', '\u007f']) {
      same(text);
      same({ [text]: text });
    }
  });

  test('blobs as base64, including views into a larger buffer and empty ones', () => {
    const backing = randomBytes(100);
    same({ a: randomBytes(1024), b: new Uint8Array(backing.buffer, backing.byteOffset + 3, 50), c: Buffer.alloc(0), d: randomBytes(1), e: randomBytes(2) });
  });

  test('dates as epoch seconds, invalid dates as null', () => {
    same({ at: new Date(1764316000123), zero: new Date(0), invalid: new Date(NaN) });
  });

  test('undefined members are left out; undefined and functions in arrays are null', () => {
    same({ a: undefined, b: 1, c: () => 1, d: [undefined, () => 1, Symbol('s'), 2], e: {} , f: [] });
    same([undefined]);
  });

  test('integer-like keys keep JSON.stringify order', () => {
    same({ b: 1, 2: 'two', a: 2, 1: 'one' });
  });

  test('a GetRecords-shaped reply', () => {
    const records = Array.from({ length: 300 }, (_, i) => ({
      SequenceNumber: `4960${i}`.padEnd(56, '7'),
      ApproximateArrivalTimestamp: new Date(1764316000000 + i),
      Data: randomBytes(i * 7),
      PartitionKey: `key-${i}-ü`,
      EncryptionType: i % 2 ? 'KMS' : undefined,
    }));
    same({ Records: records, NextShardIterator: 'AAAA/+==', MillisBehindLatest: 0 });
  });

  test('long arrays whose later elements are far larger than the first ones (the buffer grows)', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ Data: randomBytes(i < 20 ? 1 : 5_000 + i), PartitionKey: 'k'.repeat(i) }));
    same({ Records: records, Tail: 'x'.repeat(100_000) });
    same(Array.from({ length: 40 }, (_, i) => (i < 16 ? 0 : 'ü'.repeat(1_000))));
  });

  test('values repeated under one key, as lists of records repeat them, and keys met again deeper', () => {
    const date = new Date(1764316000123);
    const items = Array.from({ length: 50 }, (_, i) => ({
      ShardId: i % 7 === 0 ? 'shardId-000000000002' : 'shardId-000000000001',
      At: i % 5 === 0 ? new Date(NaN) : date,
      Text: i % 3 === 0 ? 'ü "quoted"' : 'ü "quoted"'.slice(0),
      Nested: { ShardId: i % 2 ? 'shardId-000000000001' : 'other', At: date },
      ...(i % 4 === 0 ? { Optional: 'shardId-000000000001' } : {}),
    }));
    same({ Records: items, ShardId: 'shardId-000000000001' });
    same([{ a: 'x' }, { a: { a: 'x' } }, { a: 'x' }, { a: 'y' }, { a: 'x' }]);
    // More distinct values than are remembered, and a key that gives up after many misses.
    same(Array.from({ length: 200 }, (_, i) => ({ ShardId: `shardId-00000000000${(i * 7) % 6}`, Unique: `u${i}`, Late: i < 100 ? `n${i}` : 'same' })));
  });

  test('a top-level value without JSON form is an empty body; a BigInt throws as JSON.stringify does', () => {
    assert.equal(encodeJson(undefined).length, 0);
    assert.throws(() => encodeJson({ n: 1n }), TypeError);
  });
});
