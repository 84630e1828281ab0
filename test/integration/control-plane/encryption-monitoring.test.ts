import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  DisableEnhancedMonitoringCommand,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { assertAwsError } from '../../helpers/aws-error.js';
import { useKinesisServer, type RunningServer } from '../../helpers/server.js';

describe('Start/StopStreamEncryption', () => {
  const t = useKinesisServer();

  it('encrypts records written while enabled, at rest, and reports EncryptionType and KeyId', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'enc', ShardCount: 1 }));
    await t.client.send(new PutRecordCommand({ StreamName: 'enc', PartitionKey: 'k', Data: Buffer.from('plain-1') }));
    await t.client.send(new StartStreamEncryptionCommand({ StreamName: 'enc', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName: 'enc' }));
    assert.equal(summary.StreamDescriptionSummary!.EncryptionType, 'KMS');
    assert.equal(summary.StreamDescriptionSummary!.KeyId, 'alias/aws/kinesis');
    const put = await t.client.send(new PutRecordCommand({ StreamName: 'enc', PartitionKey: 'k', Data: Buffer.from('secret-2') }));
    assert.equal(put.EncryptionType, 'KMS');
    const batch = await t.client.send(new PutRecordsCommand({ StreamName: 'enc', Records: [{ PartitionKey: 'k', Data: Buffer.from('secret-3') }] }));
    assert.equal(batch.EncryptionType, 'KMS');
    await t.client.send(new StopStreamEncryptionCommand({ StreamName: 'enc', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    await t.client.send(new PutRecordCommand({ StreamName: 'enc', PartitionKey: 'k', Data: Buffer.from('plain-4') }));
    assert.equal((await t.client.send(new DescribeStreamSummaryCommand({ StreamName: 'enc' }))).StreamDescriptionSummary!.EncryptionType, 'NONE');

    const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName: 'enc', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    const { Records } = await t.client.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(Records!.map((r) => [Buffer.from(r.Data!).toString(), r.EncryptionType]), [
      ['plain-1', undefined], ['secret-2', 'KMS'], ['secret-3', 'KMS'], ['plain-4', undefined],
    ]);

    const stream = t.server.app.storage;
    const log = await stream.log.read((await findLogId(t.server, 'enc')), 0, { maxRecords: 10, maxBytes: 1 << 20 });
    const stored = log.records.map((r) => Buffer.from(r.data).toString('latin1'));
    assert.equal(stored[0], 'plain-1');
    assert.ok(!stored[1]!.includes('secret-2'), 'data is not stored in plaintext');
    assert.ok(!stored[2]!.includes('secret-3'));
  });

  it('answers KMS errors for unknown keys and RNF for unknown streams', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'enc-bad', ShardCount: 1 }));
    await assertAwsError(
      t.client.send(new StartStreamEncryptionCommand({ StreamName: 'enc-bad', EncryptionType: 'KMS', KeyId: 'alias/aws/s3' })),
      'KMSNotFoundException',
      'Alias alias/aws/s3 is not found.',
    );
    await assertAwsError(
      t.client.send(new StartStreamEncryptionCommand({ StreamName: 'enc-bad', EncryptionType: 'KMS', KeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' })),
      'KMSAccessDeniedException',
    );
    await assertAwsError(
      t.client.send(new StartStreamEncryptionCommand({ StreamName: 'missing', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' })),
      'ResourceNotFoundException',
      'Stream missing under account 000000000000 not found.',
    );
  });
});

async function findLogId(server: RunningServer, streamName: string): Promise<string> {
  const entry = await server.app.storage.meta.get<{ shards: { logId: string }[] }>(`kinesis/stream/${streamName}`);
  return entry!.value.shards[0]!.logId;
}

describe('Enable/DisableEnhancedMonitoring and /metrics', () => {
  const t = useKinesisServer();

  async function scrape(): Promise<string> {
    const response = await fetch(`${t.server.endpoint}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    return response.text();
  }

  it('returns the metrics before and after, expands ALL, and exports shard-level series only when enabled', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'mon', ShardCount: 1 }));
    const enabled = await t.client.send(new EnableEnhancedMonitoringCommand({ StreamName: 'mon', ShardLevelMetrics: ['IncomingRecords'] }));
    assert.deepEqual(enabled.CurrentShardLevelMetrics, []);
    assert.deepEqual(enabled.DesiredShardLevelMetrics, ['IncomingRecords']);
    assert.equal(enabled.StreamName, 'mon');
    const all = await t.client.send(new EnableEnhancedMonitoringCommand({ StreamName: 'mon', ShardLevelMetrics: ['ALL'] }));
    assert.deepEqual(all.CurrentShardLevelMetrics, ['IncomingRecords']);
    assert.equal(all.DesiredShardLevelMetrics!.length, 7);
    const disabled = await t.client.send(new DisableEnhancedMonitoringCommand({ StreamName: 'mon', ShardLevelMetrics: ['IncomingBytes', 'OutgoingBytes', 'OutgoingRecords', 'WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded', 'IteratorAgeMilliseconds'] }));
    assert.deepEqual(disabled.DesiredShardLevelMetrics, ['IncomingRecords']);
    const summary = await t.client.send(new DescribeStreamSummaryCommand({ StreamName: 'mon' }));
    assert.deepEqual(summary.StreamDescriptionSummary!.EnhancedMonitoring, [{ ShardLevelMetrics: ['IncomingRecords'] }]);

    await t.client.send(new PutRecordsCommand({ StreamName: 'mon', Records: [{ PartitionKey: 'ab', Data: Buffer.from('xyz') }, { PartitionKey: 'ab', Data: Buffer.from('x') }] }));
    const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName: 'mon', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    await t.client.send(new GetRecordsCommand({ ShardIterator }));
    const text = await scrape();
    assert.match(text, /^runnel_kinesis_stream_incoming_records_total\{stream="mon"\} 2$/m);
    assert.match(text, /^runnel_kinesis_stream_incoming_bytes_total\{stream="mon"\} 8$/m);
    assert.match(text, /^runnel_kinesis_stream_outgoing_records_total\{stream="mon"\} 2$/m);
    assert.match(text, /^runnel_kinesis_shard_incoming_records_total\{stream="mon",shard="shardId-000000000000"\} 2$/m);
    assert.doesNotMatch(text, /runnel_kinesis_shard_incoming_bytes_total\{stream="mon"/);
  });

  it('refuses unknown streams', async () => {
    await assertAwsError(
      t.client.send(new EnableEnhancedMonitoringCommand({ StreamName: 'missing', ShardLevelMetrics: ['ALL'] })),
      'ResourceNotFoundException',
      'Stream missing under account 000000000000 not found.',
    );
  });
});
