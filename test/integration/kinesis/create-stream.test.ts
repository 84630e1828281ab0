import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  ListTagsForStreamCommand,
} from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

describe('CreateStream', () => {
  const t = useServer({ shardLimit: 40 });

  describe('validations', () => {
    it('refuses a name outside the pattern', async () => {
      await assertAwsError(t.client.send(new CreateStreamCommand({ StreamName: 'bad name!', ShardCount: 1 })), 'ValidationException',
        /Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+/);
    });

    it('refuses a shard count below 1', async () => {
      await assertAwsError(t.client.send(new CreateStreamCommand({ StreamName: t.name(), ShardCount: 0 })), 'ValidationException',
        /Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1/);
    });

    it('refuses an existing name', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 })), 'ResourceInUseException',
        `Stream ${StreamName} under account ${ACCOUNT} already exists.`);
    });

    it('refuses to go past the shard limit', async () => {
      await assertAwsError(t.client.send(new CreateStreamCommand({ StreamName: t.name(), ShardCount: 41 })), 'LimitExceededException',
        /^This request would exceed the shard limit for the account 000000000000 in us-east-1\. Current shard count for the account: \d+\. Limit: 40\. Number of additional shards that would have resulted from this request: 41\. Refer to the AWS Service Limits page/);
    });

    it('refuses tags with invalid characters', async () => {
      await assertAwsError(t.client.send(new CreateStreamCommand({ StreamName: t.name(), ShardCount: 1, Tags: { 'a*': 'b' } })), 'InvalidArgumentException',
        'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.');
    });

    it('refuses more than 50 tags', async () => {
      const StreamName = t.name();
      const Tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      await assertAwsError(t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1, Tags })), 'InvalidArgumentException',
        `Failed to add tags to stream ${StreamName} under account ${ACCOUNT} because a given stream cannot have more than 10 tags associated with it.`);
    });
  });

  describe('functionality', () => {
    it('creates a provisioned stream with evenly split shards', async () => {
      const StreamName = await t.createStream({ ShardCount: 3 });
      const { StreamDescription: d } = await t.client.send(new DescribeStreamCommand({ StreamName }));
      assert.equal(d?.StreamModeDetails?.StreamMode, 'PROVISIONED');
      assert.equal(d?.RetentionPeriodHours, 24);
      assert.deepEqual(d?.Shards?.map((shard) => shard.HashKeyRange), [
        { StartingHashKey: '0', EndingHashKey: '113427455640312821154458202477256070484' },
        { StartingHashKey: '113427455640312821154458202477256070485', EndingHashKey: '226854911280625642308916404954512140969' },
        { StartingHashKey: '226854911280625642308916404954512140970', EndingHashKey: '340282366920938463463374607431768211455' },
      ]);
      assert.match(d!.Shards![0]!.SequenceNumberRange!.StartingSequenceNumber!, /^\d{56}$/);
      assert.equal(d!.Shards![0]!.SequenceNumberRange!.EndingSequenceNumber, undefined);
    });

    it('gives ON_DEMAND streams 4 shards, also when neither a count nor a mode is given', async () => {
      const plain = t.name();
      await t.client.send(new CreateStreamCommand({ StreamName: plain }));
      const onDemand = await t.createStream({ ShardCount: undefined, StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
      for (const StreamName of [plain, onDemand]) {
        const { StreamDescriptionSummary: s } = await t.client.send(new DescribeStreamSummaryCommand({ StreamName }));
        assert.equal(s?.OpenShardCount, 4);
        assert.equal(s?.StreamModeDetails?.StreamMode, 'ON_DEMAND');
      }
    });

    it('needs a ShardCount for an explicitly PROVISIONED stream', async () => {
      await assertAwsError(t.client.send(new CreateStreamCommand({ StreamName: t.name(), StreamModeDetails: { StreamMode: 'PROVISIONED' } })),
        'InvalidArgumentException', 'ShardCount must be specified for a stream in PROVISIONED mode.');
    });

    it('keeps tags and the max record size given at creation', async () => {
      const StreamName = await t.createStream({ Tags: { team: 'data', env: 'test' }, MaxRecordSizeInKiB: 2048 });
      const tags = await t.client.send(new ListTagsForStreamCommand({ StreamName }));
      assert.deepEqual(tags.Tags, [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'data' }]);
      const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName }));
      assert.equal(summary.StreamDescriptionSummary?.MaxRecordSizeInKiB, 2048);
    });
  });
});

describe('CreateStream with state delays', () => {
  const t = useServer({ createStreamMs: 50 });

  it('is CREATING until the delay passes, then ACTIVE', async () => {
    const StreamName = t.name();
    await t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const first = await t.client.send(new DescribeStreamSummaryCommand({ StreamName }));
    assert.equal(first.StreamDescriptionSummary?.StreamStatus, 'CREATING');
    let status: string | undefined = first.StreamDescriptionSummary?.StreamStatus;
    while (status === 'CREATING') {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = (await t.client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary?.StreamStatus;
    }
    assert.equal(status, 'ACTIVE');
  });
});
