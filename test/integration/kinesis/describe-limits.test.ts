import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeLimitsCommand } from '@aws-sdk/client-kinesis';
import { useServer } from './helpers.js';

describe('DescribeLimits', () => {
  const t = useServer({ shardLimit: 30, onDemandStreamCountLimit: 7 });

  it('reports the limits and the open shards and on-demand streams counted against them', async () => {
    const before = await t.client.send(new DescribeLimitsCommand({}));
    assert.deepEqual([before.ShardLimit, before.OpenShardCount, before.OnDemandStreamCount, before.OnDemandStreamCountLimit], [30, 0, 0, 7]);
    await t.createStream({ ShardCount: 3 });
    await t.createStream({ ShardCount: undefined, StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    const after = await t.client.send(new DescribeLimitsCommand({}));
    assert.deepEqual([after.OpenShardCount, after.OnDemandStreamCount], [7, 1]);
  });
});
