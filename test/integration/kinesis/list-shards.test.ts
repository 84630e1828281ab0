import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeStreamSummaryCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

const ids = (shards: { ShardId?: string }[] | undefined) => shards?.map((shard) => shard.ShardId);

describe('ListShards', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t = useServer({}, { clock });

  describe('validations', () => {
    it('needs either NextToken or StreamName, not both', async () => {
      await assertAwsError(t.client.send(new ListShardsCommand({})), 'InvalidArgumentException', 'Either NextToken or StreamName should be provided.');
      await assertAwsError(t.client.send(new ListShardsCommand({ StreamName: 'a', NextToken: 'b' })), 'InvalidArgumentException', 'NextToken and StreamName cannot be provided together.');
    });

    it('answers ResourceNotFound for a missing stream', async () => {
      const StreamName = t.name('missing');
      await assertAwsError(t.client.send(new ListShardsCommand({ StreamName })), 'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
    });

    it('expires a NextToken after 300 seconds', async () => {
      const StreamName = await t.createStream({ ShardCount: 2 });
      const { NextToken } = await t.client.send(new ListShardsCommand({ StreamName, MaxResults: 1 }));
      clock.advance(300_001);
      await assertAwsError(t.client.send(new ListShardsCommand({ NextToken })), 'ExpiredNextTokenException');
    });

    it('refuses a NextToken it did not issue', async () => {
      await assertAwsError(t.client.send(new ListShardsCommand({ NextToken: 'bm90IGEgdG9rZW4gYXQgYWxs' })), 'InvalidArgumentException');
    });
  });

  describe('functionality', () => {
    it('pages with MaxResults and NextToken', async () => {
      const StreamName = await t.createStream({ ShardCount: 5 });
      const first = await t.client.send(new ListShardsCommand({ StreamName, MaxResults: 2 }));
      assert.deepEqual(ids(first.Shards), ['shardId-000000000000', 'shardId-000000000001']);
      const second = await t.client.send(new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 2 }));
      assert.deepEqual(ids(second.Shards), ['shardId-000000000002', 'shardId-000000000003']);
      const third = await t.client.send(new ListShardsCommand({ NextToken: second.NextToken }));
      assert.deepEqual(ids(third.Shards), ['shardId-000000000004']);
      assert.equal(third.NextToken, undefined);
    });

    it('starts after ExclusiveStartShardId', async () => {
      const StreamName = await t.createStream({ ShardCount: 3 });
      const result = await t.client.send(new ListShardsCommand({ StreamName, ExclusiveStartShardId: 'shardId-000000000000' }));
      assert.deepEqual(ids(result.Shards), ['shardId-000000000001', 'shardId-000000000002']);
    });

    it('applies every ShardFilter type to open shards', async () => {
      const StreamName = await t.createStream({ ShardCount: 3 });
      const all = ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002'];
      for (const Type of ['AT_TRIM_HORIZON', 'FROM_TRIM_HORIZON', 'AT_LATEST'] as const) {
        assert.deepEqual(ids((await t.client.send(new ListShardsCommand({ StreamName, ShardFilter: { Type } }))).Shards), all, Type);
      }
      for (const Type of ['AT_TIMESTAMP', 'FROM_TIMESTAMP'] as const) {
        assert.deepEqual(ids((await t.client.send(new ListShardsCommand({ StreamName, ShardFilter: { Type, Timestamp: new Date(clock.now() - 1000) } }))).Shards), all, Type);
      }
      const after = await t.client.send(new ListShardsCommand({ StreamName, ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000001' } }));
      assert.deepEqual(ids(after.Shards), ['shardId-000000000002']);
    });

    it('keeps the filter across pages', async () => {
      const StreamName = await t.createStream({ ShardCount: 4 });
      const first = await t.client.send(new ListShardsCommand({ StreamName, MaxResults: 1, ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000001' } }));
      assert.deepEqual(ids(first.Shards), ['shardId-000000000002']);
      const second = await t.client.send(new ListShardsCommand({ NextToken: first.NextToken }));
      assert.deepEqual(ids(second.Shards), ['shardId-000000000003']);
    });

    it('checks StreamCreationTimestamp against the stream', async () => {
      const StreamName = await t.createStream();
      const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName }));
      const created = summary.StreamDescriptionSummary!.StreamCreationTimestamp!;
      const ok = await t.client.send(new ListShardsCommand({ StreamName, StreamCreationTimestamp: created }));
      assert.equal(ok.Shards?.length, 1);
      await assertAwsError(t.client.send(new ListShardsCommand({ StreamName, StreamCreationTimestamp: new Date(created.getTime() - 60_000) })), 'ResourceNotFoundException');
    });

    it('accepts a StreamARN', async () => {
      const StreamName = await t.createStream({ ShardCount: 2 });
      assert.equal((await t.client.send(new ListShardsCommand({ StreamARN: t.arn(StreamName) }))).Shards?.length, 2);
    });
  });
});
