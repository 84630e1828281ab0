import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

describe('DeleteStream', () => {
  const t = useServer();

  it('answers ResourceNotFound for a missing stream', async () => {
    const StreamName = t.name('missing');
    await assertAwsError(t.client.send(new DeleteStreamCommand({ StreamName })), 'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
  });

  it('removes the stream and its records; the name can be reused', async () => {
    const StreamName = await t.createStream();
    await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'a', Data: Buffer.from('x') }));
    await t.client.send(new DeleteStreamCommand({ StreamARN: t.arn(StreamName), EnforceConsumerDeletion: true }));
    await assertAwsError(t.client.send(new DescribeStreamSummaryCommand({ StreamName })), 'ResourceNotFoundException');
    const { StreamNames } = await t.client.send(new ListStreamsCommand({}));
    assert.ok(!StreamNames?.includes(StreamName));
    await t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName }));
    assert.equal(summary.StreamDescriptionSummary?.StreamStatus, 'ACTIVE');
  });
});

describe('DeleteStream with state delays', () => {
  const t = useServer({ createStreamMs: 60_000, deleteStreamMs: 60_000 });

  it('refuses a CREATING stream', async () => {
    const creating = t.name();
    await t.client.send(new CreateStreamCommand({ StreamName: creating, ShardCount: 1 }));
    await assertAwsError(t.client.send(new DeleteStreamCommand({ StreamName: creating })), 'ResourceInUseException',
      `Attempt to change a resource which is still in use: Stream is being created: ${creating}`);
  });
});

describe('DeleteStream with a delete delay', () => {
  const t = useServer({ deleteStreamMs: 60_000 });

  it('shows DELETING until the delay passes and keeps the name taken', async () => {
    const StreamName = await t.createStream();
    await t.client.send(new DeleteStreamCommand({ StreamName }));
    const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName }));
    assert.equal(summary.StreamDescriptionSummary?.StreamStatus, 'DELETING');
    await assertAwsError(t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 })), 'ResourceInUseException', `Stream ${StreamName} under account ${ACCOUNT} already exists.`);
    await assertAwsError(t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'a', Data: Buffer.from('x') })), 'ResourceNotFoundException');
  });
});
