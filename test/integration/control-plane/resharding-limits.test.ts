import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DescribeLimitsCommand,
  IncreaseStreamRetentionPeriodCommand,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  UpdateShardCountCommand,
  UpdateStreamWarmThroughputCommand,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { startKinesisServer } from '../../helpers/server.js';

const ACCOUNT = '000000000000';
const HALF = (1n << 127n).toString();
const HOUR_MS = 3_600_000;

describe('resharding and encryption quotas', () => {
  it('UpdateShardCount: at most 10 scalings per rolling 24 hours', async (t) => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { client } = await startKinesisServer(t, {}, { clock });
    await client.send(new CreateStreamCommand({ StreamName: 'daily', ShardCount: 2 }));
    for (let i = 0; i < 10; i++) {
      await client.send(new UpdateShardCountCommand({ StreamName: 'daily', TargetShardCount: i % 2 === 0 ? 3 : 2, ScalingType: 'UNIFORM_SCALING' }));
      clock.advance(HOUR_MS);
    }
    await assert.rejects(client.send(new UpdateShardCountCommand({ StreamName: 'daily', TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' })), {
      name: 'LimitExceededException',
      message: 'UpdateShardCount can be called at most 10 times per rolling 24-hour period on stream daily.',
    });
    clock.advance(15 * HOUR_MS);
    await client.send(new UpdateShardCountCommand({ StreamName: 'daily', TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
  });

  it('splits count against the account shard limit; DescribeLimits counts open shards', async (t) => {
    const { client } = await startKinesisServer(t, { shardLimit: 3 });
    await client.send(new CreateStreamCommand({ StreamName: 'capped', ShardCount: 3 }));
    await assert.rejects(client.send(new SplitShardCommand({ StreamName: 'capped', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1000' })), {
      name: 'LimitExceededException',
      message: `This request would exceed the shard limit for the account ${ACCOUNT} in us-east-1. Current shard count for the account: 3. Limit: 3. Number of additional shards that would have resulted from this request: 1. Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.`,
    });
    await client.send(new MergeShardsCommand({ StreamName: 'capped', ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000001' }));
    const limits = await client.send(new DescribeLimitsCommand({}));
    assert.equal(limits.OpenShardCount, 2);
    assert.equal(limits.ShardLimit, 3);
    await client.send(new SplitShardCommand({ StreamName: 'capped', ShardToSplit: 'shardId-000000000002', NewStartingHashKey: ((1n << 128n) - 2n).toString() }));
    await assert.rejects(client.send(new MergeShardsCommand({ StreamName: 'capped', ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000003' })), {
      name: 'InvalidArgumentException',
      message: `Shard shardId-000000000000 in stream capped under account ${ACCOUNT} has already been merged or split, and thus is not eligible for merging or splitting.`,
    });
    await assert.rejects(client.send(new SplitShardCommand({ StreamName: 'capped', ShardToSplit: 'bogus', NewStartingHashKey: HALF })), {
      name: 'ResourceNotFoundException',
      message: `Could not find shard bogus in stream capped under account ${ACCOUNT}.`,
    });
  });

  it('refuses Split/Merge on ON_DEMAND streams and warm throughput on PROVISIONED ones', async (t) => {
    const { client } = await startKinesisServer(t);
    await client.send(new CreateStreamCommand({ StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    await assert.rejects(client.send(new SplitShardCommand({ StreamName: 'od', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1000' })), { name: 'ValidationException' });
    await assert.rejects(client.send(new MergeShardsCommand({ StreamName: 'od', ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000001' })), { name: 'ValidationException' });
    await client.send(new CreateStreamCommand({ StreamName: 'prov', ShardCount: 1 }));
    await assert.rejects(client.send(new UpdateStreamWarmThroughputCommand({ StreamName: 'prov', WarmThroughputMiBps: 5 })), { name: 'ValidationException' });
  });

  it('encryption: at most 25 starts per rolling 24 hours', async (t) => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { client } = await startKinesisServer(t, {}, { clock });
    await client.send(new CreateStreamCommand({ StreamName: 'keys', ShardCount: 1 }));
    for (let i = 0; i < 25; i++) {
      await client.send(new StartStreamEncryptionCommand({ StreamName: 'keys', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
      await client.send(new StopStreamEncryptionCommand({ StreamName: 'keys', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    }
    await assert.rejects(client.send(new StartStreamEncryptionCommand({ StreamName: 'keys', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' })), {
      name: 'LimitExceededException',
      message: `Exceeded the limit of 25 encryption starts per rolling 24 hours for stream keys under account ${ACCOUNT}.`,
    });
    clock.advance(24 * HOUR_MS + 1);
    await client.send(new StartStreamEncryptionCommand({ StreamName: 'keys', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
  });

  it('closed shards vanish once all their records are past retention', async (t) => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { client } = await startKinesisServer(t, {}, { clock });
    await client.send(new CreateStreamCommand({ StreamName: 'aging', ShardCount: 1 }));
    await client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'aging', RetentionPeriodHours: 48 }));
    await client.send(new PutRecordCommand({ StreamName: 'aging', PartitionKey: 'k', Data: Buffer.from('old') }));
    await client.send(new SplitShardCommand({ StreamName: 'aging', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF }));
    clock.advance(30 * HOUR_MS);
    await client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'aging', RetentionPeriodHours: 36 }));
    assert.deepEqual((await client.send(new ListShardsCommand({ StreamName: 'aging' }))).Shards!.map((s) => s.ShardId), [
      'shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002',
    ]);
    await client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'aging', RetentionPeriodHours: 24 }));
    assert.deepEqual((await client.send(new ListShardsCommand({ StreamName: 'aging' }))).Shards!.map((s) => s.ShardId), [
      'shardId-000000000001', 'shardId-000000000002',
    ]);
  });
});
