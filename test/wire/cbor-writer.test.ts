/** The CBOR writer gives exactly the bytes of the general path (toCborValue, then cbor-x). */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Encoder, Tag } from 'cbor-x';
import { encodeCbor } from '../../src/wire/codecs/cbor-writer.js';
import { cborCodec } from '../../src/wire/codecs/cbor.js';

const UINT32_MAX = 0xffffffff;
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true });

/** The general path of cbor.ts, restated: dates as tag 1 + BigInt ms, >32-bit integers as BigInt. */
function reference(value: unknown): Buffer {
  const map = (item: unknown): unknown => {
    if (item instanceof Date) return new Tag(BigInt(item.getTime()), 1);
    if (typeof item === 'number') return Number.isSafeInteger(item) && (item > UINT32_MAX || item < -UINT32_MAX) ? BigInt(item) : item;
    if (item === null || typeof item !== 'object' || item instanceof Uint8Array) return item;
    if (Array.isArray(item)) return item.map(map);
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(item)) if (member !== undefined) out[key] = map(member);
    return out;
  };
  return Buffer.from(encoder.encode(map(value)));
}

function same(value: unknown): void {
  const fast = encodeCbor(value);
  assert.ok(fast, 'the writer takes the value');
  assert.equal(fast.toString('hex'), reference(value).toString('hex'));
}

describe('encodeCbor', () => {
  test('integers at every head size, 64-bit integers, floats', () => {
    for (const n of [0, -0, 1, 23, 24, 255, 256, 65535, 65536, UINT32_MAX, UINT32_MAX + 1, 2 ** 40, Number.MAX_SAFE_INTEGER, 2 ** 60,
      -1, -24, -25, -256, -257, -65536, -65537, -UINT32_MAX, -UINT32_MAX - 1, -(2 ** 40), Number.MIN_SAFE_INTEGER, -(2 ** 60),
      1.5, -0.25, 0.1, 1764316000.123, NaN, Infinity, -Infinity]) {
      same(n);
      same({ n });
    }
  });

  test('texts around every head size, ASCII and multi-byte', () => {
    for (const length of [0, 1, 7, 8, 9, 22, 23, 24, 25, 84, 85, 86, 254, 255, 256, 257, 21845, 21846, 65535, 65536, 70000]) {
      same('a'.repeat(length));
      same('é'.repeat(length));
      same('日'.repeat(length));
      same(`${'a'.repeat(Math.max(0, length - 1))}😀`);
    }
  });

  test('blobs, booleans, null, nested maps and arrays, undefined members left out', () => {
    same({ a: randomBytes(0), b: randomBytes(23), c: randomBytes(24), d: randomBytes(300), e: randomBytes(70000), f: true, g: false, h: null, i: undefined });
    same({ list: [1, 'two', [3], { four: 4 }, null], empty: {}, none: [] });
    const backing = randomBytes(100);
    same({ view: new Uint8Array(backing.buffer, backing.byteOffset + 5, 40) });
    same({ 2: 'two', b: 'b', 1: 'one', a: 'a' });
    same(Array.from({ length: 300 }, (_, i) => i));
    same(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])));
  });

  test('dates as tag 1 + 64-bit epoch milliseconds', () => {
    same({ at: new Date(1764316000123), zero: new Date(0) });
  });

  test('a GetRecords-shaped reply', () => {
    const records = Array.from({ length: 200 }, (_, i) => ({
      SequenceNumber: `4960${i}`.padEnd(56, '7'),
      ApproximateArrivalTimestamp: new Date(1764316000000 + i),
      Data: randomBytes(i * 5),
      PartitionKey: `key-${i}-ü`,
      EncryptionType: i % 2 ? 'KMS' : undefined,
    }));
    same({ Records: records, NextShardIterator: 'AAAA', MillisBehindLatest: 0 });
  });

  test('values outside the model are left to the general path, which the codec then takes', () => {
    for (const value of [{ f: () => 1 }, { s: Symbol('s') }, { b: 1n }, { u: new Uint16Array(2) }, { d: new Date(NaN) }, { d: new Date(-1) }, [undefined]]) {
      assert.equal(encodeCbor(value), undefined);
    }
    assert.equal(cborCodec.encode({ d: new Date(-1000) }).toString('hex'), reference({ d: new Date(-1000) }).toString('hex'));
  });
});
