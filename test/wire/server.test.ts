/**
 * The whole server as users start it (`startServer`, also through the package name), reached by
 * the SDK clients with their default handlers and with HTTP/1.1.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { Decoder, Encoder } from 'cbor-x';
import { DUMMY_AUTH_HEADERS, http1Request, http2Request } from '../helpers/raw-http.js';
import { firehoseClient, kinesisClient, startTestServer } from '../helpers/server.js';

const cborEncoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false });
const cborDecoder = new Decoder({ useRecords: false, mapsAsObjects: true });

describe('startServer', () => {
  test("the package's public entry starts an in-memory server on a free port", async () => {
    const runnel = (await import('runnel' as string)) as typeof import('../../src/index.js');
    const server = await runnel.startServer({ port: 0, inMemory: true, logLevel: 'silent' });
    try {
      assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(server.port, 0);
      assert.equal(server.config.port, server.port);
      assert.equal((await http1Request(server.endpoint, { method: 'GET', path: '/health' })).status, 200);
    } finally {
      await server.close();
      await server.close();
    }
  });

  for (const http1 of [false, true]) {
    test(`Kinesis and Firehose SDK clients work end to end (${http1 ? 'HTTP/1.1' : 'HTTP/2'})`, async () => {
      const server = await startTestServer();
      const kinesis = kinesisClient(server.endpoint, { http1 });
      const firehose = firehoseClient(server.endpoint, { http1 });
      try {
        await kinesis.send(new CreateStreamCommand({ StreamName: 'wire-e2e', ShardCount: 1 }));
        assert.deepEqual((await kinesis.send(new ListStreamsCommand({}))).StreamNames, ['wire-e2e']);
        const data = Buffer.alloc(300 * 1024, 7);
        const put = await kinesis.send(new PutRecordCommand({ StreamName: 'wire-e2e', PartitionKey: 'k', Data: data }));
        const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'wire-e2e', ShardId: put.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
        const records = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
        assert.equal(records.Records!.length, 1);
        assert.equal(Buffer.compare(Buffer.from(records.Records![0]!.Data!), data), 0);
        assert.ok(records.Records![0]!.ApproximateArrivalTimestamp instanceof Date);
        assert.ok(Array.isArray((await firehose.send(new ListDeliveryStreamsCommand({}))).DeliveryStreamNames));
      } finally {
        kinesis.destroy();
        firehose.destroy();
        await server.close();
      }
    });
  }

  test('a Java-style CBOR client can put and get records (blobs as bytes, timestamps as tag 1 + integer ms)', async () => {
    const server = await startTestServer();
    const kinesis = kinesisClient(server.endpoint);
    const call = async (operation: string, input: Record<string, unknown>) => {
      const res = await http2Request(server.endpoint, {
        headers: { 'content-type': 'application/x-amz-cbor-1.1', 'x-amz-target': `Kinesis_20131202.${operation}`, ...DUMMY_AUTH_HEADERS },
        body: cborEncoder.encode(input),
      });
      assert.equal(res.status, 200, `${operation}: ${res.body.toString('hex')}`);
      assert.equal(res.headers['content-type'], 'application/x-amz-cbor-1.1');
      return res.body;
    };
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'cbor-e2e', ShardCount: 1 }));
      const before = Date.now();
      const put = cborDecoder.decode(await call('PutRecord', { StreamName: 'cbor-e2e', PartitionKey: 'k', Data: Buffer.from([1, 2, 3]) }));
      const { ShardIterator } = cborDecoder.decode(await call('GetShardIterator', { StreamName: 'cbor-e2e', ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      const raw = await call('GetRecords', { ShardIterator });
      const [record] = cborDecoder.decode(raw).Records;
      assert.ok(Buffer.isBuffer(record.Data));
      assert.deepEqual([...record.Data], [1, 2, 3]);
      const key = Buffer.from('ApproximateArrivalTimestamp', 'utf8');
      const at = raw.indexOf(key) + key.length;
      assert.equal(raw.subarray(at, at + 2).toString('hex'), 'c11b', 'tag 1 + 64-bit unsigned integer');
      const millis = Number(raw.readBigUInt64BE(at + 2));
      assert.ok(millis >= before - 1000 && millis <= Date.now(), String(millis));
    } finally {
      kinesis.destroy();
      await server.close();
    }
  });

  test('close() finishes while an HTTP/2 client still holds its session', async () => {
    const server = await startTestServer();
    const client = kinesisClient(server.endpoint);
    await client.send(new ListStreamsCommand({}));
    await server.close();
    await assert.rejects(http2Request(server.endpoint, { method: 'GET', path: '/' }));
    client.destroy();
  });
});
