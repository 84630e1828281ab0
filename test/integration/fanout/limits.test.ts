/** With `--limits aws`: 2 MiB/s of pushed data per consumer and shard, and at most one
 * SubscribeToShard call per second per consumer and shard. Time is a ManualClock. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LimitExceededException, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { useKinesisServer } from '../../helpers/server.js';
import { EventReader, streamWithConsumer } from './helpers.js';

const MiB = 1024 * 1024;

describe('enhanced fan-out limits', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const suite = useKinesisServer({ limits: 'aws' }, { clock });

  it('answers LimitExceededException to a second SubscribeToShard within the same second', async () => {
    const { client } = suite;
    const { consumerArn } = await streamWithConsumer(client, 'rate');
    const reader = await EventReader.open(client, consumerArn, { Type: 'LATEST' });
    await assert.rejects(EventReader.open(client, consumerArn, { Type: 'LATEST' }), LimitExceededException);
    await reader.close();
  });

  it('pushes at most 2 MiB per second to one consumer on one shard', async () => {
    const { client } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, 'throughput');
    const record = Buffer.alloc(MiB - 1, 1);
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000);
      await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: record }));
    }
    clock.advance(5_000);
    const reader = await EventReader.open(client, consumerArn, { Type: 'TRIM_HORIZON' });
    await reader.untilRecords(2);
    let third = false;
    const pending = reader.untilRecords(1).then((events) => { third = true; return events; });
    // The budget is spent: nothing more flows until the clock moves (the server only polls the
    // injected clock here, so a short real pause shows it holding the record back).
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(third, false, 'the third MiB waited for the budget');
    clock.advance(1_000);
    const events = await pending;
    assert.equal(events.flatMap((event) => event.Records!).length, 1);
    await reader.close();
  });
});
