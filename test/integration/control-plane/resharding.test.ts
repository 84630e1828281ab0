import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { assertAwsError } from '../../helpers/aws-error.js';
import { readShardToEnd, recordTexts } from '../../helpers/kinesis.js';
import { startKinesisServer, useKinesisServer } from '../../helpers/server.js';

const ACCOUNT = '000000000000';
const HALF = (1n << 127n).toString();

describe('SplitShard, MergeShards, UpdateShardCount', () => {
  const t = useKinesisServer();

  it('splits a shard: parent closes at its last record, children take the halves and new records', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'split', ShardCount: 1 }));
    await t.client.send(new PutRecordCommand({ StreamName: 'split', PartitionKey: 'a', Data: Buffer.from('before') }));
    await t.client.send(new SplitShardCommand({ StreamName: 'split', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF }));
    const { StreamDescription } = await t.client.send(new DescribeStreamCommand({ StreamName: 'split' }));
    const shards = StreamDescription!.Shards!;
    assert.deepEqual(shards.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    assert.ok(shards[0]!.SequenceNumberRange!.EndingSequenceNumber);
    assert.deepEqual(shards[1]!.HashKeyRange, { StartingHashKey: '0', EndingHashKey: (BigInt(HALF) - 1n).toString() });
    assert.deepEqual(shards[2]!.HashKeyRange, { StartingHashKey: HALF, EndingHashKey: ((1n << 128n) - 1n).toString() });
    assert.equal(shards[1]!.ParentShardId, 'shardId-000000000000');
    assert.equal(shards[2]!.ParentShardId, 'shardId-000000000000');

    const put = await t.client.send(new PutRecordCommand({ StreamName: 'split', PartitionKey: 'a', Data: Buffer.from('after') }));
    assert.notEqual(put.ShardId, 'shardId-000000000000');
    assert.ok(BigInt(shards[0]!.SequenceNumberRange!.EndingSequenceNumber!) > BigInt(shards[0]!.SequenceNumberRange!.StartingSequenceNumber!));

    const parent = await readShardToEnd(t.client, 'split', 'shardId-000000000000');
    assert.deepEqual(recordTexts(parent.records), ['before']);
    assert.equal(parent.closed, true, 'a closed shard read to its end has no NextShardIterator');
    assert.deepEqual(parent.childShards!.map((c) => c.ShardId), ['shardId-000000000001', 'shardId-000000000002']);
    assert.deepEqual(parent.childShards![0]!.ParentShards, ['shardId-000000000000']);
    const child = await readShardToEnd(t.client, 'split', put.ShardId!);
    assert.deepEqual(recordTexts(child.records), ['after']);
  });

  it('rejects bad splits with AWS errors', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'bad-split', ShardCount: 1 }));
    await assertAwsError(
      t.client.send(new SplitShardCommand({ StreamName: 'bad-split', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1' })),
      'InvalidArgumentException',
      `NewStartingHashKey 1 used in SplitShard() on shard shardId-000000000000 in stream bad-split under account ${ACCOUNT} is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's EndingHashKey ${((1n << 128n) - 1n).toString()}.`,
    );
    await assertAwsError(
      t.client.send(new SplitShardCommand({ StreamName: 'bad-split', ShardToSplit: 'shardId-000000000007', NewStartingHashKey: HALF })),
      'ResourceNotFoundException',
      `Shard shardId-000000000007 in stream bad-split under account ${ACCOUNT} does not exist`,
    );
    await assertAwsError(
      t.client.send(new SplitShardCommand({ StreamName: 'nope', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF })),
      'ResourceNotFoundException',
      `Stream nope under account ${ACCOUNT} not found.`,
    );
    await t.client.send(new SplitShardCommand({ StreamName: 'bad-split', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF }));
    await assertAwsError(
      t.client.send(new SplitShardCommand({ StreamName: 'bad-split', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF })),
      'InvalidArgumentException',
      `Shard shardId-000000000000 in stream bad-split under account ${ACCOUNT} has already been merged or split, and thus is not eligible for merging or splitting.`,
    );
  });

  it('merges adjacent shards and refuses non-adjacent ones', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'merge', ShardCount: 3 }));
    await assertAwsError(
      t.client.send(new MergeShardsCommand({ StreamName: 'merge', ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000002' })),
      'InvalidArgumentException',
      `Shards shardId-000000000000 and shardId-000000000002 in stream merge under account ${ACCOUNT} are not an adjacent pair of shards eligible for merging`,
    );
    await t.client.send(new PutRecordCommand({ StreamName: 'merge', PartitionKey: 'k', ExplicitHashKey: '0', Data: Buffer.from('left') }));
    await t.client.send(new MergeShardsCommand({ StreamName: 'merge', ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000000' }));
    const { Shards } = await t.client.send(new ListShardsCommand({ StreamName: 'merge' }));
    const child = Shards!.find((s) => s.ShardId === 'shardId-000000000003')!;
    assert.equal(child.ParentShardId, 'shardId-000000000001');
    assert.equal(child.AdjacentParentShardId, 'shardId-000000000000');
    assert.equal(child.HashKeyRange!.StartingHashKey, '0');
    assert.equal(child.HashKeyRange!.EndingHashKey, Shards!.find((s) => s.ShardId === 'shardId-000000000001')!.HashKeyRange!.EndingHashKey);
    const parent = await readShardToEnd(t.client, 'merge', 'shardId-000000000000');
    assert.deepEqual(recordTexts(parent.records), ['left']);
    assert.deepEqual(parent.childShards, [{
      ShardId: 'shardId-000000000003',
      ParentShards: ['shardId-000000000001', 'shardId-000000000000'],
      HashKeyRange: child.HashKeyRange,
    }]);
    const open = await t.client.send(new ListShardsCommand({ StreamName: 'merge', ShardFilter: { Type: 'AT_LATEST' } }));
    assert.deepEqual(open.Shards!.map((s) => s.ShardId), ['shardId-000000000002', 'shardId-000000000003']);
  });

  it('UpdateShardCount scales uniformly within AWS bounds', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'scale', ShardCount: 2 }));
    const reply = await t.client.send(new UpdateShardCountCommand({ StreamName: 'scale', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
    assert.equal(reply.CurrentShardCount, 2);
    assert.equal(reply.TargetShardCount, 4);
    assert.equal(reply.StreamName, 'scale');
    const open = await t.client.send(new ListShardsCommand({ StreamName: 'scale', ShardFilter: { Type: 'AT_LATEST' } }));
    const width = (1n << 128n) / 4n;
    assert.deepEqual(open.Shards!.map((s) => s.HashKeyRange!.StartingHashKey), ['0', width.toString(), (2n * width).toString(), (3n * width).toString()]);
    await assertAwsError(
      t.client.send(new UpdateShardCountCommand({ StreamName: 'scale', TargetShardCount: 9, ScalingType: 'UNIFORM_SCALING' })),
      'LimitExceededException',
    );
    await assertAwsError(
      t.client.send(new UpdateShardCountCommand({ StreamName: 'scale', TargetShardCount: 1, ScalingType: 'UNIFORM_SCALING' })),
      'LimitExceededException',
    );
    await t.client.send(new UpdateShardCountCommand({ StreamName: 'scale', TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
    const three = await t.client.send(new ListShardsCommand({ StreamName: 'scale', ShardFilter: { Type: 'AT_LATEST' } }));
    const third = (1n << 128n) / 3n;
    assert.deepEqual(three.Shards!.map((s) => [s.HashKeyRange!.StartingHashKey, s.HashKeyRange!.EndingHashKey]), [
      ['0', (third - 1n).toString()],
      [third.toString(), (2n * third - 1n).toString()],
      [(2n * third).toString(), ((1n << 128n) - 1n).toString()],
    ]);
  });

  it('refuses resharding an ON_DEMAND stream with ValidationException', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    await assertAwsError(
      t.client.send(new UpdateShardCountCommand({ StreamName: 'od', TargetShardCount: 5, ScalingType: 'UNIFORM_SCALING' })),
      'ValidationException',
    );
  });
});

describe('resharding with state delays', () => {
  it('goes UPDATING then ACTIVE, and refuses a second reshard meanwhile', async (t) => {
    const { client } = await startKinesisServer(t, { updateStreamMs: 200 });
    await client.send(new CreateStreamCommand({ StreamName: 'slow', ShardCount: 2 }));
    await client.send(new SplitShardCommand({ StreamName: 'slow', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '12345' }));
    const during = await client.send(new DescribeStreamCommand({ StreamName: 'slow' }));
    assert.equal(during.StreamDescription!.StreamStatus, 'UPDATING');
    await assertAwsError(
      client.send(new MergeShardsCommand({ StreamName: 'slow', ShardToMerge: 'shardId-000000000002', AdjacentShardToMerge: 'shardId-000000000003' })),
      'ResourceInUseException',
      `Stream slow under account ${ACCOUNT} not ACTIVE, instead in state UPDATING`,
    );
    await client.send(new PutRecordCommand({ StreamName: 'slow', PartitionKey: 'x', Data: Buffer.from('during') }));
    for (let i = 0; i < 50; i++) {
      const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: 'slow' }));
      if (StreamDescription!.StreamStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail('stream never became ACTIVE');
  });
});
