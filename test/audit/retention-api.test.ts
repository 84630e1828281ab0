/**
 * Retention through the API on the embedded storage: records older than the retention period stop
 * being returned (TRIM_HORIZON, AT_TIMESTAMP, old iterators), lowering retention takes effect at
 * once, the space is given back, and the horizon survives a restart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, GetRecordsCommand, GetShardIteratorCommand, IncreaseStreamRetentionPeriodCommand, PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../src/domain/clock.js';
import type { TestCleanup } from '../helpers/server.js';
import { readShardToEnd, recordTexts } from '../helpers/kinesis.js';
import { segmentFiles, startDurableServer, type DurableServer } from './durable-server.js';

const HOUR = 3_600_000;
const ShardId = 'shardId-000000000000';

async function putTexts(client: import('@aws-sdk/client-kinesis').KinesisClient, StreamName: string, prefix: string, count: number): Promise<void> {
  const Records = Array.from({ length: count }, (_, i) => ({ PartitionKey: 'k', Data: Buffer.from(`${prefix}-${i}-${'x'.repeat(2000)}`) }));
  const result = await client.send(new PutRecordsCommand({ StreamName, Records }));
  assert.equal(result.FailedRecordCount, 0);
}

/** A durable server holding one single-shard stream with `RetentionPeriodHours` of retention. */
async function durableStreamWithRetention(t: TestCleanup, clock: ManualClock, StreamName: string, RetentionPeriodHours: number): Promise<DurableServer> {
  const durable = await startDurableServer(t, clock);
  await durable.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
  await durable.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours }));
  return durable;
}

describe('retention through the API', () => {
  it('hides expired records once retention is lowered, keeps newer ones, and survives a restart', async (t) => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const StreamName = 'retention-partial';
    const durable = await durableStreamWithRetention(t, clock, StreamName, 72);
    const start = clock.now();
    await putTexts(durable.client, StreamName, 'old', 50);
    clock.advance(30 * HOUR);
    await putTexts(durable.client, StreamName, 'new', 5);
    const { ShardIterator: oldIterator } = await durable.client.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));

    assert.equal((await readShardToEnd(durable.client, StreamName)).records.length, 55, 'nothing expires within 72 hours');
    await durable.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 24 }));

    const kept = recordTexts((await readShardToEnd(durable.client, StreamName)).records);
    assert.deepEqual(kept.map((text) => text.split('-').slice(0, 2).join('-')), ['new-0', 'new-1', 'new-2', 'new-3', 'new-4']);
    const atStart = await durable.client.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(start) }));
    const fromTimestamp = await durable.client.send(new GetRecordsCommand({ ShardIterator: atStart.ShardIterator }));
    assert.match(recordTexts(fromTimestamp.Records!)[0]!, /^new-0-/);
    const fromOldIterator = await durable.client.send(new GetRecordsCommand({ ShardIterator: oldIterator }));
    assert.ok(recordTexts(fromOldIterator.Records!).every((text) => text.startsWith('new-')), 'an iterator issued before the trim skips the expired records');

    await durable.restart(clock);
    assert.deepEqual(recordTexts((await readShardToEnd(durable.client, StreamName)).records), kept);
  });

  it('gives the space back when every record expired', async (t) => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const StreamName = 'retention-all';
    const durable = await durableStreamWithRetention(t, clock, StreamName, 48);
    for (let batch = 0; batch < 4; batch++) await putTexts(durable.client, StreamName, `old${batch}`, 100);
    const bytesBefore = (await segmentFiles(durable.dataDir)).reduce((sum, file) => sum + file.size, 0);
    assert.ok(bytesBefore > 800_000, `wrote ${bytesBefore} bytes`);

    clock.advance(30 * HOUR);
    await durable.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 24 }));
    assert.deepEqual((await readShardToEnd(durable.client, StreamName)).records, []);
    const bytesAfter = (await segmentFiles(durable.dataDir)).reduce((sum, file) => sum + file.size, 0);
    assert.ok(bytesAfter < 10_000, `${bytesAfter} bytes left of ${bytesBefore}`);
  });
});
