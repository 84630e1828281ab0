/** S3 source-record backup through UpdateDestination: it can be switched on later, never off
 * ("If backup is enabled, you can't update the Firehose stream to disable it"). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  PutRecordBatchCommand,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { ROLE_ARN, readObject, useFirehoseStoreServer, waitForObjects } from './helpers.js';

describe('S3 source backup through UpdateDestination', () => {
  const t = useFirehoseStoreServer({ firehoseFlushRecords: 2 });

  function create(name: string, backup: boolean): Promise<unknown> {
    return t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: {
        RoleARN: ROLE_ARN,
        BucketARN: `arn:aws:s3:::${name}`,
        BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 900 },
        ...(backup ? { S3BackupMode: 'Enabled', S3BackupConfiguration: { RoleARN: ROLE_ARN, BucketARN: `arn:aws:s3:::${name}-source` } } : {}),
      },
    }));
  }

  it('switches backup on for the following batches', async () => {
    await create('backup-later', false);
    await t.client.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'backup-later',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { S3BackupMode: 'Enabled', S3BackupUpdate: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::backup-later-source', Prefix: 'raw/' } },
    }));
    const { DeliveryStreamDescription: d } = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'backup-later' }));
    const extended = d!.Destinations![0]!.ExtendedS3DestinationDescription!;
    assert.equal(extended.S3BackupMode, 'Enabled');
    assert.equal(extended.S3BackupDescription?.BucketARN, 'arn:aws:s3:::backup-later-source');
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'backup-later', Records: [{ Data: Buffer.from('one,') }, { Data: Buffer.from('two') }] }));
    const [key] = await waitForObjects(t.server.s3Root, 'backup-later-source', 1);
    assert.match(key!, /^raw\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/backup-later-2-/);
    assert.equal((await readObject(t.server.s3Root, 'backup-later-source', key!)).toString(), 'one,two');
  });

  it('refuses to switch backup off once it is on', async () => {
    await create('backup-kept', true);
    await assert.rejects(t.client.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'backup-kept',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { S3BackupMode: 'Disabled' },
    })), { name: 'InvalidArgumentException', message: /^S3BackupMode cannot be changed from Enabled to Disabled/ });
    const { DeliveryStreamDescription: d } = await t.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'backup-kept' }));
    assert.equal(d?.VersionId, '1');
    assert.equal(d!.Destinations![0]!.ExtendedS3DestinationDescription!.S3BackupMode, 'Enabled');
  });
});
