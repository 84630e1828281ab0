/** Delivery figures: `runnel firehose status`, DescribeDeliveryStream's RunnelDeliveryStatus and
 * the Prometheus text of firehoseMetricsText(). */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { firehoseStatusCommand } from '../../../src/cli/commands/firehose-status.js';
import { firehoseMetricsText } from '../../../src/api/firehose/index.js';
import { ROLE_ARN, useFirehoseStoreServer, waitForObjects } from './helpers.js';

async function runStatus(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await firehoseStatusCommand.run(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: {} });
  return { code, stdout, stderr };
}

describe('firehose observability', () => {
  const t = useFirehoseStoreServer({ firehoseFlushRecords: 3 });
  before(async () => {
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'observed',
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::observed', BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 900 } },
    }));
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'observed', Records: ['aa', 'bb', 'cc', 'dd'].map((s) => ({ Data: Buffer.from(s) })) }));
    await waitForObjects(t.server.s3Root, 'observed', 1);
  });

  it('prints status, counters and freshness with `runnel firehose status`', async () => {
    const { code, stdout } = await runStatus(['observed', '--endpoint', t.server.server.endpoint]);
    assert.equal(code, 0);
    assert.match(stdout, /^Delivery stream +observed \(ACTIVE, DirectPut, version 1\)$/m);
    assert.match(stdout, /^Destination +S3 arn:aws:s3:::observed prefix '', 128 MB \/ 900 s, UNCOMPRESSED$/m);
    assert.match(stdout, /^Incoming +4 records, 8 B$/m);
    assert.match(stdout, /^Delivered +3 records, 6 B, 1 objects\/requests$/m);
    assert.match(stdout, /^Data freshness +\d+\.\d s/m);
    assert.match(stdout, /^Last error +-$/m);
  });

  it('returns the RunnelDeliveryStatus member with --json', async () => {
    const { code, stdout } = await runStatus(['observed', '--endpoint', t.server.server.endpoint, '--json']);
    assert.equal(code, 0);
    const status = JSON.parse(stdout).RunnelDeliveryStatus;
    assert.equal(status.IncomingRecords, 4);
    assert.equal(status.DeliveredRecords, 3);
    assert.equal(status.DeliveredObjects, 1);
    assert.equal(status.DeliveryFailures, 0);
    assert.ok(status.DataFreshnessSeconds >= 0, 'one record still waits');
    assert.equal(status.ObjectStore, `file://${t.server.s3Root}`);
  });

  it('reports a missing delivery stream and bad usage', async () => {
    const missing = await runStatus(['nope', '--endpoint', t.server.server.endpoint]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ResourceNotFoundException: Firehose nope under account 000000000000 not found\./);
    assert.equal((await runStatus([])).code, 2);
  });

  it('exports per delivery stream counters in Prometheus text format', () => {
    const text = firehoseMetricsText();
    assert.match(text, /^# TYPE runnel_firehose_incoming_records_total counter$/m);
    assert.match(text, /^runnel_firehose_incoming_records_total\{delivery_stream="observed"\} 4$/m);
    assert.match(text, /^runnel_firehose_incoming_bytes_total\{delivery_stream="observed"\} 8$/m);
    assert.match(text, /^runnel_firehose_delivered_records_total\{delivery_stream="observed"\} 3$/m);
    assert.match(text, /^runnel_firehose_delivered_bytes_total\{delivery_stream="observed"\} 6$/m);
    assert.match(text, /^runnel_firehose_delivery_failures_total\{delivery_stream="observed"\} 0$/m);
    assert.match(text, /^# TYPE runnel_firehose_data_freshness_seconds gauge$/m);
    assert.match(text, /^runnel_firehose_data_freshness_seconds\{delivery_stream="observed"\} \d/m);
  });
});
