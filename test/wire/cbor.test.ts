/** application/x-amz-cbor-1.1 with hand-built CBOR bytes: byte strings, tag 1 + epoch ms. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { http1Request, http2Request, DUMMY_AUTH_HEADERS } from '../helpers/raw-http.js';
import { CBOR_HEADERS, ECHO_TIMESTAMP, startTestWire, target, type TestWire } from './fixtures.js';

/** Minimal CBOR writer for test vectors, independent of the codec under test. */
const cbor = {
  head(major: number, length: number): Buffer {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
    if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
    if (length < 0x100000000) {
      const out = Buffer.alloc(5);
      out[0] = (major << 5) | 26;
      out.writeUInt32BE(length, 1);
      return out;
    }
    const out = Buffer.alloc(9);
    out[0] = (major << 5) | 27;
    out.writeBigUInt64BE(BigInt(length), 1);
    return out;
  },
  text(value: string): Buffer {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([cbor.head(3, bytes.length), bytes]);
  },
  bytes(value: Buffer): Buffer {
    return Buffer.concat([cbor.head(2, value.length), value]);
  },
  uint(value: number): Buffer {
    return cbor.head(0, value);
  },
  epochMillis(ms: number): Buffer {
    return Buffer.concat([Buffer.from([0xc1]), cbor.uint(ms)]);
  },
  epochSecondsFloat(seconds: number): Buffer {
    const out = Buffer.alloc(9);
    out[0] = 0xfb;
    out.writeDoubleBE(seconds, 1);
    return Buffer.concat([Buffer.from([0xc1]), out]);
  },
  map(entries: Array<[string, Buffer]>): Buffer {
    return Buffer.concat([cbor.head(5, entries.length), ...entries.flatMap(([key, value]) => [cbor.text(key), value])]);
  },
};

const TIMESTAMP_MS = 1_700_000_000_123;

for (const [transport, send] of [['HTTP/1.1', http1Request], ['h2c', http2Request]] as const) {
  describe(`CBOR over ${transport}`, () => {
    let wire: TestWire;
    before(async () => { wire = await startTestWire(); });
    after(() => wire.server.close());

    test('a byte string reaches the handler as a Buffer; the reply is CBOR with bytes and tag 1 + integer ms', async () => {
      const data = Buffer.from([0, 1, 2, 250, 255]);
      const body = cbor.map([['StreamName', cbor.text('s')], ['PartitionKey', cbor.text('k')], ['Data', cbor.bytes(data)]]);
      const res = await send(wire.endpoint, { headers: { ...CBOR_HEADERS, ...target('PutRecord'), ...DUMMY_AUTH_HEADERS }, body });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/x-amz-cbor-1.1');
      const input = wire.recorded.inputs.at(-1)!.input;
      assert.ok(Buffer.isBuffer(input.Data));
      assert.deepEqual([...input.Data], [...data]);
      assert.equal(wire.recorded.inputs.at(-1)!.ctx.protocol, 'cbor');

      const expected = cbor.map([
        ['ShardId', cbor.text('shardId-000000000000')],
        ['SequenceNumber', cbor.text('49590338271490256608559692538361571095921575989136588898')],
        ['EchoData', cbor.bytes(data)],
        ['EchoTimestamp', cbor.epochMillis(ECHO_TIMESTAMP.getTime())],
      ]);
      assert.equal(res.body.toString('hex'), expected.toString('hex'));
    });

    test('tag 1 with an integer is epoch milliseconds, with a float epoch seconds', async () => {
      for (const [encoded, expectedMs] of [
        [cbor.epochMillis(TIMESTAMP_MS), TIMESTAMP_MS],
        [cbor.epochSecondsFloat(TIMESTAMP_MS / 1000), TIMESTAMP_MS],
      ] as const) {
        const body = cbor.map([
          ['StreamName', cbor.text('s')],
          ['ShardId', cbor.text('shardId-000000000000')],
          ['ShardIteratorType', cbor.text('AT_TIMESTAMP')],
          ['Timestamp', encoded],
        ]);
        const res = await send(wire.endpoint, { headers: { ...CBOR_HEADERS, ...target('GetShardIterator'), ...DUMMY_AUTH_HEADERS }, body });
        assert.equal(res.status, 200);
        assert.equal(res.body.toString('hex'), cbor.map([['ShardIterator', cbor.text(String(expectedMs))]]).toString('hex'));
      }
    });

    test('errors are CBOR maps with __type and message', async () => {
      const res = await send(wire.endpoint, { headers: { ...CBOR_HEADERS, ...target('DescribeStream'), ...DUMMY_AUTH_HEADERS }, body: cbor.map([['StreamName', cbor.text('x')]]) });
      assert.equal(res.status, 400);
      assert.equal(res.headers['content-type'], 'application/x-amz-cbor-1.1');
      const expected = cbor.map([
        ['__type', cbor.text('ResourceNotFoundException')],
        ['message', cbor.text('Stream x under account 000000000000 not found.')],
        ['code', cbor.text('Extra')],
      ]);
      assert.equal(res.body.toString('hex'), expected.toString('hex'));
    });

    test('bytes that are not a CBOR map are a SerializationException in CBOR', async () => {
      for (const body of [Buffer.from([0xff, 0x00]), cbor.text('just a string'), Buffer.from([0xa2, 0x61])]) {
        const res = await send(wire.endpoint, { headers: { ...CBOR_HEADERS, ...target('ListStreams'), ...DUMMY_AUTH_HEADERS }, body });
        assert.equal(res.status, 400);
        assert.equal(res.body.toString('hex'), cbor.map([['__type', cbor.text('SerializationException')]]).toString('hex'));
      }
    });

    test('an empty body of an unknown type is answered in CBOR, as AWS does', async () => {
      const res = await send(wire.endpoint, { headers: { 'content-type': 'application/octet-stream', ...target('Nope') }, body: '' });
      assert.equal(res.status, 400);
      assert.equal(res.headers['content-type'], 'application/x-amz-cbor-1.1');
      assert.equal(res.body.toString('hex'), cbor.map([['__type', cbor.text('UnknownOperationException')]]).toString('hex'));
    });
  });
}
