import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeStreamCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

describe('DescribeStream', () => {
  const t = useServer();

  describe('validations', () => {
    it('answers ResourceNotFound for a missing stream', async () => {
      const StreamName = t.name('missing');
      await assertAwsError(t.client.send(new DescribeStreamCommand({ StreamName })), 'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
    });

    it('refuses a Limit above 10000', async () => {
      await assertAwsError(t.client.send(new DescribeStreamCommand({ StreamName: 'x', Limit: 10001 })), 'ValidationException', /Member must have value less than or equal to 10000/);
    });
  });

  describe('functionality', () => {
    it('describes the stream', async () => {
      const StreamName = await t.createStream({ ShardCount: 2 });
      const { StreamDescription: d } = await t.client.send(new DescribeStreamCommand({ StreamName }));
      assert.equal(d?.StreamName, StreamName);
      assert.equal(d?.StreamARN, t.arn(StreamName));
      assert.equal(d?.StreamStatus, 'ACTIVE');
      assert.equal(d?.RetentionPeriodHours, 24);
      assert.equal(d?.EncryptionType, 'NONE');
      assert.deepEqual(d?.EnhancedMonitoring, [{ ShardLevelMetrics: [] }]);
      assert.equal(d?.HasMoreShards, false);
      assert.ok(d?.StreamCreationTimestamp instanceof Date);
      assert.deepEqual(d?.Shards?.map((shard) => shard.ShardId), ['shardId-000000000000', 'shardId-000000000001']);
    });

    it('pages shards with Limit and ExclusiveStartShardId', async () => {
      const StreamName = await t.createStream({ ShardCount: 5 });
      const first = await t.client.send(new DescribeStreamCommand({ StreamName, Limit: 2 }));
      assert.deepEqual(first.StreamDescription?.Shards?.map((shard) => shard.ShardId), ['shardId-000000000000', 'shardId-000000000001']);
      assert.equal(first.StreamDescription?.HasMoreShards, true);
      const rest = await t.client.send(new DescribeStreamCommand({ StreamName, ExclusiveStartShardId: 'shardId-000000000001' }));
      assert.deepEqual(rest.StreamDescription?.Shards?.map((shard) => shard.ShardId), ['shardId-000000000002', 'shardId-000000000003', 'shardId-000000000004']);
      assert.equal(rest.StreamDescription?.HasMoreShards, false);
    });

    it('returns at most 100 shards', async () => {
      const StreamName = await t.createStream({ ShardCount: 101 });
      const { StreamDescription: d } = await t.client.send(new DescribeStreamCommand({ StreamName, Limit: 1000 }));
      assert.equal(d?.Shards?.length, 100);
      assert.equal(d?.HasMoreShards, true);
    });

    it('accepts a StreamARN, and refuses one whose name disagrees with StreamName', async () => {
      const StreamName = await t.createStream();
      const byArn = await t.client.send(new DescribeStreamCommand({ StreamARN: t.arn(StreamName) }));
      assert.equal(byArn.StreamDescription?.StreamName, StreamName);
      await assertAwsError(t.client.send(new DescribeStreamCommand({ StreamName: 'other', StreamARN: t.arn(StreamName) })), 'InvalidArgumentException');
    });
  });
});
