import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeStreamSummaryCommand, IncreaseStreamRetentionPeriodCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, rawJsonCall, useServer } from './helpers.js';

describe('IncreaseStreamRetentionPeriod', () => {
  const t = useServer();

  describe('serializations', () => {
    it('answers SerializationException for hours given as a string', async () => {
      const response = await rawJsonCall(t.server.endpoint, 'IncreaseStreamRetentionPeriod', { StreamName: 'x', RetentionPeriodHours: 'many' });
      assert.equal(response.json().__type, 'SerializationException');
    });
  });

  describe('validations', () => {
    it('answers ResourceNotFound for a missing stream', async () => {
      const StreamName = t.name('missing');
      await assertAwsError(t.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 48 })), 'ResourceNotFoundException',
        `Stream ${StreamName} under account ${ACCOUNT} not found.`);
    });

    it('keeps retention between 24 and 8760 hours', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 23 })), 'InvalidArgumentException',
        'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.');
      await assertAwsError(t.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 8761 })), 'InvalidArgumentException',
        'Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.');
    });

    it('refuses to shorten retention', async () => {
      const StreamName = await t.createStream();
      await t.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 72 }));
      await assertAwsError(t.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 48 })), 'InvalidArgumentException',
        `Requested retention period (48 hours) for stream ${StreamName} can not be shorter than existing retention period (72 hours). Use DecreaseRetentionPeriod API.`);
    });
  });

  describe('functionality', () => {
    it('raises retention up to 8760 hours, by name or ARN, and accepts the current value', async () => {
      const StreamName = await t.createStream();
      await t.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 24 }));
      await t.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamARN: t.arn(StreamName), RetentionPeriodHours: 8760 }));
      const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName }));
      assert.equal(summary.StreamDescriptionSummary?.RetentionPeriodHours, 8760);
    });
  });
});
