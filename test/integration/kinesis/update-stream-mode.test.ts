import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeStreamSummaryCommand, UpdateStreamModeCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

describe('UpdateStreamMode', () => {
  const t = useServer();

  it('refuses an unknown mode', async () => {
    const StreamName = await t.createStream();
    await assertAwsError(t.client.send(new UpdateStreamModeCommand({ StreamARN: t.arn(StreamName), StreamModeDetails: { StreamMode: 'FAST' as 'ON_DEMAND' } })),
      'ValidationException', /Member must satisfy enum value set/);
  });

  it('answers ResourceNotFound for a missing stream', async () => {
    const StreamName = t.name('missing');
    await assertAwsError(t.client.send(new UpdateStreamModeCommand({ StreamARN: t.arn(StreamName), StreamModeDetails: { StreamMode: 'ON_DEMAND' } })),
      'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
  });

  it('switches between provisioned and on-demand', async () => {
    const StreamName = await t.createStream({ ShardCount: 2 });
    const StreamARN = t.arn(StreamName);
    await t.client.send(new UpdateStreamModeCommand({ StreamARN, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    let summary = (await t.client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary;
    assert.equal(summary?.StreamModeDetails?.StreamMode, 'ON_DEMAND');
    assert.equal(summary?.OpenShardCount, 2);
    await t.client.send(new UpdateStreamModeCommand({ StreamARN, StreamModeDetails: { StreamMode: 'PROVISIONED' } }));
    summary = (await t.client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary;
    assert.equal(summary?.StreamModeDetails?.StreamMode, 'PROVISIONED');
  });
});

describe('UpdateStreamMode with an update delay', () => {
  const t = useServer({ updateStreamMs: 60_000 });

  it('leaves the stream UPDATING and refuses a second change meanwhile', async () => {
    const StreamName = await t.createStream();
    const StreamARN = t.arn(StreamName);
    await t.client.send(new UpdateStreamModeCommand({ StreamARN, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    const summary = (await t.client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary;
    assert.equal(summary?.StreamStatus, 'UPDATING');
    await assertAwsError(t.client.send(new UpdateStreamModeCommand({ StreamARN, StreamModeDetails: { StreamMode: 'PROVISIONED' } })), 'ResourceInUseException',
      `Stream ${StreamName} under account ${ACCOUNT} not ACTIVE, instead in state UPDATING`);
  });
});
