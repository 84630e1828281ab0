/**
 * Prefixes the embedded file store cannot hold. S3 accepts keys such as `/logs//x`, but a file
 * path cannot have an empty, '.' or '..' segment; such a delivery stream is refused when it is
 * created or updated, instead of failing every write for a day while its data waits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  PutRecordBatchCommand,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { ROLE_ARN, readObject, useFirehoseStoreServer, waitForObjects } from './helpers.js';

const REASON = "the embedded file store keeps each object as a file <data-dir>/s3/<bucket>/<key> and cannot hold a key with an empty, '.' or '..' path segment";

describe('prefixes the embedded file store cannot hold', () => {
  const t = useFirehoseStoreServer({ firehoseFlushRecords: 1 });

  function refusal(member: string, configured: string): RegExp {
    const escaped = `${member} ${JSON.stringify(configured)} cannot be delivered by this server: ${REASON}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^${escaped} \\(".*"\\)\\. Use another prefix, or deliver through an S3 API \\(--s3-endpoint\\)\\.$`);
  }

  it('refuses a Prefix with a leading slash or an empty segment', async () => {
    for (const prefix of ['/logs/', 'logs//!{timestamp:yyyy}/', './logs/']) {
      await assert.rejects(t.client.send(new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'bad-prefix',
        ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::b', Prefix: prefix, ErrorOutputPrefix: 'e/!{firehose:error-output-type}/' },
      })), { name: 'InvalidArgumentException', message: refusal('Prefix', prefix) });
    }
  });

  it('checks the ErrorOutputPrefix, the backup prefix and an HTTP endpoint\'s S3 configuration too', async () => {
    await assert.rejects(t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'bad-error-prefix',
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::b', ErrorOutputPrefix: 'errors//!{firehose:error-output-type}/' },
    })), { name: 'InvalidArgumentException', message: refusal('ErrorOutputPrefix', 'errors//!{firehose:error-output-type}/') });
    await assert.rejects(t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'bad-backup-prefix',
      ExtendedS3DestinationConfiguration: {
        RoleARN: ROLE_ARN,
        BucketARN: 'arn:aws:s3:::b',
        S3BackupMode: 'Enabled',
        S3BackupConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::backup', Prefix: 'raw/../' },
      },
    })), { name: 'InvalidArgumentException', message: refusal('S3BackupConfiguration.Prefix', 'raw/../') });
    await assert.rejects(t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'bad-http-prefix',
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: 'https://example.invalid/' },
        S3Configuration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::b', Prefix: '/http/' },
      },
    })), { name: 'InvalidArgumentException', message: refusal('S3Configuration.Prefix', '/http/') });
  });

  it('refuses such a prefix in UpdateDestination and keeps the current version', async () => {
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'good-prefix',
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::good-prefix', Prefix: 'key=value with spaces/' },
    }));
    await assert.rejects(t.client.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'good-prefix',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { Prefix: 'x//' },
    })), { name: 'InvalidArgumentException', message: refusal('Prefix', 'x//') });
    const { DeliveryStreamDescription: d } = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'good-prefix' }));
    assert.equal(d?.VersionId, '1');
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'good-prefix', Records: [{ Data: Buffer.from('kept') }] }));
    const [key] = await waitForObjects(t.server.s3Root, 'good-prefix', 1);
    assert.match(key!, /^key=value with spaces\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/good-prefix-1-/);
    assert.equal((await readObject(t.server.s3Root, 'good-prefix', key!)).toString(), 'kept');
  });
});
