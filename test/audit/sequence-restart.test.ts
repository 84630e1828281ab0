/**
 * Sequence numbers keep increasing across restarts even when the clock reads the same millisecond
 * (or an earlier one) after the restart, and after retention removed every stored record.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../src/domain/clock.js';
import { readShardToEnd, recordTexts } from '../helpers/kinesis.js';
import { startDurableServer } from './durable-server.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0, 250);

async function put(client: import('@aws-sdk/client-kinesis').KinesisClient, StreamName: string, text: string): Promise<bigint> {
  const { SequenceNumber } = await client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from(text) }));
  return BigInt(SequenceNumber!);
}

describe('sequence numbers across restarts', () => {
  it('continue upwards after a restart within the same millisecond and after the clock stepped back', async (t) => {
    const durable = await startDurableServer(t, new ManualClock(T0));
    const StreamName = 'seq-restart';
    await durable.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const before = [await put(durable.client, StreamName, 'a'), await put(durable.client, StreamName, 'b')];
    const batch = await durable.client.send(new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'k', Data: Buffer.from('c') }] }));
    before.push(BigInt(batch.Records![0]!.SequenceNumber!));

    await durable.restart(new ManualClock(T0));
    const sameMillisecond = await put(durable.client, StreamName, 'd');
    assert.ok(sameMillisecond > before[2]!, `${sameMillisecond} after ${before[2]}`);

    await durable.restart(new ManualClock(T0 - 5_000));
    const clockBehind = await put(durable.client, StreamName, 'e');
    assert.ok(clockBehind > sameMillisecond, `${clockBehind} after ${sameMillisecond}`);

    const stored = (await readShardToEnd(durable.client, StreamName)).records;
    assert.deepEqual(recordTexts(stored), ['a', 'b', 'c', 'd', 'e']);
    const numbers = stored.map((record) => BigInt(record.SequenceNumber!));
    assert.deepEqual(numbers, [...before, sameMillisecond, clockBehind]);
  });

  it('are never reused after retention removed every record and the server restarted', async (t) => {
    const clock = new ManualClock(T0);
    const durable = await startDurableServer(t, clock);
    const StreamName = 'seq-after-trim';
    await durable.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const last = [await put(durable.client, StreamName, 'old-1'), await put(durable.client, StreamName, 'old-2')][1]!;
    clock.advance(25 * HOUR);
    await durable.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 24 }));
    assert.deepEqual((await readShardToEnd(durable.client, StreamName)).records, []);

    await durable.restart(new ManualClock(T0));
    const next = await put(durable.client, StreamName, 'new');
    assert.ok(next > last, `${next} after ${last}`);
    assert.deepEqual(recordTexts((await readShardToEnd(durable.client, StreamName)).records), ['new']);
  });
});
