import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32, tableCrc32 } from '../../src/wire/event-stream/crc32.js';
import { EventStreamDecoder } from '../../src/wire/event-stream/decoder.js';
import { EventStreamFormatError } from '../../src/wire/event-stream/errors.js';
import { HEADER_NAME_BYTES_MAX, HEADER_VALUE_BYTES_MAX, MESSAGE_BYTES_MAX } from '../../src/wire/event-stream/limits.js';
import { decodeFrame, encodeFrame, type EventStreamFrame, type EventStreamHeader } from '../../src/wire/event-stream/message.js';
import { failureVectors, successVectors } from './vectors.js';

function normalise(frame: EventStreamFrame) {
  return {
    headers: frame.headers.map(({ name, value }) => ({
      name,
      type: value.type,
      value: value.value instanceof Uint8Array ? Buffer.from(value.value).toString('hex') : value.value instanceof Date ? value.value.getTime() : value.value,
    })),
    payload: Buffer.from(frame.payload).toString('hex'),
  };
}

function feedInPieces(bytes: Buffer, pieceLength: number): EventStreamFrame[] {
  const decoder = new EventStreamDecoder();
  const frames: EventStreamFrame[] = [];
  for (let at = 0; at < bytes.length; at += pieceLength) frames.push(...decoder.push(bytes.subarray(at, at + pieceLength)));
  decoder.end();
  return frames;
}

describe('event-stream crc32', () => {
  it('matches the IEEE check value and continues across buffers', () => {
    const text = Buffer.from('123456789');
    assert.equal(crc32(text), 0xcbf43926);
    assert.equal(crc32(text.subarray(4), crc32(text.subarray(0, 4))), 0xcbf43926);
    assert.equal(crc32(new Uint8Array()), 0);
  });

  it('gives the same values from the table as from zlib', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) & 0xff));
    for (const [start, end] of [[0, 0], [0, 1], [3, 1000], [0, 4096]] as const) {
      assert.equal(tableCrc32(bytes, 0, start, end), crc32(bytes, 0, start, end));
      assert.equal(tableCrc32(bytes, 0x12345678, start, end), crc32(bytes, 0x12345678, start, end));
    }
    assert.equal(tableCrc32(Buffer.from('123456789')), 0xcbf43926);
  });
});

describe('event-stream codec - AWS test vectors', () => {
  for (const vector of successVectors) {
    it(`encodes ${vector.name} to the published bytes`, () => {
      assert.equal(encodeFrame(vector.decoded).toString('hex'), vector.hex);
    });
    it(`decodes ${vector.name} whole, byte by byte and in odd pieces`, () => {
      const bytes = Buffer.from(vector.hex, 'hex');
      const expected = normalise(vector.decoded);
      assert.deepEqual(normalise(decodeFrame(bytes)), expected);
      for (const pieceLength of [1, 3, 7, bytes.length]) {
        const frames = feedInPieces(bytes, pieceLength);
        assert.equal(frames.length, 1);
        assert.deepEqual(normalise(frames[0]!), expected);
      }
    });
  }
  for (const vector of failureVectors) {
    it(`rejects ${vector.name} whole and byte by byte`, () => {
      const bytes = Buffer.from(vector.hex, 'hex');
      assert.throws(() => decodeFrame(bytes), (err: unknown) => err instanceof EventStreamFormatError && vector.error.test(err.message));
      assert.throws(() => feedInPieces(bytes, 1), (err: unknown) => err instanceof EventStreamFormatError && vector.error.test(err.message));
    });
  }
});

describe('event-stream codec - round trips', () => {
  const everyType: EventStreamHeader[] = [
    { name: ':message-type', value: { type: 'string', value: 'event' } },
    { name: 'yes', value: { type: 'boolean', value: true } },
    { name: 'no', value: { type: 'boolean', value: false } },
    { name: 'i8', value: { type: 'byte', value: -128 } },
    { name: 'i16', value: { type: 'short', value: -32768 } },
    { name: 'i32', value: { type: 'integer', value: 2147483647 } },
    { name: 'i64', value: { type: 'long', value: -9223372036854775808n } },
    { name: 'bytes', value: { type: 'binary', value: Buffer.alloc(HEADER_VALUE_BYTES_MAX, 0xab) } },
    { name: 'ünïcode', value: { type: 'string', value: 'snow ☃ and 🚀' } },
    { name: 'when', value: { type: 'timestamp', value: new Date(-1) } },
    { name: 'id', value: { type: 'uuid', value: 'ffeeddcc-bbaa-9988-7766-554433221100' } },
  ];

  it('keeps every header type, order and the payload', () => {
    const frame = { headers: everyType, payload: Buffer.from('payload bytes') };
    const encoded = encodeFrame(frame);
    assert.deepEqual(normalise(decodeFrame(encoded)), normalise(frame));
  });

  it('splits a concatenation of messages fed byte by byte and in random pieces', () => {
    const frames: EventStreamFrame[] = [];
    for (let i = 0; i < 20; i++) {
      frames.push({ headers: [{ name: ':event-type', value: { type: 'string', value: `e${i}` } }], payload: Buffer.alloc(i * 37, i) });
    }
    const stream = Buffer.concat(frames.map(encodeFrame));
    assert.deepEqual(feedInPieces(stream, 1).map(normalise), frames.map(normalise));
    const decoder = new EventStreamDecoder();
    const out: EventStreamFrame[] = [];
    let seed = 7;
    for (let at = 0; at < stream.length;) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const length = 1 + (seed % 200);
      out.push(...decoder.push(stream.subarray(at, at + length)));
      at += length;
    }
    decoder.end();
    assert.deepEqual(out.map(normalise), frames.map(normalise));
  });

  it('reports input that ends inside a message', () => {
    const encoded = encodeFrame({ headers: [], payload: Buffer.from('abc') });
    const decoder = new EventStreamDecoder();
    assert.deepEqual(decoder.push(encoded.subarray(0, encoded.length - 1)), []);
    assert.throws(() => decoder.end(), /input ended inside a message/);
  });

  it('rejects a prelude CRC error as soon as the prelude is in, before the body arrives', () => {
    const encoded = encodeFrame({ headers: [], payload: Buffer.alloc(1000) });
    encoded[9] = encoded[9]! ^ 0xff;
    const decoder = new EventStreamDecoder();
    assert.throws(() => decoder.push(encoded.subarray(0, 12)), /prelude checksum mismatch/);
  });

  it('rejects a well-checksummed prelude announcing more than the maximum message size', () => {
    const prelude = Buffer.alloc(12);
    prelude.writeUInt32BE(MESSAGE_BYTES_MAX + 1, 0);
    prelude.writeUInt32BE(crc32(prelude, 0, 0, 8), 8);
    assert.throws(() => new EventStreamDecoder().push(prelude), /message length 16777217 is outside 16\.\.16777216/);
  });

  it('rejects an unknown header value type', () => {
    const encoded = encodeFrame({ headers: [{ name: 'x', value: { type: 'boolean', value: true } }], payload: new Uint8Array() });
    encoded[14] = 10;
    encoded.writeUInt32BE(crc32(encoded, 0, 0, encoded.length - 4), encoded.length - 4);
    assert.throws(() => decodeFrame(encoded), /header x has unknown value type 10/);
  });

  it('refuses to encode what cannot be framed', () => {
    assert.throws(() => encodeFrame({ headers: [{ name: 'x'.repeat(HEADER_NAME_BYTES_MAX + 1), value: { type: 'boolean', value: true } }], payload: new Uint8Array() }), /header name must be 1 to 255 bytes, got 256/);
    assert.throws(() => encodeFrame({ headers: [{ name: 's', value: { type: 'string', value: 'x'.repeat(HEADER_VALUE_BYTES_MAX + 1) } }], payload: new Uint8Array() }), /more than 65535/);
    assert.throws(() => encodeFrame({ headers: [], payload: Buffer.alloc(MESSAGE_BYTES_MAX) }), /more than 16777216/);
  });
});
