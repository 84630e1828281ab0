/**
 * Subscription rules on an injected clock: the 5-second lease and takeover, the 5-minute lifetime,
 * resuming from ContinuationSequenceNumber, starting positions, heartbeats, resharding and the
 * errors SubscribeToShard answers before streaming.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  MergeShardsCommand,
  RegisterStreamConsumerCommand,
  PutRecordCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  SplitShardCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { startKinesisServer, useKinesisServer } from '../../helpers/server.js';
import { EventReader, dataOf, streamWithConsumer } from './helpers.js';

const FIRST_SHARD = 'shardId-000000000000';

describe('SubscribeToShard lifecycle', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const suite = useKinesisServer({}, { clock });
  let counter = 0;
  const nextStreamName = () => `lifecycle-${++counter}`;
  const put = (StreamName: string, text: string) => suite.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from(text) }));

  it('refuses a second subscription within 5 s, then lets one take over and ends the first with ResourceInUseException', async () => {
    const { client } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName());
    const first = await EventReader.open(client, consumerArn, { Type: 'LATEST' });
    await first.next();
    clock.advance(4_999);
    await assert.rejects(EventReader.open(client, consumerArn, { Type: 'LATEST' }), (err: unknown) =>
      err instanceof ResourceInUseException &&
      err.message === `Another active subscription exists for this consumer: 000000000000:${streamName}:${FIRST_SHARD}:app`);
    clock.advance(1);
    const second = await EventReader.open(client, consumerArn, { Type: 'LATEST' });
    await assert.rejects(async () => { while (await first.next()); }, ResourceInUseException);
    await second.next();
    await put(streamName, 'for the new one');
    assert.deepEqual(dataOf(await second.untilRecords(1)), ['for the new one']);
    await second.close();
  });

  it('pushes every record to each of several consumers of one shard, whatever their positions', async () => {
    const { client } = suite;
    const streamName = nextStreamName();
    const { streamArn, consumerArn: first } = await streamWithConsumer(client, streamName, 1, 'one');
    const others = [];
    for (const ConsumerName of ['two', 'three']) {
      others.push((await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName }))).Consumer!.ConsumerARN!);
    }
    await put(streamName, 'old');
    const readers = [
      await EventReader.open(client, first, { Type: 'TRIM_HORIZON' }),
      await EventReader.open(client, others[0]!, { Type: 'LATEST' }),
      await EventReader.open(client, others[1]!, { Type: 'TRIM_HORIZON' }),
    ];
    for (const text of ['x', 'y', 'z']) await put(streamName, text);
    const received = await Promise.all(readers.map((reader, i) => reader.untilRecords(i === 1 ? 3 : 4)));
    assert.deepEqual(received.map(dataOf), [['old', 'x', 'y', 'z'], ['x', 'y', 'z'], ['old', 'x', 'y', 'z']]);
    await Promise.all(readers.map((reader) => reader.close()));
  });

  it('ends cleanly after 5 minutes; the client resumes after ContinuationSequenceNumber without loss', async () => {
    const { client } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName());
    const reader = await EventReader.open(client, consumerArn, { Type: 'TRIM_HORIZON' });
    await reader.next();
    await put(streamName, 'one');
    const events = await reader.untilRecords(1);
    const continuation = events.at(-1)!.ContinuationSequenceNumber!;
    clock.advance(5 * 60_000);
    await put(streamName, 'two');
    assert.equal(await reader.next(), undefined, 'the expired subscription ends without an error');

    const resumed = await EventReader.open(client, consumerArn, { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: continuation });
    assert.deepEqual(dataOf(await resumed.untilRecords(1)), ['two']);
    await resumed.close();
  });

  it('resumes an empty shard from its first continuation without skipping the first record', async () => {
    const { client } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName());
    const reader = await EventReader.open(client, consumerArn, { Type: 'LATEST' });
    const continuation = (await reader.next())!.ContinuationSequenceNumber!;
    clock.advance(5 * 60_000);
    await put(streamName, 'first ever');
    assert.equal(await reader.next(), undefined);
    const resumed = await EventReader.open(client, consumerArn, { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: continuation });
    assert.deepEqual(dataOf(await resumed.untilRecords(1)), ['first ever']);
    await resumed.close();
  });

  it('starts AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER and AT_TIMESTAMP', async () => {
    const { client } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName());
    await put(streamName, 'a');
    clock.advance(1_000);
    const middle = await put(streamName, 'b');
    clock.advance(1_000);
    await put(streamName, 'c');
    const cases = [
      { position: { Type: 'AT_SEQUENCE_NUMBER' as const, SequenceNumber: middle.SequenceNumber! }, expected: ['b', 'c'] },
      { position: { Type: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: middle.SequenceNumber! }, expected: ['c'] },
      { position: { Type: 'AT_TIMESTAMP' as const, Timestamp: new Date(clock.now() - 1_000) }, expected: ['b', 'c'] },
    ];
    for (const { position, expected } of cases) {
      clock.advance(5_000);
      const reader = await EventReader.open(client, consumerArn, position);
      assert.deepEqual(dataOf(await reader.untilRecords(expected.length)), expected, position.Type);
      await reader.close();
    }
  });

  it('answers errors before streaming: unknown shard, unknown consumer, consumer being deleted', async () => {
    const { client } = suite;
    const { streamName, streamArn, consumerArn } = await streamWithConsumer(client, nextStreamName());
    await assert.rejects(EventReader.open(client, consumerArn, { Type: 'LATEST' }, 'shardId-000000000009'), (err: unknown) =>
      err instanceof ResourceNotFoundException && err.message === `Shard shardId-000000000009 in stream ${streamName} under account 000000000000 does not exist`);
    await assert.rejects(EventReader.open(client, `${streamArn}/consumer/nobody:1`, { Type: 'LATEST' }), ResourceNotFoundException);
    await assert.rejects(EventReader.open(client, consumerArn, { Type: 'AT_SEQUENCE_NUMBER' }), /Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber/);
  });

  it('ends at the end of a split shard with its children and no ContinuationSequenceNumber', async () => {
    const { client } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName());
    const reader = await EventReader.open(client, consumerArn, { Type: 'TRIM_HORIZON' });
    await reader.next();
    await put(streamName, 'before split');
    assert.deepEqual(dataOf(await reader.untilRecords(1)), ['before split']);
    await client.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: FIRST_SHARD, NewStartingHashKey: (2n ** 127n).toString() }));
    let last;
    for (let event = await reader.next(); event; event = await reader.next()) last = event;
    assert.equal(last?.ContinuationSequenceNumber, undefined);
    assert.deepEqual(last?.ChildShards?.map((child) => [child.ShardId, child.ParentShards]), [
      ['shardId-000000000001', [FIRST_SHARD]],
      ['shardId-000000000002', [FIRST_SHARD]],
    ]);
  });

  it('reads a shard closed before the subscription to its end, and LATEST on it ends at once', async () => {
    const { client } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName());
    await put(streamName, 'kept in the parent');
    await client.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: FIRST_SHARD, NewStartingHashKey: (2n ** 127n).toString() }));
    const fromStart = await EventReader.open(client, consumerArn, { Type: 'TRIM_HORIZON' });
    const events = [];
    for (let event = await fromStart.next(); event; event = await fromStart.next()) events.push(event);
    assert.deepEqual(dataOf(events), ['kept in the parent']);
    assert.equal(events.at(-1)?.ChildShards?.length, 2);
    clock.advance(5_000);
    const latest = await EventReader.open(client, consumerArn, { Type: 'LATEST' });
    const only = await latest.next();
    assert.deepEqual(only?.Records, []);
    assert.equal(only?.ContinuationSequenceNumber, undefined);
    assert.equal(only?.ChildShards?.length, 2);
    assert.equal(await latest.next(), undefined);
  });

  it('ends at the end of merged shards with one child naming both parents', async () => {
    const { client } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName(), 2);
    const reader = await EventReader.open(client, consumerArn, { Type: 'TRIM_HORIZON' }, 'shardId-000000000001');
    await reader.next();
    await client.send(new MergeShardsCommand({ StreamName: streamName, ShardToMerge: FIRST_SHARD, AdjacentShardToMerge: 'shardId-000000000001' }));
    let last;
    for (let event = await reader.next(); event; event = await reader.next()) last = event;
    assert.equal(last?.ContinuationSequenceNumber, undefined);
    assert.deepEqual(last?.ChildShards?.map((child) => [child.ShardId, child.ParentShards]), [
      ['shardId-000000000002', [FIRST_SHARD, 'shardId-000000000001']],
    ]);
  });

  it('ends a subscription with ResourceNotFoundException when its consumer is deregistered', async () => {
    const { client } = suite;
    const { consumerArn } = await streamWithConsumer(client, nextStreamName());
    const reader = await EventReader.open(client, consumerArn, { Type: 'LATEST' });
    await reader.next();
    await client.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumerArn }));
    await assert.rejects(async () => { while (await reader.next()); }, ResourceNotFoundException);
  });

  it('refuses DeleteStream while consumers exist, and with EnforceConsumerDeletion ends their subscriptions', async () => {
    const { client } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName());
    await assert.rejects(client.send(new DeleteStreamCommand({ StreamName: streamName })), ResourceInUseException);
    clock.advance(5_000);
    const reader = await EventReader.open(client, consumerArn, { Type: 'LATEST' });
    await reader.next();
    await client.send(new DeleteStreamCommand({ StreamName: streamName, EnforceConsumerDeletion: true }));
    await assert.rejects(async () => { while (await reader.next()); }, ResourceNotFoundException);
    await assert.rejects(client.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn })), ResourceNotFoundException);
  });
});

describe('SubscribeToShard heartbeats', () => {
  it('sends empty events with the current ContinuationSequenceNumber while the shard is idle', async (t) => {
    const { client } = await startKinesisServer(t, { fanoutHeartbeatMs: 20 });
    const { streamName, consumerArn } = await streamWithConsumer(client, 'heartbeat');
    const written = await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from('x') }));
    const reader = await EventReader.open(client, consumerArn, { Type: 'LATEST' });
    for (let i = 0; i < 3; i++) {
      const event = await reader.next();
      assert.deepEqual(event?.Records, []);
      assert.equal(event?.ContinuationSequenceNumber, written.SequenceNumber);
      assert.equal(event?.MillisBehindLatest, 0);
    }
    await reader.close();
  });
});
