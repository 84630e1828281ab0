/**
 * Which instant names an object, on a server whose clock the test sets: the approximate arrival
 * time of the oldest record in the object (not the flush time), in CustomTimeZone, for DirectPut
 * records and for Kinesis stream records (their ApproximateArrivalTimestamp). Also that records
 * read from a Kinesis source count as incoming.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, PutRecordCommand } from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand as KinesisPutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { firehoseMetricsText } from '../../../src/api/firehose/index.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { ROLE_ARN, readObject, useFirehoseServerWithKinesis, waitForObjects } from './helpers.js';

/** 2026-03-04T05:59:58.890Z: New York is at UTC-5 then (daylight saving starts on March 8). */
const FIRST_ARRIVAL = Date.UTC(2026, 2, 4, 5, 59, 58, 890);
/** Less than the 900 s buffering interval, so both records share an object, and enough to cross
 * into the next hour: the object's time is the first arrival, not the second or the flush. */
const FIVE_MINUTES = 5 * 60 * 1000;
const ONE_DAY = 24 * 60 * 60 * 1000;

describe('the instant that names an object', () => {
  const clock = new ManualClock(FIRST_ARRIVAL);
  const t = useFirehoseServerWithKinesis({ firehoseFlushRecords: 2 }, { clock });

  it('is the oldest DirectPut record\'s arrival, in CustomTimeZone, for prefix and suffix', async () => {
    clock.set(FIRST_ARRIVAL);
    await t.firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'zoned',
      ExtendedS3DestinationConfiguration: {
        RoleARN: ROLE_ARN,
        BucketARN: 'arn:aws:s3:::zoned',
        Prefix: "ny/!{timestamp:yyyy-MM-dd'T'HH}/",
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
        CustomTimeZone: 'America/New_York',
        BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 900 },
      },
    }));
    await t.firehose.send(new PutRecordCommand({ DeliveryStreamName: 'zoned', Record: { Data: Buffer.from('first,') } }));
    clock.advance(FIVE_MINUTES);
    await t.firehose.send(new PutRecordCommand({ DeliveryStreamName: 'zoned', Record: { Data: Buffer.from('second') } }));
    const [key] = await waitForObjects(t.fh.s3Root, 'zoned', 1);
    assert.match(key!, /^ny\/2026-03-04T00\/zoned-1-2026-03-04-00-59-58-[0-9a-f-]{36}$/);
    assert.equal((await readObject(t.fh.s3Root, 'zoned', key!)).toString(), 'first,second');
  });

  it('is the Kinesis record\'s ApproximateArrivalTimestamp for a KinesisStreamAsSource delivery stream', async () => {
    const streamArrival = FIRST_ARRIVAL + ONE_DAY;
    clock.set(streamArrival);
    await t.kinesis.send(new CreateStreamCommand({ StreamName: 'arrivals', ShardCount: 1 }));
    await t.firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'from-arrivals',
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/arrivals', RoleARN: ROLE_ARN },
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::from-arrivals', BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 900 } },
    }));
    const put = await t.kinesis.send(new KinesisPutRecordCommand({ StreamName: 'arrivals', PartitionKey: 'k', Data: Buffer.from('early,') }));
    clock.advance(FIVE_MINUTES);
    await t.kinesis.send(new KinesisPutRecordCommand({ StreamName: 'arrivals', PartitionKey: 'k', Data: Buffer.from('late') }));

    const { ShardIterator } = await t.kinesis.send(new GetShardIteratorCommand({ StreamName: 'arrivals', ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const { Records } = await t.kinesis.send(new GetRecordsCommand({ ShardIterator }));
    assert.equal(Records?.[0]?.ApproximateArrivalTimestamp?.getTime(), streamArrival);

    const [key] = await waitForObjects(t.fh.s3Root, 'from-arrivals', 1);
    assert.match(key!, /^2026\/03\/05\/05\/from-arrivals-1-2026-03-05-05-59-58-[0-9a-f-]{36}$/);
    assert.equal((await readObject(t.fh.s3Root, 'from-arrivals', key!)).toString(), 'early,late');
    assert.match(firehoseMetricsText(), /^runnel_firehose_incoming_records_total\{delivery_stream="from-arrivals"\} 2$/m);
    assert.match(firehoseMetricsText(), /^runnel_firehose_incoming_bytes_total\{delivery_stream="from-arrivals"\} 10$/m);
  });
});
