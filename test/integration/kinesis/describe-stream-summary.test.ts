import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

describe('DescribeStreamSummary', () => {
  const t = useServer();

  it('answers ResourceNotFound for a missing stream', async () => {
    const StreamName = t.name('missing');
    await assertAwsError(t.client.send(new DescribeStreamSummaryCommand({ StreamName })), 'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
  });

  it('summarises the stream without its shards', async () => {
    const StreamName = await t.createStream({ ShardCount: 3 });
    const { StreamDescriptionSummary: s } = await t.client.send(new DescribeStreamSummaryCommand({ StreamARN: t.arn(StreamName) }));
    assert.equal(s?.StreamName, StreamName);
    assert.equal(s?.StreamARN, t.arn(StreamName));
    assert.equal(s?.StreamStatus, 'ACTIVE');
    assert.equal(s?.OpenShardCount, 3);
    assert.equal(s?.ConsumerCount, 0);
    assert.equal(s?.RetentionPeriodHours, 24);
    assert.equal(s?.MaxRecordSizeInKiB, 1024);
    assert.equal(s?.EncryptionType, 'NONE');
    assert.equal(s?.StreamModeDetails?.StreamMode, 'PROVISIONED');
    assert.deepEqual(s?.EnhancedMonitoring, [{ ShardLevelMetrics: [] }]);
    assert.equal((s as unknown as Record<string, unknown>).Shards, undefined);
  });
});
