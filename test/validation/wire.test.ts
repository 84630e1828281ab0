/**
 * Validation as clients see it: real server, @aws-sdk clients and raw JSON / CBOR requests.
 * Expected texts: kinesalite tests recorded against Kinesis, FIREHOSE-FACTS.md (see constraints.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { decode, encode } from 'cbor-x';
import { DUMMY_AUTH_HEADERS, http1Request } from '../helpers/raw-http.js';
import { firehoseClient, kinesisClient, startTestServer, type RunningServer } from '../helpers/server.js';

function kinesisCall(operation: string, contentType: string, body: string | Buffer) {
  return {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-amz-target': `Kinesis_20131202.${operation}`, ...DUMMY_AUTH_HEADERS },
    body,
  };
}

describe('validation through the server', () => {
  let server: RunningServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  it('SDK v3 (HTTP/2): PutRecords entry failures name records.N.member paths', async () => {
    const client = kinesisClient(server.endpoint);
    try {
      await assert.rejects(
        client.send(new PutRecordsCommand({ StreamName: 's', Records: [{ PartitionKey: 'a', Data: new Uint8Array(0) }, { PartitionKey: '', Data: new Uint8Array(0), ExplicitHashKey: '' }] })),
        (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(error.name, 'ValidationException');
          assert.equal(error.$metadata?.httpStatusCode, 400);
          assert.equal(error.message,
            '2 validation errors detected: ' +
            "Value '' at 'records.2.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
            "Value '' at 'records.2.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})");
          return true;
        },
      );
    } finally {
      client.destroy();
    }
  });

  it('SDK v3 (HTTP/1.1): enum violations list the value set in AWS order', async () => {
    const client = kinesisClient(server.endpoint, { http1: true });
    try {
      await assert.rejects(
        client.send(new GetShardIteratorCommand({ StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'NEWEST' as never })),
        {
          name: 'ValidationException',
          message: "1 validation error detected: Value 'NEWEST' at 'shardIteratorType' failed to satisfy constraint: " +
            'Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]',
        },
      );
    } finally {
      client.destroy();
    }
  });

  it('Firehose SDK: an oversized record is reported at records.N.member.data', async () => {
    const client = firehoseClient(server.endpoint);
    try {
      await assert.rejects(
        client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'd', Records: [{ Data: new Uint8Array(1024001) }] })),
        {
          name: 'ValidationException',
          message: "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'records.1.member.data' " +
            'failed to satisfy constraint: Member must have length less than or equal to 1024000',
        },
      );
    } finally {
      client.destroy();
    }
  });

  it('raw JSON: a member of the wrong type is a SerializationException with Message', async () => {
    const res = await http1Request(server.endpoint, kinesisCall('CreateStream', 'application/x-amz-json-1.1', '{"StreamName":"s","ShardCount":"2"}'));
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body.toString()), {
      __type: 'SerializationException',
      Message: 'class java.lang.String can not be converted to an Integer',
    });
  });

  it('raw JSON: invalid base64 data', async () => {
    const res = await http1Request(server.endpoint, kinesisCall('PutRecord', 'application/x-amz-json-1.1', '{"StreamName":"s","PartitionKey":"k","Data":"23456"}'));
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body.toString()), {
      __type: 'SerializationException',
      Message: "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5",
    });
  });

  it('raw CBOR: byte-string data over the model maximum is a ValidationException in CBOR', async () => {
    const body = encode({ StreamName: 's', PartitionKey: '', Data: Buffer.alloc(10485761) });
    const res = await http1Request(server.endpoint, kinesisCall('PutRecord', 'application/x-amz-cbor-1.1', body));
    assert.equal(res.status, 400);
    assert.equal(res.headers['content-type'], 'application/x-amz-cbor-1.1');
    const reply = decode(res.body) as Record<string, unknown>;
    assert.equal(reply.__type, 'ValidationException');
    assert.equal(reply.message,
      '2 validation errors detected: ' +
      "Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value 'java.nio.HeapByteBuffer[pos=0 lim=10485761 cap=10485761]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 10485760");
  });
});
