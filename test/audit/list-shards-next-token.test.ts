/**
 * ListShards: a NextToken names the stream, the start and the filter, so AWS refuses it beside any
 * of them and names the member that conflicts (messages seen from AWS in client bug reports).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListShardsCommand } from '@aws-sdk/client-kinesis';
import { assertAwsError, useServer } from '../integration/kinesis/helpers.js';

describe('ListShards NextToken beside other members', () => {
  const t = useServer();

  async function firstPageToken(): Promise<{ StreamName: string; NextToken: string }> {
    const StreamName = await t.createStream({ ShardCount: 3 });
    const { NextToken } = await t.client.send(new ListShardsCommand({ StreamName, MaxResults: 1 }));
    assert.ok(NextToken);
    return { StreamName, NextToken };
  }

  it('names StreamARN when the ARN comes with a NextToken', async () => {
    const { StreamName, NextToken } = await firstPageToken();
    await assertAwsError(t.client.send(new ListShardsCommand({ NextToken, StreamARN: t.arn(StreamName) })),
      'InvalidArgumentException', 'NextToken and StreamARN cannot be provided together.');
  });

  it('refuses ExclusiveStartShardId with a NextToken', async () => {
    const { NextToken } = await firstPageToken();
    await assertAwsError(t.client.send(new ListShardsCommand({ NextToken, ExclusiveStartShardId: 'shardId-000000000000' })),
      'InvalidArgumentException', 'NextToken and ExclusiveStartShardId cannot be provided together.');
  });

  it('refuses a ShardFilter with a NextToken', async () => {
    const { NextToken } = await firstPageToken();
    await assertAwsError(t.client.send(new ListShardsCommand({ NextToken, ShardFilter: { Type: 'AT_LATEST' } })),
      'InvalidArgumentException', 'NextToken and ShardFilter cannot be provided together.');
  });

  it('still pages with a NextToken and MaxResults alone', async () => {
    const { NextToken } = await firstPageToken();
    const second = await t.client.send(new ListShardsCommand({ NextToken, MaxResults: 1 }));
    assert.deepEqual(second.Shards?.map((shard) => shard.ShardId), ['shardId-000000000001']);
    const third = await t.client.send(new ListShardsCommand({ NextToken: second.NextToken }));
    assert.deepEqual(third.Shards?.map((shard) => shard.ShardId), ['shardId-000000000002']);
    assert.equal(third.NextToken, undefined);
  });
});
