/**
 * The server's latency histograms on GET /metrics: request durations per operation, append
 * durations, and the delays from an append's start and from its acknowledgement to its push, one
 * per subscriber.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutRecordCommand, RegisterStreamConsumerCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient, startTestServer, useServerAndClient } from '../../helpers/server.js';
import { EventReader, streamWithConsumer } from './helpers.js';

/** The value of one series of the exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** The bucket counts of one histogram series, in the order rendered. */
function buckets(text: string, name: string, labels = ''): number[] {
  const prefix = `${name}_bucket{${labels}${labels ? ',' : ''}le="`;
  return text.split('\n').filter((line) => line.startsWith(prefix)).map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
}

async function metricsText(endpoint: string): Promise<string> {
  const response = await fetch(`${endpoint}/metrics`);
  assert.equal(response.status, 200);
  return response.text();
}

describe('latency histograms on /metrics', () => {
  const suite = useServerAndClient(() => startTestServer(), (server) => kinesisClient(server.endpoint));

  it('count each PutRecord, each append and each push to each subscriber', async () => {
    const { client, server } = suite;
    const { streamName, streamArn, consumerArn } = await streamWithConsumer(client, 'latency-metrics');
    const { Consumer: second } = await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'second' }));
    const before = await metricsText(server.endpoint);
    const putsBefore = sample(before, 'runnel_request_duration_seconds_count{operation="PutRecord"}') ?? 0;
    const appendsBefore = sample(before, 'runnel_append_duration_seconds_count') ?? 0;

    const readers = [await EventReader.open(client, consumerArn, { Type: 'LATEST' }), await EventReader.open(client, second!.ConsumerARN!, { Type: 'LATEST' })];
    for (const reader of readers) assert.deepEqual((await reader.next())?.Records, []);
    const puts = 3;
    for (let i = 0; i < puts; i++) {
      await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: `k${i}`, Data: Buffer.from(`record ${i}`) }));
      for (const reader of readers) await reader.untilRecords(1);
    }
    // The push delay is recorded once the transport pulls the message after the pushed one.
    await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'last', Data: Buffer.from('last') }));
    for (const reader of readers) await reader.untilRecords(1);

    const after = await metricsText(server.endpoint);
    assert.equal(sample(after, 'runnel_request_duration_seconds_count{operation="PutRecord"}'), putsBefore + puts + 1);
    assert.equal(sample(after, 'runnel_append_duration_seconds_count'), appendsBefore + puts + 1);
    const pushes = sample(after, 'runnel_fanout_push_delay_seconds_count');
    assert.ok(pushes !== undefined && pushes >= 2 * puts, `at least ${2 * puts} pushes recorded, got ${pushes}`);
    assert.equal(sample(after, 'runnel_fanout_append_to_push_seconds_count'), pushes, 'both push histograms observe each push');
    const fromAcknowledgement = sample(after, 'runnel_fanout_push_delay_seconds_sum')!;
    assert.ok(fromAcknowledgement > 0);
    assert.ok(sample(after, 'runnel_fanout_append_to_push_seconds_sum')! > fromAcknowledgement, 'an append starts before it is acknowledged');

    const putBuckets = buckets(after, 'runnel_request_duration_seconds', 'operation="PutRecord"');
    assert.ok(putBuckets.length > 10);
    assert.ok(putBuckets.every((count, i) => i === 0 || count >= putBuckets[i - 1]!), 'buckets are cumulative');
    assert.equal(putBuckets.at(-1), putsBefore + puts + 1, 'the +Inf bucket holds every observation');
    assert.equal(sample(after, 'runnel_request_duration_seconds_count{operation="SubscribeToShard"}'), undefined, 'event streams are not request durations');
    for (const reader of readers) await reader.close();
  });
});
