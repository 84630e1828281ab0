/** KinesisStreamAsSource: a delivery stream reading a Runnel Kinesis stream from LATEST at
 * creation, following resharding, resuming from its checkpoints after a restart. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
} from '@aws-sdk/client-firehose';
import { CreateStreamCommand, PutRecordsCommand, UpdateShardCountCommand } from '@aws-sdk/client-kinesis';
import { firehoseClient, kinesisClient } from '../../helpers/server.js';
import { ROLE_ARN, startFirehoseServer, useFirehoseServerWithKinesis, waitFor, waitForLines } from './helpers.js';

const ACCOUNT = '000000000000';

describe('KinesisStreamAsSource', () => {
  const t = useFirehoseServerWithKinesis({ firehoseFlushRecords: 1 });

  async function putKinesis(stream: string, ...records: string[]): Promise<void> {
    const result = await t.kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: records.map((r, i) => ({ Data: Buffer.from(r), PartitionKey: `${r}-${i}` })) }));
    assert.equal(result.FailedRecordCount, 0);
  }

  async function createSourced(name: string, stream: string, bucket: string): Promise<void> {
    await t.firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${stream}`, RoleARN: ROLE_ARN },
      ExtendedS3DestinationConfiguration: {
        RoleARN: ROLE_ARN,
        BucketARN: `arn:aws:s3:::${bucket}`,
        BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 900 },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
      },
    }));
  }

  it('delivers what arrives after creation, from every shard, and refuses Put*', async () => {
    await t.kinesis.send(new CreateStreamCommand({ StreamName: 'source-a', ShardCount: 2 }));
    await putKinesis('source-a', 'before-1', 'before-2');
    await createSourced('from-a', 'source-a', 'from-a');
    const { DeliveryStreamDescription: d } = await t.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'from-a' }));
    assert.equal(d?.DeliveryStreamType, 'KinesisStreamAsSource');
    assert.equal(d?.Source?.KinesisStreamSourceDescription?.KinesisStreamARN, `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/source-a`);
    assert.equal(d?.Source?.KinesisStreamSourceDescription?.RoleARN, ROLE_ARN);
    assert.ok(d?.Source?.KinesisStreamSourceDescription?.DeliveryStartTimestamp instanceof Date);

    const records = Array.from({ length: 8 }, (_, i) => `after-${i}`);
    await putKinesis('source-a', ...records);
    const lines = await waitForLines(t.fh, 'from-a', records);
    assert.deepEqual(lines, [...records].sort(), 'only records put after creation, each once');

    const refused = 'This operation is not permitted on KinesisStreamAsSource delivery stream type.';
    await assert.rejects(t.firehose.send(new PutRecordCommand({ DeliveryStreamName: 'from-a', Record: { Data: Buffer.from('x') } })), { name: 'InvalidArgumentException', message: refused });
    await assert.rejects(t.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'from-a', Records: [{ Data: Buffer.from('x') }] })), { name: 'InvalidArgumentException', message: refused });
  });

  it('refuses a source stream that does not exist', async () => {
    await assert.rejects(createSourced('from-missing', 'no-such-stream', 'unused'), { name: 'InvalidArgumentException' });
  });

  it('follows resharding into the child shards', async () => {
    await t.kinesis.send(new CreateStreamCommand({ StreamName: 'source-b', ShardCount: 1 }));
    await createSourced('from-b', 'source-b', 'from-b');
    await putKinesis('source-b', 'parent-1', 'parent-2');
    await waitForLines(t.fh, 'from-b', ['parent-1', 'parent-2']);
    await t.kinesis.send(new UpdateShardCountCommand({ StreamName: 'source-b', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }));
    const children = Array.from({ length: 6 }, (_, i) => `child-${i}`);
    await waitFor(async () => {
      try {
        await putKinesis('source-b', ...children);
        return true;
      } catch (err) {
        if ((err as Error).name === 'ResourceInUseException') return undefined;
        throw err;
      }
    });
    const lines = await waitForLines(t.fh, 'from-b', children);
    assert.deepEqual(lines, ['parent-1', 'parent-2', ...children].sort());
  });
});

describe('KinesisStreamAsSource across a restart', () => {
  it('resumes from its checkpoints: nothing delivered twice, nothing skipped', async () => {
    const first = await startFirehoseServer({ firehoseFlushRecords: 1 });
    const dataDir = first.dataDir;
    let firehose = firehoseClient(first.server.endpoint);
    let kinesis = kinesisClient(first.server.endpoint, { http1: true });
    await kinesis.send(new CreateStreamCommand({ StreamName: 'durable-source', ShardCount: 1 }));
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'from-durable',
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/durable-source`, RoleARN: ROLE_ARN },
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::from-durable', ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] } },
    }));
    await kinesis.send(new PutRecordsCommand({ StreamName: 'durable-source', Records: ['one', 'two'].map((r) => ({ Data: Buffer.from(r), PartitionKey: r })) }));
    await waitForLines(first, 'from-durable', ['one', 'two']);
    firehose.destroy();
    kinesis.destroy();
    await first.server.close();

    const second = await startFirehoseServer({ firehoseFlushRecords: 1, dataDir });
    firehose = firehoseClient(second.server.endpoint);
    kinesis = kinesisClient(second.server.endpoint, { http1: true });
    try {
      await kinesis.send(new PutRecordsCommand({ StreamName: 'durable-source', Records: ['three'].map((r) => ({ Data: Buffer.from(r), PartitionKey: r })) }));
      const lines = await waitForLines(second, 'from-durable', ['three']);
      assert.deepEqual(lines, ['one', 'three', 'two']);
    } finally {
      firehose.destroy();
      kinesis.destroy();
      await second.close();
    }
  });
});
