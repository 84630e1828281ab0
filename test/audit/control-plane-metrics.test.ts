/**
 * Audit of issue 3, monitoring and throttling together: with `--limits aws` and an injected clock,
 * a PutRecords call that overruns one of two shards fails exactly the overflowing entries, in
 * request order, while the other shard's entries succeed; and `/metrics` counts what happened:
 * incoming and outgoing records and bytes, throttled writes (records) and reads (calls), and the
 * iterator age of the last GetRecords, at stream level and, once enabled, at shard level.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../src/domain/clock.js';
import { useKinesisServer } from '../helpers/server.js';

const StreamName = 'observed';
const LOW = 'shardId-000000000000';
const HIGH = 'shardId-000000000001';
const HIGH_KEY = (1n << 127n).toString();

function metric(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{${labels}} `));
  assert.ok(line, `${name}{${labels}} is exported`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('audit: throttling partial failures and the /metrics counters', () => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const t = useKinesisServer({ limits: 'aws' }, { clock });

  before(async () => {
    await t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
    await t.client.send(new EnableEnhancedMonitoringCommand({ StreamName, ShardLevelMetrics: ['ALL'] }));
  });

  it('fails only the overflowing entries of a shard, counts them, and reports the iterator age', async () => {
    const low = (n: number) => Array.from({ length: n }, () => ({ PartitionKey: 'p', ExplicitHashKey: '0', Data: Buffer.from('abc') }));
    const first = await t.client.send(new PutRecordsCommand({ StreamName, Records: low(500) }));
    assert.equal(first.FailedRecordCount, 0);
    const second = await t.client.send(new PutRecordsCommand({ StreamName, Records: low(499) }));
    assert.equal(second.FailedRecordCount, 0);

    // 999 records on the low shard so far this second: of three more, one fits. The high
    // shard's entries in between are not affected.
    const mixed = await t.client.send(new PutRecordsCommand({
      StreamName,
      Records: [
        ...low(1),
        { PartitionKey: 'p', ExplicitHashKey: HIGH_KEY, Data: Buffer.from('abc') },
        ...low(1),
        { PartitionKey: 'p', ExplicitHashKey: HIGH_KEY, Data: Buffer.from('abc') },
        ...low(1),
      ],
    }));
    assert.equal(mixed.FailedRecordCount, 2);
    const throttled = {
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: `Rate exceeded for shard ${LOW} in stream ${StreamName} under account 000000000000.`,
    };
    const entries = mixed.Records!;
    assert.equal(entries[0]!.ShardId, LOW);
    assert.equal(entries[1]!.ShardId, HIGH);
    assert.deepEqual(entries[2], throttled);
    assert.equal(entries[3]!.ShardId, HIGH);
    assert.deepEqual(entries[4], throttled);
    for (const entry of [entries[0]!, entries[1]!, entries[3]!]) {
      assert.match(entry.SequenceNumber!, /^\d+$/);
      assert.equal(entry.ErrorCode, undefined);
    }

    clock.advance(7_000);
    const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: HIGH, ShardIteratorType: 'TRIM_HORIZON' }));
    const read = await t.client.send(new GetRecordsCommand({ ShardIterator }));
    assert.equal(read.Records?.length, 2);
    for (let call = 0; call < 4; call++) await t.client.send(new GetRecordsCommand({ ShardIterator }));
    await assert.rejects(t.client.send(new GetRecordsCommand({ ShardIterator })), { name: 'ProvisionedThroughputExceededException' });
    const again = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: HIGH, ShardIteratorType: 'TRIM_HORIZON' }));
    clock.advance(1_000);
    const reread = await t.client.send(new GetRecordsCommand({ ShardIterator: again.ShardIterator }));
    assert.equal(reread.Records?.length, 2);

    const text = await (await fetch(`${t.server.endpoint}/metrics`)).text();
    const stream = `stream="${StreamName}"`;
    const bytesPerRecord = 3 + 1; // data + partition key
    assert.equal(metric(text, 'runnel_kinesis_stream_incoming_records_total', stream), 1002);
    assert.equal(metric(text, 'runnel_kinesis_stream_incoming_bytes_total', stream), 1002 * bytesPerRecord);
    assert.equal(metric(text, 'runnel_kinesis_stream_write_provisioned_throughput_exceeded_total', stream), 2);
    assert.equal(metric(text, 'runnel_kinesis_stream_read_provisioned_throughput_exceeded_total', stream), 1);
    const outgoing = 6 * 2; // six successful reads of the same two records
    assert.equal(metric(text, 'runnel_kinesis_stream_outgoing_records_total', stream), outgoing);
    assert.equal(metric(text, 'runnel_kinesis_stream_outgoing_bytes_total', stream), outgoing * bytesPerRecord);
    assert.equal(metric(text, 'runnel_kinesis_stream_iterator_age_milliseconds', stream), 8_000);

    const low0 = `${stream},shard="${LOW}"`;
    const high1 = `${stream},shard="${HIGH}"`;
    assert.equal(metric(text, 'runnel_kinesis_shard_incoming_records_total', low0), 1000);
    assert.equal(metric(text, 'runnel_kinesis_shard_incoming_records_total', high1), 2);
    assert.equal(metric(text, 'runnel_kinesis_shard_write_provisioned_throughput_exceeded_total', low0), 2);
    assert.equal(metric(text, 'runnel_kinesis_shard_write_provisioned_throughput_exceeded_total', high1), 0);
    assert.equal(metric(text, 'runnel_kinesis_shard_read_provisioned_throughput_exceeded_total', high1), 1);
    assert.equal(metric(text, 'runnel_kinesis_shard_outgoing_records_total', high1), outgoing);
    assert.equal(metric(text, 'runnel_kinesis_shard_iterator_age_milliseconds', high1), 8_000);
  });
});
