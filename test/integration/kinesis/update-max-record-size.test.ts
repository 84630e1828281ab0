import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, UpdateMaxRecordSizeCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

describe('UpdateMaxRecordSize', () => {
  const t = useServer();

  it('keeps the size between 1024 and 10240 KiB', async () => {
    const StreamName = await t.createStream();
    await assertAwsError(t.client.send(new UpdateMaxRecordSizeCommand({ StreamARN: t.arn(StreamName), MaxRecordSizeInKiB: 10241 })), 'ValidationException',
      /Member must have value less than or equal to 10240/);
  });

  it('answers ResourceNotFound for a missing stream', async () => {
    const StreamName = t.name('missing');
    await assertAwsError(t.client.send(new UpdateMaxRecordSizeCommand({ StreamARN: t.arn(StreamName), MaxRecordSizeInKiB: 2048 })), 'ResourceNotFoundException',
      `Stream ${StreamName} under account ${ACCOUNT} not found.`);
  });

  it('takes records up to 10 MiB once raised', async () => {
    const StreamName = await t.createStream();
    const Data = Buffer.alloc(10 * 1024 * 1024 - 1, 3);
    await assertAwsError(t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data })), 'InvalidArgumentException', /maximum record size of 1024 KiB/);
    await t.client.send(new UpdateMaxRecordSizeCommand({ StreamARN: t.arn(StreamName), MaxRecordSizeInKiB: 10240 }));
    const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName }));
    assert.equal(summary.StreamDescriptionSummary?.MaxRecordSizeInKiB, 10240);
    await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data }));
    await assertAwsError(t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'kk', Data })), 'InvalidArgumentException', /maximum record size of 10240 KiB/);
    const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    const { Records } = await t.client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
    assert.equal(Records?.[0]?.Data?.length, Data.length);
  });
});
