import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, rawCborCall, rawJsonCall, useServer } from './helpers.js';

describe('PutRecord', () => {
  const t = useServer();

  describe('validations', () => {
    it('needs a stream name or ARN', async () => {
      await assertAwsError(t.client.send(new PutRecordCommand({ PartitionKey: 'a', Data: Buffer.from('x') })), 'InvalidArgumentException');
    });

    it('answers ResourceNotFound for a missing stream', async () => {
      const StreamName = t.name('missing');
      await assertAwsError(t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'a', Data: Buffer.from('x') })), 'ResourceNotFoundException',
        `Stream ${StreamName} under account ${ACCOUNT} not found.`);
    });

    it('refuses an ExplicitHashKey of 2^128', async () => {
      const StreamName = await t.createStream();
      const key = (1n << 128n).toString();
      await assertAwsError(t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'a', Data: Buffer.from('x'), ExplicitHashKey: key })),
        'InvalidArgumentException', `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${key}`);
    });

    it('refuses a SequenceNumberForOrdering that is not a sequence number', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'a', Data: Buffer.from('x'), SequenceNumberForOrdering: '1234' })),
        'InvalidArgumentException', `ExclusiveMinimumSequenceNumber 1234 used in PutRecord on stream ${StreamName} under account ${ACCOUNT} is invalid.`);
    });

    it('refuses data plus key over the stream maximum (1 MiB by default)', async () => {
      const StreamName = await t.createStream();
      const Data = Buffer.alloc(1024 * 1024);
      await assertAwsError(t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data })), 'InvalidArgumentException', /exceeds the maximum record size of 1024 KiB/);
      await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Data.subarray(1) }));
    });
  });

  describe('functionality', () => {
    it('routes by MD5 of the partition key', async () => {
      const StreamName = await t.createStream({ ShardCount: 2 });
      // MD5('a') starts with 0x0c: lower half; MD5('b') = 0x92eb…: upper half.
      const a = await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'a', Data: Buffer.from('x') }));
      const b = await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'b', Data: Buffer.from('x') }));
      assert.equal(a.ShardId, 'shardId-000000000000');
      assert.equal(b.ShardId, 'shardId-000000000001');
    });

    it('routes by ExplicitHashKey when given', async () => {
      const StreamName = await t.createStream({ ShardCount: 2 });
      const high = await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'a', Data: Buffer.from('x'), ExplicitHashKey: ((1n << 128n) - 1n).toString() }));
      assert.equal(high.ShardId, 'shardId-000000000001');
    });

    it('gives strictly increasing sequence numbers, also after SequenceNumberForOrdering', async () => {
      const StreamName = await t.createStream();
      let previous = 0n;
      let last = '';
      for (let i = 0; i < 20; i++) {
        const result = await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: `k${i}`, Data: Buffer.from([i]), ...(last ? { SequenceNumberForOrdering: last } : {}) }));
        const value = BigInt(result.SequenceNumber!);
        assert.ok(value > previous);
        previous = value;
        last = result.SequenceNumber!;
      }
    });

    it('stores empty data and unicode partition keys', async () => {
      const StreamName = await t.createStream();
      const put = await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'ключ 🔑', Data: new Uint8Array(0) }));
      const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: put.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
      const { Records } = await t.client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
      assert.equal(Records?.length, 1);
      assert.equal(Records![0]!.PartitionKey, 'ключ 🔑');
      assert.equal(Records![0]!.Data?.length, 0);
    });

    it('accepts a StreamARN instead of a name', async () => {
      const StreamName = await t.createStream();
      const result = await t.client.send(new PutRecordCommand({ StreamARN: t.arn(StreamName), PartitionKey: 'a', Data: Buffer.from('x') }));
      assert.equal(result.ShardId, 'shardId-000000000000');
    });

    it('answers ResourceNotFound for an ARN of another account', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new PutRecordCommand({ StreamARN: `arn:aws:kinesis:us-east-1:123456789012:stream/${StreamName}`, PartitionKey: 'a', Data: Buffer.from('x') })),
        'ResourceNotFoundException', `Stream ${StreamName} under account 123456789012 not found.`);
    });
  });
});

describe('PutRecord while the stream is CREATING', () => {
  const t = useServer({ createStreamMs: 60_000 });

  it('answers ResourceNotFound', async () => {
    const StreamName = t.name();
    await t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    await assertAwsError(t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'a', Data: Buffer.from('x') })), 'ResourceNotFoundException',
      `Stream ${StreamName} under account ${ACCOUNT} not found.`);
  });
});

describe('PutRecord serializations', () => {
  const t = useServer();

  it('takes Data as base64 in JSON and answers ShardId and SequenceNumber', async () => {
    const StreamName = await t.createStream();
    const response = await rawJsonCall(t.server.endpoint, 'PutRecord', { StreamName, PartitionKey: 'a', Data: Buffer.from('hello').toString('base64') });
    assert.equal(response.status, 200);
    const body = response.json();
    assert.equal(body.ShardId, 'shardId-000000000000');
    assert.match(body.SequenceNumber, /^\d{56}$/);
  });

  it('answers SerializationException for a member of the wrong type', async () => {
    const response = await rawJsonCall(t.server.endpoint, 'PutRecord', { StreamName: 'x', PartitionKey: 1, Data: 'aGk=' });
    assert.equal(response.status, 400);
    assert.equal(response.json().__type, 'SerializationException');
  });

  it('accepts and ignores a StreamId', async () => {
    const StreamName = await t.createStream();
    const response = await rawJsonCall(t.server.endpoint, 'PutRecord', { StreamName, StreamId: 'abcdefghij0123456789-abc', PartitionKey: 'a', Data: 'aGk=' });
    assert.equal(response.status, 200);
    assert.equal(response.json().ShardId, 'shardId-000000000000');
  });

  it('takes Data as a CBOR byte string', async () => {
    const StreamName = await t.createStream();
    const response = await rawCborCall(t.server.endpoint, 'PutRecord', { StreamName, PartitionKey: 'a', Data: Buffer.from([0, 1, 2, 255]) });
    assert.equal(response.status, 200);
    assert.match(response.body.SequenceNumber, /^\d{56}$/);
  });
});
