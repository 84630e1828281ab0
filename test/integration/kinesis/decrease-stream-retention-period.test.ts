import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DecreaseStreamRetentionPeriodCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

const HOUR = 3_600_000;

describe('DecreaseStreamRetentionPeriod', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t = useServer({}, { clock });

  describe('validations', () => {
    it('answers ResourceNotFound for a missing stream', async () => {
      const StreamName = t.name('missing');
      await assertAwsError(t.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 24 })), 'ResourceNotFoundException',
        `Stream ${StreamName} under account ${ACCOUNT} not found.`);
    });

    it('refuses less than 24 hours', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 23 })), 'InvalidArgumentException',
        'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.');
    });

    it('refuses to lengthen retention', async () => {
      const StreamName = await t.createStream();
      await t.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 72 }));
      await assertAwsError(t.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 96 })), 'InvalidArgumentException',
        `Requested retention period (96 hours) for stream ${StreamName} can not be longer than existing retention period (72 hours). Use IncreaseRetentionPeriod API.`);
    });
  });

  describe('functionality', () => {
    it('lowers retention, by name or ARN', async () => {
      const StreamName = await t.createStream();
      await t.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 100 }));
      await t.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamARN: t.arn(StreamName), RetentionPeriodHours: 50 }));
      await t.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 24 }));
      const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName }));
      assert.equal(summary.StreamDescriptionSummary?.RetentionPeriodHours, 24);
    });

    it('stops returning records older than the new period at once', async () => {
      const StreamName = await t.createStream();
      await t.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 48 }));
      await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('old') }));
      clock.advance(30 * HOUR);
      await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('new') }));
      const read = async () => {
        const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
        return (await t.client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }))).Records!.map((record) => Buffer.from(record.Data!).toString());
      };
      assert.deepEqual(await read(), ['old', 'new']);
      await t.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 24 }));
      assert.deepEqual(await read(), ['new']);
    });
  });
});
