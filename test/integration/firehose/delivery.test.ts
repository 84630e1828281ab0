/** DirectPut → S3 (embedded file store): buffering triggers, object keys, record boundaries and
 * every compression format, each decoded by an independent tool. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  UpdateDestinationCommand,
  type CompressionFormat,
  type ExtendedS3DestinationConfiguration,
} from '@aws-sdk/client-firehose';
import { gunzip, hadoopSnappyPython, snappyJava, unzipContent, unzipEntries } from '../../firehose/readers.js';
import { ROLE_ARN, listObjects, readObject, useFirehoseStoreServer, waitForObjects } from './helpers.js';

const SUFFIX = /-(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

function destination(bucket: string, extra: Partial<ExtendedS3DestinationConfiguration> = {}): ExtendedS3DestinationConfiguration {
  return { RoleARN: ROLE_ARN, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 900 }, ...extra };
}

/** The key's suffix time as epoch ms (second precision, UTC). */
function suffixTimeMs(key: string): number {
  const m = SUFFIX.exec(key);
  assert.ok(m, `key ${key} has no Firehose suffix`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

describe('delivery with firehoseFlushRecords', () => {
  const t = useFirehoseStoreServer({ firehoseFlushRecords: 3 });

  const records = [Buffer.from('alpha'), Buffer.from('beta'), Buffer.concat([Buffer.from('gamma:'), randomBytes(300_000), Buffer.from('x'.repeat(200_000))])];
  const expected = Buffer.concat(records);
  const formats: Array<{ format: CompressionFormat; extension: string; decode: (path: string) => Promise<Buffer> }> = [
    { format: 'UNCOMPRESSED', extension: '', decode: async (path) => (await import('node:fs/promises')).readFile(path) },
    { format: 'GZIP', extension: '.gz', decode: gunzip },
    { format: 'ZIP', extension: '.zip', decode: unzipContent },
    { format: 'Snappy', extension: '.snappy', decode: snappyJava },
    { format: 'HADOOP_SNAPPY', extension: '.snappy', decode: hadoopSnappyPython },
  ];

  for (const { format, extension, decode } of formats) {
    it(`writes ${format} objects that ${format === 'UNCOMPRESSED' ? 'hold the raw bytes' : 'an independent reader decodes'}`, async () => {
      const name = `fmt-${format.toLowerCase().replace('_', '-')}`;
      const bucket = `bucket-${name}`;
      await t.client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: destination(bucket, { CompressionFormat: format }) }));
      const before = Date.now();
      await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records.map((Data) => ({ Data })) }));
      const afterPut = Date.now();
      const [key] = await waitForObjects(t.server.s3Root, bucket, 1);
      assert.match(key!, new RegExp(`^\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-1${SUFFIX.source}${extension.replace('.', '\\.')}$`));
      const instant = suffixTimeMs(key!);
      assert.ok(instant >= Math.floor(before / 1000) * 1000 && instant <= afterPut, 'the key time is the records\' arrival time');
      const path = join(t.server.s3Root, bucket, ...key!.split('/'));
      assert.deepEqual(await decode(path), expected);
      if (format === 'ZIP') {
        const entries = await unzipEntries(path);
        assert.equal(entries.length, 1);
        assert.match(entries[0]!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      }
    });
  }

  it('concatenates records without a separator', async () => {
    await t.client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'raw', ExtendedS3DestinationConfiguration: destination('raw') }));
    for (const data of ['abc', 'abc', 'abc']) await t.client.send(new PutRecordCommand({ DeliveryStreamName: 'raw', Record: { Data: Buffer.from(data) } }));
    const [key] = await waitForObjects(t.server.s3Root, 'raw', 1);
    assert.equal((await readObject(t.server.s3Root, 'raw', key!)).toString(), 'abcabcabc');
  });

  it('appends a newline per record with the AppendDelimiterToRecord processor', async () => {
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'lines',
      ExtendedS3DestinationConfiguration: destination('lines', { ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] } }),
    }));
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'lines', Records: ['{"a":1}', '{"a":2}', '{"a":3}'].map((s) => ({ Data: Buffer.from(s) })) }));
    const [key] = await waitForObjects(t.server.s3Root, 'lines', 1);
    assert.equal((await readObject(t.server.s3Root, 'lines', key!)).toString(), '{"a":1}\n{"a":2}\n{"a":3}\n');
  });

  it('evaluates custom prefixes in CustomTimeZone and replaces the extension with FileExtension', async () => {
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'custom',
      ExtendedS3DestinationConfiguration: destination('custom', {
        Prefix: "tokyo/dt=!{timestamp:yyyy'-'MM'-'dd}/hour=!{timestamp:HH}/!{firehose:random-string}/",
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
        CustomTimeZone: 'Asia/Tokyo',
        CompressionFormat: 'GZIP',
        FileExtension: '.json.gz',
      }),
    }));
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'custom', Records: ['1', '2', '3'].map((s) => ({ Data: Buffer.from(s) })) }));
    const [key] = await waitForObjects(t.server.s3Root, 'custom', 1);
    const m = /^tokyo\/dt=(\d{4})-(\d{2})-(\d{2})\/hour=(\d{2})\/[a-z0-9]{11}\/custom-1-(\d{4})-(\d{2})-(\d{2})-(\d{2})-\d{2}-\d{2}-[0-9a-f-]{36}\.json\.gz$/.exec(key!);
    assert.ok(m, key);
    assert.deepEqual([m[1], m[2], m[3], m[4]], [m[5], m[6], m[7], m[8]], 'prefix and suffix use the same zoned instant');
    const tokyoHour = (new Date().getUTCHours() + 9) % 24;
    assert.ok([tokyoHour, (tokyoHour + 23) % 24].includes(Number(m[4])), `hour ${m[4]} is Tokyo time`);
    assert.equal((await gunzip(join(t.server.s3Root, 'custom', ...key!.split('/')))).toString(), '123');
  });

  it('writes the source records to the backup bucket too with S3BackupMode Enabled', async () => {
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'backed-up',
      ExtendedS3DestinationConfiguration: destination('backed-up', {
        S3BackupMode: 'Enabled',
        S3BackupConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::backed-up-source', Prefix: 'source/', CompressionFormat: 'GZIP' },
      }),
    }));
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'backed-up', Records: ['r1', 'r2', 'r3'].map((s) => ({ Data: Buffer.from(s) })) }));
    const [key] = await waitForObjects(t.server.s3Root, 'backed-up', 1);
    assert.equal((await readObject(t.server.s3Root, 'backed-up', key!)).toString(), 'r1r2r3');
    const [backupKey] = await waitForObjects(t.server.s3Root, 'backed-up-source', 1);
    assert.match(backupKey!, /^source\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/backed-up-1-.*\.gz$/);
    assert.equal((await gunzip(join(t.server.s3Root, 'backed-up-source', ...backupKey!.split('/')))).toString(), 'r1r2r3');
  });

  it('uses the new version and settings after UpdateDestination', async () => {
    await t.client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'versioned', ExtendedS3DestinationConfiguration: destination('versioned') }));
    await t.client.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'versioned',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { Prefix: 'v2/', CompressionFormat: 'GZIP' },
    }));
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'versioned', Records: ['a', 'b', 'c'].map((s) => ({ Data: Buffer.from(s) })) }));
    const [key] = await waitForObjects(t.server.s3Root, 'versioned', 1);
    assert.match(key!, /^v2\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/versioned-2-.*\.gz$/);
  });
});

describe('delivery by buffering hints', () => {
  const t = useFirehoseStoreServer();

  it('delivers at once with IntervalInSeconds 0', async () => {
    await t.client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'zero', ExtendedS3DestinationConfiguration: destination('zero', { BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 0 } }) }));
    await t.client.send(new PutRecordCommand({ DeliveryStreamName: 'zero', Record: { Data: Buffer.from('now') } }));
    const [key] = await waitForObjects(t.server.s3Root, 'zero', 1);
    assert.equal((await readObject(t.server.s3Root, 'zero', key!)).toString(), 'now');
  });

  it('delivers when SizeInMBs of data waits, cutting the object at the size', async () => {
    await t.client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'sized', ExtendedS3DestinationConfiguration: destination('sized', { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } }) }));
    const chunks = [Buffer.alloc(400_000, 'a'), Buffer.alloc(400_000, 'b'), Buffer.alloc(400_000, 'c')];
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'sized', Records: chunks.map((Data) => ({ Data })) }));
    const [key] = await waitForObjects(t.server.s3Root, 'sized', 1);
    assert.deepEqual(await readObject(t.server.s3Root, 'sized', key!), Buffer.concat(chunks.slice(0, 2)));
    assert.equal((await listObjects(t.server.s3Root, 'sized')).length, 1, 'the third record waits for more data or the interval');
  });
});
