import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  PutRecordsCommand,
  UpdateStreamRecordDistributionStrategyCommand,
} from '@aws-sdk/client-kinesis';
import { startKinesisServer } from '../../helpers/server.js';

const ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/spread';

describe('UpdateStreamRecordDistributionStrategy', () => {
  it('AUTO spreads records of one partition key over every shard; USER_PARTITION_KEY keeps them together', async (t) => {
    const { client } = await startKinesisServer(t);
    await client.send(new CreateStreamCommand({ StreamName: 'spread', ShardCount: 4 }));
    const records = Array.from({ length: 200 }, () => ({ PartitionKey: 'same', Data: Buffer.from('x') }));
    const shardsUsed = async () => new Set((await client.send(new PutRecordsCommand({ StreamName: 'spread', Records: records }))).Records!.map((r) => r.ShardId)).size;

    assert.equal(await shardsUsed(), 1);
    await client.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: ARN, RecordDistributionStrategy: 'AUTO' }));
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'spread' }));
    assert.equal(summary.StreamDescriptionSummary!.RecordDistributionStrategy, 'AUTO');
    assert.equal(await shardsUsed(), 4, '200 random hash keys land on all 4 shards (chance of missing one < 1e-24)');
    await client.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: ARN, RecordDistributionStrategy: 'USER_PARTITION_KEY' }));
    assert.equal(await shardsUsed(), 1);

    await client.send(new CreateStreamCommand({ StreamName: 'born-auto', ShardCount: 2, RecordDistributionStrategy: 'AUTO' }));
    const born = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'born-auto' }));
    assert.equal(born.StreamDescriptionSummary!.RecordDistributionStrategy, 'AUTO');

    await assert.rejects(
      client.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/none', RecordDistributionStrategy: 'AUTO' })),
      { name: 'ResourceNotFoundException', message: 'Stream none under account 000000000000 not found.' },
    );
  });
});
