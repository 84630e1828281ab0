/**
 * Enhanced fan-out: N registered consumers subscribe (SubscribeToShard, SDK over HTTP/2 cleartext,
 * its default handler) to one shard from LATEST. Phase 1 puts small records one at a time and
 * measures put → push latency at every consumer; phase 2 puts PutRecords batches for a few seconds
 * and measures the records/s each consumer receives. Producers and consumers share this process's
 * clock: each record carries its send time in its first 8 bytes.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_CREDENTIALS, BENCH_REGION, createClient, uniqueStreamName } from '../kinesis.mjs';
import { progress } from '../log.mjs';
import { waitUntil } from '../processes.mjs';
import { perSecond, summarizeLatencies } from '../stats.mjs';

const LATENCY_PHASE = 1;
const THROUGHPUT_PHASE = 2;
const SHARD_ID = 'shardId-000000000000';

function stampedRecord(bytes, phase) {
  const data = randomBytes(Math.max(bytes, 9));
  data.writeDoubleLE(performance.now(), 0);
  data[8] = phase;
  return data;
}

function restamp(data) {
  data.writeDoubleLE(performance.now(), 0);
}

async function registerActiveConsumer(client, streamArn, name) {
  const { Consumer } = await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: name }));
  await waitUntil(
    `consumer ${name} ACTIVE`,
    async () => (await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer.ConsumerARN }))).ConsumerDescription.ConsumerStatus === 'ACTIVE',
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return Consumer.ConsumerARN;
}

/** One subscriber: counts records per phase, and latencies of latency-phase records. */
function subscriber(endpoint, consumerArn, deadline) {
  const client = new KinesisClient({ region: BENCH_REGION, endpoint, credentials: BENCH_CREDENTIALS, maxAttempts: 1, requestHandler: new NodeHttp2Handler({ requestTimeout: 0 }) });
  const abort = new AbortController();
  const state = { latencies: [], throughputRecords: 0, throughputLastAt: 0, latencyRecords: 0, error: undefined };
  let markOpen;
  const opened = new Promise((resolve) => (markOpen = resolve));
  const done = (async () => {
    try {
      const response = await client.send(new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: SHARD_ID, StartingPosition: { Type: 'LATEST' } }), { abortSignal: abort.signal });
      for await (const event of response.EventStream) {
        markOpen();
        const records = event.SubscribeToShardEvent?.Records ?? [];
        const now = performance.now();
        for (const record of records) {
          const data = Buffer.from(record.Data.buffer, record.Data.byteOffset, record.Data.byteLength);
          if (data[8] === LATENCY_PHASE) {
            state.latencyRecords += 1;
            state.latencies.push(now - data.readDoubleLE(0));
          } else if (data[8] === THROUGHPUT_PHASE) {
            state.throughputRecords += 1;
            state.throughputLastAt = now;
          }
        }
        if (performance.now() > deadline) break;
      }
    } catch (err) {
      if (!abort.signal.aborted) state.error = `${err.name}: ${err.message}`;
    } finally {
      markOpen();
    }
  })();
  return {
    state,
    opened,
    async close() {
      abort.abort();
      await Promise.race([done, sleep(2_000)]);
      client.destroy();
    },
  };
}

export async function runFanout({ target, config }) {
  const { consumers, latencyRecords, latencyRecordBytes, throughputSeconds, throughputProducers, batchRecords, recordBytes } = config.fanout;
  progress(`${target.name}: fan-out: ${consumers} consumers on one shard; ${latencyRecords} single puts of ${latencyRecordBytes} B, then ${throughputProducers} producers × PutRecords ${batchRecords} × ${recordBytes} B for ${throughputSeconds}s`);
  const setup = createClient(target.endpoint, { requestTimeoutMs: config.requestTimeoutMs });
  const streamName = uniqueStreamName('bench-fanout');
  const stageDeadline = performance.now() + (60 + throughputSeconds * 3) * 1000;
  const subscribers = [];
  try {
    await setup.client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
    let streamArn;
    await waitUntil(`${streamName} ACTIVE`, async () => {
      const { StreamDescriptionSummary: summary } = await setup.client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      streamArn = summary.StreamARN;
      return summary.StreamStatus === 'ACTIVE';
    }, { timeoutMs: 30_000, intervalMs: 100 });
    for (let i = 0; i < consumers; i++) {
      const consumerArn = await registerActiveConsumer(setup.client, streamArn, `bench-consumer-${i}`);
      subscribers.push(subscriber(target.endpoint, consumerArn, stageDeadline));
    }
    await Promise.race([Promise.all(subscribers.map((s) => s.opened)), sleep(10_000)]);
    const failed = subscribers.find((s) => s.state.error);
    if (failed) throw new Error(`subscription failed: ${failed.state.error}`);

    const latencyDeadline = performance.now() + 30_000;
    let sent = 0;
    for (; sent < latencyRecords && performance.now() < latencyDeadline; sent++) {
      await setup.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: `fanout-${sent}`, Data: stampedRecord(latencyRecordBytes, LATENCY_PHASE) }));
      await sleep(1);
    }
    await waitUntil('every consumer received the latency records', async () => subscribers.every((s) => s.state.latencyRecords >= sent), { timeoutMs: 10_000, intervalMs: 20 }).catch(() => {});

    const throughputStartedAt = performance.now();
    const throughputDeadline = throughputStartedAt + throughputSeconds * 1000;
    let putRecords = 0;
    await Promise.all(Array.from({ length: throughputProducers }, async (_, p) => {
      const { client, close } = createClient(target.endpoint, { requestTimeoutMs: config.requestTimeoutMs });
      const records = Array.from({ length: batchRecords }, (_, i) => ({ PartitionKey: `fanout-${p}-${i}`, Data: stampedRecord(recordBytes, THROUGHPUT_PHASE) }));
      try {
        while (performance.now() < throughputDeadline) {
          for (const record of records) restamp(record.Data);
          const out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: records }));
          putRecords += records.length - (out.FailedRecordCount ?? 0);
        }
      } finally {
        close();
      }
    }));
    const putElapsedMs = performance.now() - throughputStartedAt;
    await waitUntil('every consumer received the throughput records', async () => subscribers.every((s) => s.state.throughputRecords >= putRecords), { timeoutMs: 30_000, intervalMs: 20 }).catch(() => {});

    const allLatencies = subscribers.flatMap((s) => s.state.latencies);
    const perConsumer = subscribers.map((s) => ({
      latencyRecords: s.state.latencyRecords,
      throughputRecords: s.state.throughputRecords,
      recordsPerSec: perSecond(s.state.throughputRecords, Math.max(s.state.throughputLastAt - throughputStartedAt, putElapsedMs)),
      error: s.state.error,
    }));
    const result = {
      consumers,
      latencySent: sent,
      pushLatency: summarizeLatencies(allLatencies),
      throughputPut: putRecords,
      putRecordsPerSec: perSecond(putRecords, putElapsedMs),
      minConsumerRecordsPerSec: Math.min(...perConsumer.map((c) => c.recordsPerSec)),
      complete: perConsumer.every((c) => c.latencyRecords >= sent && c.throughputRecords >= putRecords),
      perConsumer,
    };
    progress(`${target.name}: fan-out push latency p50 ${result.pushLatency.p50Ms?.toFixed(2)} ms, p99 ${result.pushLatency.p99Ms?.toFixed(2)} ms; slowest consumer ${Math.round(result.minConsumerRecordsPerSec)} records/s (put ${Math.round(result.putRecordsPerSec)}/s)${result.complete ? '' : ' (INCOMPLETE)'}`);
    return result;
  } finally {
    await Promise.all(subscribers.map((s) => s.close()));
    setup.close();
  }
}
