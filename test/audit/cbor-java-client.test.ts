/**
 * The record path as the Java SDK v2 drives it: CBOR bodies over HTTP/2 with prior knowledge,
 * Data as byte strings and timestamps as tag 1 + integer epoch milliseconds, both ways. The reply
 * bytes are checked, not only their decoding, since a float or a seconds value would decode too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decoder, Encoder, Tag } from 'cbor-x';
import { ManualClock } from '../../src/domain/clock.js';
import { DUMMY_AUTH_HEADERS, http2Request } from '../helpers/raw-http.js';
import { useServer } from '../integration/kinesis/helpers.js';

const NOW = Date.UTC(2026, 2, 3, 4, 5, 6, 789);
const encoder = new Encoder({ useRecords: false, tagUint8Array: false });
const decoder = new Decoder({ useRecords: false });

/** CBOR text string header + bytes, for keys up to 23 bytes or one length byte. */
function cborText(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([bytes.length < 24 ? Buffer.from([0x60 | bytes.length]) : Buffer.from([0x78, bytes.length]), bytes]);
}

/** `key: tag 1 (uint64 epoch ms)` exactly as Java SDK v2 writes and reads it. */
function millisMember(key: string, ms: number): Buffer {
  const value = Buffer.alloc(9);
  value[0] = 0x1b;
  value.writeBigUInt64BE(BigInt(ms), 1);
  return Buffer.concat([cborText(key), Buffer.from([0xc1]), value]);
}

describe('a Java-like CBOR client over HTTP/2', () => {
  const clock = new ManualClock(NOW);
  const t = useServer({}, { clock });

  async function call(operation: string, body: unknown): Promise<{ status: number; raw: Buffer; body: any }> {
    const response = await http2Request(t.server.endpoint, {
      headers: { ...DUMMY_AUTH_HEADERS, 'content-type': 'application/x-amz-cbor-1.1', 'x-amz-target': `Kinesis_20131202.${operation}` },
      body: Buffer.from(encoder.encode(body)),
    });
    assert.equal(response.headers['content-type'], 'application/x-amz-cbor-1.1');
    return { status: response.status, raw: response.body, body: response.body.length > 0 ? decoder.decode(response.body) : undefined };
  }

  it('writes byte strings, positions by a tag 1 timestamp, and reads back bytes and tag 1 integer milliseconds', async () => {
    const StreamName = t.name('java');
    assert.equal((await call('CreateStream', { StreamName, ShardCount: 1 })).status, 200);

    const summary = await call('DescribeStreamSummary', { StreamName });
    assert.equal(summary.status, 200);
    assert.ok(summary.raw.includes(millisMember('StreamCreationTimestamp', NOW)), 'creation time is tag 1 + integer ms');

    const payload = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    const put = await call('PutRecords', { StreamName, Records: [{ Data: payload, PartitionKey: 'java-key' }] });
    assert.equal(put.status, 200);
    assert.equal(put.body.FailedRecordCount, 0);

    const iterator = await call('GetShardIterator', {
      StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Tag(NOW - 1, 1),
    });
    assert.equal(iterator.status, 200);
    const records = await call('GetRecords', { ShardIterator: iterator.body.ShardIterator, Limit: 10 });
    assert.equal(records.status, 200);
    assert.ok(records.raw.includes(Buffer.concat([cborText('Data'), Buffer.from([0x40 | payload.length]), payload])), 'Data is a CBOR byte string');
    assert.ok(records.raw.includes(millisMember('ApproximateArrivalTimestamp', NOW)), 'arrival is tag 1 + integer ms');
    assert.equal(records.body.Records[0].PartitionKey, 'java-key');
    assert.equal(records.body.Records[0].SequenceNumber, put.body.Records[0].SequenceNumber);
    assert.equal(records.body.MillisBehindLatest, 0);
  });

  it('answers errors as CBOR maps with __type and message', async () => {
    const StreamName = t.name('java-missing');
    const missing = await call('PutRecord', { StreamName, Data: Buffer.from('x'), PartitionKey: 'k' });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { __type: 'ResourceNotFoundException', message: `Stream ${StreamName} under account 000000000000 not found.` });
  });
});
