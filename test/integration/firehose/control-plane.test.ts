/** Firehose control plane through @aws-sdk/client-firehose: create (incl. the AWS CLI guide's
 * example input), describe, list, update, tags, encryption, lifecycle and their errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  ListDeliveryStreamsCommand,
  ListTagsForDeliveryStreamCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  StartDeliveryStreamEncryptionCommand,
  StopDeliveryStreamEncryptionCommand,
  TagDeliveryStreamCommand,
  UntagDeliveryStreamCommand,
  UpdateDestinationCommand,
  type CreateDeliveryStreamCommandInput,
} from '@aws-sdk/client-firehose';
import { ManualClock } from '../../../src/domain/clock.js';
import { assertAwsError } from '../../helpers/aws-error.js';
import { useFirehoseServer } from '../../helpers/server.js';
import { ROLE_ARN } from './helpers.js';

const ACCOUNT = '000000000000';

function s3Stream(name: string, extra: Partial<CreateDeliveryStreamCommandInput> = {}): CreateDeliveryStreamCommandInput {
  return {
    DeliveryStreamName: name,
    ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::bucket' },
    ...extra,
  };
}

describe('firehose control plane', () => {
  const t = useFirehoseServer();

  it('accepts the AWS CLI guide example (deprecated S3DestinationConfiguration) and describes it', async () => {
    const created = await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'logs-to-s3',
      S3DestinationConfiguration: {
        RoleARN: ROLE_ARN,
        BucketARN: 'arn:aws:s3:::my-log-bucket',
        Prefix: 'logs/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
        BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 300 },
        CompressionFormat: 'GZIP',
      },
    }));
    assert.equal(created.DeliveryStreamARN, `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/logs-to-s3`);

    const { DeliveryStreamDescription: d } = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'logs-to-s3' }));
    assert.equal(d?.DeliveryStreamName, 'logs-to-s3');
    assert.equal(d?.DeliveryStreamStatus, 'ACTIVE');
    assert.equal(d?.DeliveryStreamType, 'DirectPut');
    assert.equal(d?.VersionId, '1');
    assert.equal(d?.HasMoreDestinations, false);
    assert.deepEqual(d?.DeliveryStreamEncryptionConfiguration, { Status: 'DISABLED' });
    assert.ok(d?.CreateTimestamp instanceof Date);
    assert.equal(d?.Destinations?.length, 1);
    const destination = d!.Destinations![0]!;
    assert.equal(destination.DestinationId, 'destinationId-000000000001');
    const expected = {
      RoleARN: ROLE_ARN,
      BucketARN: 'arn:aws:s3:::my-log-bucket',
      Prefix: 'logs/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
      BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 300 },
      CompressionFormat: 'GZIP',
      EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
      CloudWatchLoggingOptions: { Enabled: false },
    };
    assert.deepEqual(destination.S3DestinationDescription, expected);
    assert.deepEqual(destination.ExtendedS3DestinationDescription, { ...expected, S3BackupMode: 'Disabled' });
  });

  it('fills AWS defaults for an ExtendedS3 destination', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('defaults')));
    const { DeliveryStreamDescription: d } = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'defaults' }));
    const extended = d!.Destinations![0]!.ExtendedS3DestinationDescription!;
    assert.deepEqual(extended.BufferingHints, { SizeInMBs: 5, IntervalInSeconds: 300 });
    assert.equal(extended.CompressionFormat, 'UNCOMPRESSED');
    assert.equal(extended.S3BackupMode, 'Disabled');
    assert.equal(d?.Source, undefined);

    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('hinted', { DirectPutSourceConfiguration: { ThroughputHintInMBs: 10 } })));
    const hinted = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'hinted' }));
    assert.deepEqual(hinted.DeliveryStreamDescription?.Source, { DirectPutSourceDescription: { ThroughputHintInMBs: 10 } });
  });

  it('refuses a second delivery stream with the same name', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('twice')));
    await assertAwsError(t.client.send(new CreateDeliveryStreamCommand(s3Stream('twice'))), 'ResourceInUseException', `Firehose twice under accountId ${ACCOUNT} already exists`);
  });

  it('needs exactly one destination', async () => {
    await assertAwsError(t.client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'none' })), 'InvalidArgumentException', 'Exactly one destination configuration is supported for a Firehose');
    await assertAwsError(t.client.send(new CreateDeliveryStreamCommand({
      ...s3Stream('two'),
      S3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::bucket' },
    })), 'InvalidArgumentException', 'Exactly one destination configuration is supported for a Firehose');
  });

  it('takes CompressionFormat casing as AWS does (Snappy, not SNAPPY)', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('snappy-ok', {
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::bucket', CompressionFormat: 'Snappy' },
    })));
    await assertAwsError(t.client.send(new CreateDeliveryStreamCommand(s3Stream('snappy-caps', {
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::bucket', CompressionFormat: 'SNAPPY' as 'Snappy' },
    }))), 'ValidationException', /Member must satisfy enum value set/);
  });

  it('applies the prefix rules', async () => {
    const withPrefix = (Prefix: string, ErrorOutputPrefix?: string) => t.client.send(new CreateDeliveryStreamCommand(s3Stream(`p${Math.random().toString(36).slice(2, 8)}`, {
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::bucket', Prefix, ErrorOutputPrefix },
    })));
    const rule = 'Ths supplied prefix(es) do not satisfy the following constraint: ';
    await assertAwsError(withPrefix('data/!{firehose:error-output-type}/', 'err/!{firehose:error-output-type}/'), 'InvalidArgumentException', `${rule}The Prefix cannot contain the expression !{firehose:error-output-type}`);
    await assertAwsError(withPrefix('data/!{unknown:x}/', 'err/!{firehose:error-output-type}/'), 'InvalidArgumentException', new RegExp(`^${escape(rule)}'unknown' is not a valid expression namespace`));
    await assertAwsError(withPrefix('data/!{timestamp:yyyy/', 'err/!{firehose:error-output-type}/'), 'InvalidArgumentException', new RegExp(`^${escape(rule)}The sequence '!\\{' can only appear`));
    await assertAwsError(withPrefix('data/!{timestamp:yyyy}/', 'err/!{timestamp:yyyy}/'), 'InvalidArgumentException', `${rule}ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions`);
    await assertAwsError(withPrefix('data/!{firehose:bogus}/', 'err/!{firehose:error-output-type}/'), 'InvalidArgumentException', new RegExp(`^${escape(rule)}'bogus' is not a valid value for the firehose namespace`));
    await assertAwsError(withPrefix(`${'a'.repeat(500)}!{timestamp:yyyy-MM-dd-HH}/`, 'err/!{firehose:error-output-type}/'), 'InvalidArgumentException', `${rule}The evaluated Prefix cannot be longer than 512 characters`);
    await withPrefix('data/!{timestamp:yyyy}/!{firehose:random-string}/', 'err/!{firehose:error-output-type}/!{timestamp:yyyy}/');
  });

  it('refuses what Runnel cannot deliver instead of ignoring it', async () => {
    await assertAwsError(t.client.send(new CreateDeliveryStreamCommand(s3Stream('lambda', {
      ExtendedS3DestinationConfiguration: {
        RoleARN: ROLE_ARN,
        BucketARN: 'arn:aws:s3:::bucket',
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: 'arn:aws:lambda:us-east-1:123456789012:function:f' }] }] },
      },
    }))), 'InvalidArgumentException', 'The Lambda processor is not supported by Runnel.');
  });

  it('reports a missing delivery stream as AWS does', async () => {
    await assertAwsError(t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'missing' })), 'ResourceNotFoundException', `Firehose missing under account ${ACCOUNT} not found.`);
    await assertAwsError(t.client.send(new PutRecordCommand({ DeliveryStreamName: 'missing', Record: { Data: Buffer.from('x') } })), 'ResourceNotFoundException', `Firehose missing under account ${ACCOUNT} not found.`);
  });

  it('lists delivery streams by name, in pages, filtered by type', async () => {
    for (const name of ['list-c', 'list-a', 'list-b']) await t.client.send(new CreateDeliveryStreamCommand(s3Stream(name)));
    const all = await t.client.send(new ListDeliveryStreamsCommand({ Limit: 10000 }));
    const names = all.DeliveryStreamNames!;
    assert.deepEqual(names, [...names].sort());
    assert.ok(['list-a', 'list-b', 'list-c'].every((name) => names.includes(name)));

    const first = await t.client.send(new ListDeliveryStreamsCommand({ Limit: 2, ExclusiveStartDeliveryStreamName: 'list-' }));
    assert.deepEqual(first.DeliveryStreamNames, ['list-a', 'list-b']);
    assert.equal(first.HasMoreDeliveryStreams, true);
    const second = await t.client.send(new ListDeliveryStreamsCommand({ Limit: 1, ExclusiveStartDeliveryStreamName: 'list-b' }));
    assert.deepEqual(second.DeliveryStreamNames, ['list-c']);

    const kinesisSourced = await t.client.send(new ListDeliveryStreamsCommand({ DeliveryStreamType: 'KinesisStreamAsSource' }));
    assert.deepEqual(kinesisSourced.DeliveryStreamNames, []);
    assert.equal(kinesisSourced.HasMoreDeliveryStreams, false);

    const defaultPage = await t.client.send(new ListDeliveryStreamsCommand({}));
    assert.ok(defaultPage.DeliveryStreamNames!.length <= 10);
  });

  it('updates the destination with version checks, merging members', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('update')));
    await assertAwsError(t.client.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'update',
      CurrentDeliveryStreamVersionId: '7',
      DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { Prefix: 'new/' },
    })), 'ConcurrentModificationException');
    await t.client.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'update',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { Prefix: 'new/', CompressionFormat: 'ZIP' },
    }));
    await t.client.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'update',
      CurrentDeliveryStreamVersionId: '2',
      DestinationId: 'destinationId-000000000001',
      S3DestinationUpdate: { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } },
    }));
    const { DeliveryStreamDescription: d } = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'update' }));
    assert.equal(d?.VersionId, '3');
    assert.ok(d?.LastUpdateTimestamp instanceof Date);
    const extended = d!.Destinations![0]!.ExtendedS3DestinationDescription!;
    assert.equal(extended.BucketARN, 'arn:aws:s3:::bucket');
    assert.equal(extended.Prefix, 'new/');
    assert.equal(extended.CompressionFormat, 'ZIP');
    assert.deepEqual(extended.BufferingHints, { SizeInMBs: 1, IntervalInSeconds: 0 });
  });

  it('replaces the destination when an update has another type, which must then be complete', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('switch')));
    const toHttp = (S3Update: { RoleARN?: string; BucketARN?: string } | undefined) => t.client.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'switch',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: 'destinationId-000000000001',
      HttpEndpointDestinationUpdate: { EndpointConfiguration: { Url: 'https://example.invalid/ingest' }, S3Update },
    }));
    await assertAwsError(toHttp(undefined), 'InvalidArgumentException', 'HttpEndpointDestinationConfiguration.S3Configuration must be specified when the destination type changes.');
    await assertAwsError(toHttp({ RoleARN: ROLE_ARN }), 'InvalidArgumentException', 'S3Configuration.BucketARN must be specified when the destination type changes.');
    await toHttp({ RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::backup' });
    const { DeliveryStreamDescription: d } = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'switch' }));
    const http = d!.Destinations![0]!.HttpEndpointDestinationDescription!;
    assert.equal(d!.Destinations![0]!.ExtendedS3DestinationDescription, undefined);
    assert.deepEqual(http.EndpointConfiguration, { Url: 'https://example.invalid/ingest' });
    assert.deepEqual(http.BufferingHints, { SizeInMBs: 5, IntervalInSeconds: 300 });
    assert.deepEqual(http.RetryOptions, { DurationInSeconds: 300 });
    assert.equal(http.S3BackupMode, 'FailedDataOnly');
    assert.deepEqual(http.RequestConfiguration, { ContentEncoding: 'NONE' });
    assert.equal(http.S3DestinationDescription?.BucketARN, 'arn:aws:s3:::backup');
  });

  it('pages destinations with ExclusiveStartDestinationId', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('destinations')));
    const after = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'destinations', ExclusiveStartDestinationId: 'destinationId-000000000001' }));
    assert.deepEqual(after.DeliveryStreamDescription?.Destinations, []);
    assert.equal(after.DeliveryStreamDescription?.HasMoreDestinations, false);
  });

  it('tags, lists tags in pages and untags', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('tagged', { Tags: [{ Key: 'team', Value: 'data' }] })));
    await t.client.send(new TagDeliveryStreamCommand({ DeliveryStreamName: 'tagged', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'platform' }] }));
    const page = await t.client.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'tagged', Limit: 1 }));
    assert.deepEqual(page.Tags, [{ Key: 'env', Value: 'dev' }]);
    assert.equal(page.HasMoreTags, true);
    const rest = await t.client.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'tagged', ExclusiveStartTagKey: 'env' }));
    assert.deepEqual(rest.Tags, [{ Key: 'team', Value: 'platform' }]);
    assert.equal(rest.HasMoreTags, false);
    await t.client.send(new UntagDeliveryStreamCommand({ DeliveryStreamName: 'tagged', TagKeys: ['team'] }));
    const left = await t.client.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'tagged' }));
    assert.deepEqual(left.Tags, [{ Key: 'env', Value: 'dev' }]);

    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await assertAwsError(t.client.send(new TagDeliveryStreamCommand({ DeliveryStreamName: 'tagged', Tags: fifty })), 'LimitExceededException');
  });

  it('applies concurrent tag requests one after the other', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('busy-tags')));
    await Promise.all(Array.from({ length: 10 }, (_, i) => t.client.send(new TagDeliveryStreamCommand({ DeliveryStreamName: 'busy-tags', Tags: [{ Key: `k${i}`, Value: String(i) }] }))));
    const { Tags } = await t.client.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'busy-tags' }));
    assert.equal(Tags?.length, 10);
  });

  it('starts and stops server-side encryption', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('encrypted')));
    await t.client.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: 'encrypted', DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' } }));
    const on = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'encrypted' }));
    assert.deepEqual(on.DeliveryStreamDescription?.DeliveryStreamEncryptionConfiguration, { KeyType: 'AWS_OWNED_CMK', Status: 'ENABLED' });
    const put = await t.client.send(new PutRecordCommand({ DeliveryStreamName: 'encrypted', Record: { Data: Buffer.from('x') } }));
    assert.equal(put.Encrypted, true);
    await assertAwsError(t.client.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: 'encrypted', DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' } })), 'InvalidArgumentException');
    await t.client.send(new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: 'encrypted' }));
    const off = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'encrypted' }));
    assert.deepEqual(off.DeliveryStreamDescription?.DeliveryStreamEncryptionConfiguration, { Status: 'DISABLED' });
  });

  it('returns a RecordId per record and refuses batches over 4 MiB', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('puts')));
    const single = await t.client.send(new PutRecordCommand({ DeliveryStreamName: 'puts', Record: { Data: Buffer.from('one') } }));
    assert.equal(single.Encrypted, false);
    assert.ok(single.RecordId && single.RecordId.length > 0);
    const batch = await t.client.send(new PutRecordBatchCommand({
      DeliveryStreamName: 'puts',
      Records: Array.from({ length: 5 }, (_, i) => ({ Data: Buffer.from(`r${i}`) })),
    }));
    assert.equal(batch.FailedPutCount, 0);
    assert.equal(batch.RequestResponses?.length, 5);
    const ids = new Set([single.RecordId, ...batch.RequestResponses!.map((entry) => entry.RecordId)]);
    assert.equal(ids.size, 6);

    const big = Buffer.alloc(1_000_000, 1);
    await assertAwsError(t.client.send(new PutRecordBatchCommand({
      DeliveryStreamName: 'puts',
      Records: Array.from({ length: 5 }, () => ({ Data: big })),
    })), 'InvalidArgumentException', 'Records size exceeds 4 MB limit');
    await assertAwsError(t.client.send(new PutRecordCommand({ DeliveryStreamName: 'puts', Record: { Data: Buffer.alloc(1_024_001) } })), 'ValidationException', /Member must have length less than or equal to 1024000/);
  });

  it('deletes a delivery stream', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('deleted')));
    await t.client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'deleted' }));
    await assertAwsError(t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'deleted' })), 'ResourceNotFoundException');
    await assertAwsError(t.client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'deleted' })), 'ResourceNotFoundException');
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('deleted')));
  });
});

describe('firehose lifecycle delays', () => {
  const t = useFirehoseServer({ firehoseCreateMs: 600_000, firehoseDeleteMs: 600_000 });

  it('is CREATING until the create delay passes: no puts, no delete', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('slow')));
    const { DeliveryStreamDescription: d } = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'slow' }));
    assert.equal(d?.DeliveryStreamStatus, 'CREATING');
    await assertAwsError(t.client.send(new PutRecordCommand({ DeliveryStreamName: 'slow', Record: { Data: Buffer.from('x') } })), 'ResourceNotFoundException');
    await assertAwsError(t.client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'slow' })), 'ResourceInUseException');
    await assertAwsError(t.client.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'slow',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { Prefix: 'x/' },
    })), 'ResourceInUseException');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('firehose DirectPut quota (limits aws, clock standing still)', () => {
  const t = useFirehoseServer({ limits: 'aws' }, { clock: new ManualClock(Date.UTC(2026, 10, 28, 8)) });

  it('fails records beyond 5 MiB/s one by one with ServiceUnavailableException "Slow down."', async () => {
    await t.client.send(new CreateDeliveryStreamCommand(s3Stream('quota')));
    const records = Array.from({ length: 500 }, () => ({ Data: Buffer.alloc(8192, 7) }));
    const first = await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'quota', Records: records }));
    assert.equal(first.FailedPutCount, 0);
    const second = await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'quota', Records: records }));
    // 5 MiB = 640 records of 8 KiB: 140 of the second batch still fit.
    assert.equal(second.FailedPutCount, 360);
    assert.ok(second.RequestResponses!.slice(0, 140).every((entry) => entry.RecordId && !entry.ErrorCode));
    assert.deepEqual(second.RequestResponses![140], { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' });
    assert.ok(second.RequestResponses!.slice(140).every((entry) => entry.ErrorCode === 'ServiceUnavailableException' && entry.RecordId === undefined));
    await assert.rejects(t.client.send(new PutRecordCommand({ DeliveryStreamName: 'quota', Record: { Data: Buffer.from('x') } })), (err: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'ServiceUnavailableException');
      assert.equal(err.message, 'Slow down.');
      assert.equal(err.$metadata.httpStatusCode, 503);
      return true;
    });
  });
});
