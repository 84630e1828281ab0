import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeAccountSettingsCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  UpdateAccountSettingsCommand,
  UpdateStreamWarmThroughputCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { useKinesisServer } from '../../helpers/server.js';

const HASH_SPACE = 1n << 128n;

describe('on-demand scaling with an injected clock', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let commitmentStartedMs = 0;
  const t = useKinesisServer({}, { clock });

  before(async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'auto', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
  });

  async function openShards(): Promise<Shard[]> {
    const { Shards } = await t.client.send(new ListShardsCommand({ StreamName: 'auto', ShardFilter: { Type: 'AT_LATEST' } }));
    return Shards!;
  }

  /** Scaling runs right after the write that makes it due; wait for its commit. */
  async function waitForOpenShards(count: number): Promise<Shard[]> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const open = await openShards();
      if (open.length === count) return open;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.fail(`stream never reached ${count} open shards (has ${(await openShards()).length})`);
  }

  async function nudge(): Promise<void> {
    await t.client.send(new PutRecordCommand({ StreamName: 'auto', PartitionKey: 'nudge', ExplicitHashKey: (HASH_SPACE - 1n).toString(), Data: Buffer.from('.') }));
  }

  it('splits a shard written near its capacity', async () => {
    assert.equal((await openShards()).length, 4);
    const records = Array.from({ length: 500 }, () => ({ PartitionKey: 'hot', ExplicitHashKey: '0', Data: Buffer.from('x') }));
    for (let i = 0; i < 20; i++) await t.client.send(new PutRecordsCommand({ StreamName: 'auto', Records: records }));
    clock.advance(10_000);
    await nudge();
    const open = await waitForOpenShards(5);
    const quarter = HASH_SPACE / 4n;
    const children = open.filter((shard) => shard.ParentShardId === 'shardId-000000000000');
    assert.deepEqual(children.map((s) => [s.HashKeyRange!.StartingHashKey, s.HashKeyRange!.EndingHashKey]), [
      ['0', (quarter / 2n - 1n).toString()],
      [(quarter / 2n).toString(), (quarter - 1n).toString()],
    ]);
  });

  it('merges the coldest adjacent pair when idle, but not below 4 shards', async () => {
    clock.advance(10_000);
    await nudge();
    const open = await waitForOpenShards(4);
    assert.ok(open.some((shard) => shard.AdjacentParentShardId !== undefined), 'a merge child is open');
    clock.advance(10_000);
    await nudge();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal((await openShards()).length, 4);
  });

  it('UpdateStreamWarmThroughput needs the account commitment, then raises the floor', async () => {
    await assert.rejects(t.client.send(new UpdateStreamWarmThroughputCommand({ StreamName: 'auto', WarmThroughputMiBps: 6 })), { name: 'ValidationException' });
    const enabled = await t.client.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }));
    assert.equal(enabled.MinimumThroughputBillingCommitment!.Status, 'ENABLED');
    commitmentStartedMs = clock.now();
    assert.equal(enabled.MinimumThroughputBillingCommitment!.StartedAt!.getTime(), commitmentStartedMs);
    const warm = await t.client.send(new UpdateStreamWarmThroughputCommand({ StreamName: 'auto', WarmThroughputMiBps: 6 }));
    assert.deepEqual(warm.WarmThroughput, { TargetMiBps: 6, CurrentMiBps: 0 });
    clock.advance(10_000);
    await nudge();
    await waitForOpenShards(6);
    const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName: 'auto' }));
    assert.equal(summary.StreamDescriptionSummary!.OpenShardCount, 6);
    assert.equal(summary.StreamDescriptionSummary!.WarmThroughput!.TargetMiBps, 6);
  });

  it('account commitment ends no earlier than 24 hours after it started', async () => {
    const early = await t.client.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'DISABLED' } }));
    assert.equal(early.MinimumThroughputBillingCommitment!.Status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END');
    assert.equal(early.MinimumThroughputBillingCommitment!.EarliestAllowedEndAt!.getTime(), commitmentStartedMs + 86_400_000);
    clock.advance(86_400_000);
    const later = await t.client.send(new DescribeAccountSettingsCommand({}));
    assert.equal(later.MinimumThroughputBillingCommitment!.Status, 'DISABLED');
  });
});
