import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CreateChannelCommand,
  CreateStreamCommand,
  DeleteChannelCommand,
  DescribeChannelCommand,
  DescribeStreamSummaryCommand,
  ListChannelsCommand,
  UpdateChannelCommand,
  type CreateChannelCommandInput,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { useKinesisServer } from '../../helpers/server.js';

const ACCOUNT = '000000000000';
const STREAM_ARN = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/source`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/channel-role`;

function s3Channel(name: string, overrides: Partial<CreateChannelCommandInput> = {}): CreateChannelCommandInput {
  return {
    ChannelName: name,
    ServiceExecutionRoleARN: ROLE,
    StreamConfigurationList: [{ StreamARN: STREAM_ARN, RecordConfiguration: { RecordFormatType: 'JSON' } }],
    S3DestinationConfiguration: {
      StorageConfiguration: { BucketARN: 'arn:aws:s3:::bucket', ExpectedBucketOwner: ACCOUNT, CompressionType: 'GZIP' },
    },
    ...overrides,
  };
}

describe('channel operations (control plane)', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t = useKinesisServer({ createStreamMs: 1000, updateStreamMs: 1000, deleteStreamMs: 1000 }, { clock });

  before(async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'source', ShardCount: 1 }));
    await t.client.send(new CreateStreamCommand({ StreamName: 'other', ShardCount: 1 }));
  });

  it('creates, describes, updates, lists and deletes a channel through its statuses', async () => {
    const created = (await t.client.send(new CreateChannelCommand(s3Channel('logs')))).ChannelDescription!;
    assert.equal(created.ChannelName, 'logs');
    assert.equal(created.ChannelStatus, 'CREATING');
    assert.equal(created.ChannelARN, `arn:aws:kinesis:us-east-1:${ACCOUNT}:channel/logs`);
    assert.match(created.ChannelId!, /^[0-9a-f]{20}$/);
    assert.equal(created.S3DestinationConfiguration!.DataFreshnessInSeconds, 300);
    assert.equal(created.StreamConfigurationList![0]!.StreamARN, STREAM_ARN);
    assert.deepEqual(created.LoggingConfiguration, { CloudWatchLogs: { Enabled: false } });

    await assert.rejects(t.client.send(new UpdateChannelCommand({ ChannelARN: created.ChannelARN, S3DestinationConfiguration: { DataFreshnessInSeconds: 60 } })), {
      name: 'ResourceInUseException',
    });
    clock.advance(1000);
    const active = (await t.client.send(new DescribeChannelCommand({ ChannelARN: created.ChannelARN }))).ChannelDescription!;
    assert.equal(active.ChannelStatus, 'ACTIVE');

    const updated = (await t.client.send(new UpdateChannelCommand({ ChannelARN: created.ChannelARN, S3DestinationConfiguration: { DataFreshnessInSeconds: 60 } }))).ChannelDescription!;
    assert.equal(updated.ChannelStatus, 'UPDATING');
    assert.equal(updated.S3DestinationConfiguration!.DataFreshnessInSeconds, 60);
    await assert.rejects(t.client.send(new UpdateChannelCommand({ ChannelARN: created.ChannelARN, S3TablesDestinationConfiguration: { DataFreshnessInSeconds: 60 } })), {
      name: 'InvalidArgumentException',
    });

    await t.client.send(new CreateChannelCommand(s3Channel('alpha', { StreamConfigurationList: [{ StreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/other`, RecordConfiguration: { RecordFormatType: 'STRING' } }] })));
    const source = await t.client.send(new DescribeStreamSummaryCommand({ StreamName: 'source' }));
    assert.equal(source.StreamDescriptionSummary!.ChannelCount, 1);
    const all = await t.client.send(new ListChannelsCommand({}));
    assert.deepEqual(all.ChannelSummaries!.map((c) => [c.ChannelName, c.ChannelDestinationType]), [['alpha', 'S3'], ['logs', 'S3']]);
    const filtered = await t.client.send(new ListChannelsCommand({ StreamFilter: [{ StreamARN: STREAM_ARN }] }));
    assert.deepEqual(filtered.ChannelSummaries!.map((c) => c.ChannelName), ['logs']);
    const first = await t.client.send(new ListChannelsCommand({ MaxResults: 1 }));
    assert.deepEqual(first.ChannelSummaries!.map((c) => c.ChannelName), ['alpha']);
    const second = await t.client.send(new ListChannelsCommand({ MaxResults: 1, NextToken: first.NextToken }));
    assert.deepEqual(second.ChannelSummaries!.map((c) => c.ChannelName), ['logs']);
    assert.equal(second.NextToken, undefined);

    await t.client.send(new DeleteChannelCommand({ ChannelARN: created.ChannelARN }));
    assert.equal((await t.client.send(new DescribeChannelCommand({ ChannelARN: created.ChannelARN }))).ChannelDescription!.ChannelStatus, 'DELETING');
    clock.advance(1000);
    await assert.rejects(t.client.send(new DescribeChannelCommand({ ChannelARN: created.ChannelARN })), {
      name: 'ResourceNotFoundException',
      message: `Channel ${created.ChannelARN} under account ${ACCOUNT} not found.`,
    });
  });

  it('rejects invalid channels', async () => {
    await assert.rejects(t.client.send(new CreateChannelCommand(s3Channel('alpha'))), { name: 'ResourceInUseException', message: `Channel alpha under account ${ACCOUNT} already exists.` });
    await assert.rejects(t.client.send(new CreateChannelCommand(s3Channel('x', { ServiceExecutionRoleARN: 'not-a-role' }))), { name: 'InvalidArgumentException' });
    await assert.rejects(t.client.send(new CreateChannelCommand(s3Channel('x', { StreamConfigurationList: [{ StreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/missing`, RecordConfiguration: { RecordFormatType: 'JSON' } }] }))), {
      name: 'ResourceNotFoundException',
      message: `Stream missing under account ${ACCOUNT} not found.`,
    });
    await assert.rejects(t.client.send(new CreateChannelCommand(s3Channel('x', { StreamConfigurationList: [{ StreamARN: STREAM_ARN, RecordConfiguration: { RecordFormatType: 'GSR_JSON' } }] }))), {
      name: 'InvalidArgumentException',
      message: 'RecordFormatType GSR_JSON is not supported for S3 destinations.',
    });
    await assert.rejects(t.client.send(new CreateChannelCommand(s3Channel('x', { EncryptionConfiguration: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' } }))), { name: 'InvalidArgumentException' });
    await assert.rejects(t.client.send(new CreateChannelCommand(s3Channel('x', { EncryptionConfiguration: { EncryptionType: 'KMS', KeyId: 'bogus' } }))), { name: 'KMSNotFoundException' });
    await assert.rejects(t.client.send(new DescribeChannelCommand({ ChannelARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:channel/none` })), { name: 'ResourceNotFoundException' });
  });
});
