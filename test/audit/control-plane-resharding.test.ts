/**
 * Audit of issue 3, resharding: the UpdateShardCount bounds around 10,000 shards per stream
 * (AWS: "Scale up to more than 10000 shards in a stream" and "Scale a stream with more than 10000
 * shards down unless the result is less than 10000 shards" are refused), and a parent's end,
 * children and ids across a split followed by a merge of its children.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { readShardToEnd, recordTexts } from '../helpers/kinesis.js';
import { useKinesisServer } from '../helpers/server.js';

const HALF = (1n << 127n).toString();

describe('audit: UpdateShardCount around 10,000 shards per stream', () => {
  const t = useKinesisServer({ shardLimit: 40_000 });

  const scale = (StreamName: string, TargetShardCount: number) =>
    t.client.send(new UpdateShardCountCommand({ StreamName, TargetShardCount, ScalingType: 'UNIFORM_SCALING' }));

  it('refuses scaling up past 10,000 shards', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'up', ShardCount: 5001 }));
    await assert.rejects(scale('up', 10_001), { name: 'LimitExceededException', message: /at most 10000 shards/ });
    const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName: 'up' }));
    assert.equal(summary.StreamDescriptionSummary?.OpenShardCount, 5001);
  });

  it('scales a stream above 10,000 shards down only to fewer than 10,000', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'down', ShardCount: 10_002 }));
    await assert.rejects(scale('down', 10_001), { name: 'LimitExceededException', message: /at most 10000 shards/ });
    await assert.rejects(scale('down', 10_000), { name: 'LimitExceededException', message: /at most 10000 shards/ });
    const unchanged = await t.client.send(new DescribeStreamSummaryCommand({ StreamName: 'down' }));
    assert.equal(unchanged.StreamDescriptionSummary?.OpenShardCount, 10_002);

    const reply = await scale('down', 9_999);
    assert.deepEqual([reply.CurrentShardCount, reply.TargetShardCount], [10_002, 9_999]);
    const scaled = await t.client.send(new DescribeStreamSummaryCommand({ StreamName: 'down' }));
    assert.equal(scaled.StreamDescriptionSummary?.OpenShardCount, 9_999);
  });
});

describe('audit: split, then merge of the children', () => {
  const t = useKinesisServer();

  it('closes each parent above its last record, ends it with ChildShards, and keeps counting shard ids', async () => {
    const StreamName = 'lineage';
    await t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const put = (data: string, ExplicitHashKey: string) =>
      t.client.send(new PutRecordCommand({ StreamName, Data: Buffer.from(data), PartitionKey: 'k', ExplicitHashKey }));

    const beforeSplit = await put('p0', '1');
    await t.client.send(new SplitShardCommand({ StreamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF }));
    const low = await put('low', '1');
    const high = await put('high', HALF);
    assert.deepEqual([low.ShardId, high.ShardId], ['shardId-000000000001', 'shardId-000000000002']);
    await t.client.send(new MergeShardsCommand({ StreamName, ShardToMerge: 'shardId-000000000002', AdjacentShardToMerge: 'shardId-000000000001' }));
    const merged = await put('merged', '1');
    assert.equal(merged.ShardId, 'shardId-000000000003');

    const shards = (await t.client.send(new ListShardsCommand({ StreamName }))).Shards!;
    assert.deepEqual(shards.map((shard) => shard.ShardId), [0, 1, 2, 3].map((i) => `shardId-00000000000${i}`));
    const ending = (id: string) => BigInt(shards.find((shard) => shard.ShardId === id)!.SequenceNumberRange!.EndingSequenceNumber!);
    assert.ok(ending('shardId-000000000000') >= BigInt(beforeSplit.SequenceNumber!));
    assert.ok(ending('shardId-000000000001') >= BigInt(low.SequenceNumber!));
    assert.ok(ending('shardId-000000000002') >= BigInt(high.SequenceNumber!));
    assert.equal(shards[3]!.SequenceNumberRange!.EndingSequenceNumber, undefined);
    assert.equal(shards[3]!.ParentShardId, 'shardId-000000000002');
    assert.equal(shards[3]!.AdjacentParentShardId, 'shardId-000000000001');

    const parent = await readShardToEnd(t.client, StreamName, 'shardId-000000000000');
    assert.equal(parent.closed, true);
    assert.deepEqual(recordTexts(parent.records), ['p0']);
    assert.deepEqual(parent.childShards?.map((child) => [child.ShardId, child.ParentShards]), [
      ['shardId-000000000001', ['shardId-000000000000']],
      ['shardId-000000000002', ['shardId-000000000000']],
    ]);
    for (const [child, record] of [['shardId-000000000001', 'low'], ['shardId-000000000002', 'high']] as const) {
      const ended = await readShardToEnd(t.client, StreamName, child);
      assert.equal(ended.closed, true);
      assert.deepEqual(recordTexts(ended.records), [record]);
      assert.equal(ended.childShards?.length, 1);
      assert.equal(ended.childShards![0]!.ShardId, 'shardId-000000000003');
      assert.deepEqual([...ended.childShards![0]!.ParentShards!].sort(), ['shardId-000000000001', 'shardId-000000000002']);
      assert.deepEqual(ended.childShards![0]!.HashKeyRange, { StartingHashKey: '0', EndingHashKey: ((1n << 128n) - 1n).toString() });
    }
  });
});
