/**
 * Enhanced fan-out: N registered consumers subscribe (SubscribeToShard, SDK over HTTP/2 cleartext,
 * its default handler) to one shard from LATEST. Phase 1 puts small records one at a time and
 * measures put → push latency at every consumer; phase 2 puts PutRecords batches for a few seconds
 * and measures the records/s each consumer receives. Producers and consumers share this process's
 * clock: each record carries its send time in its first 8 bytes.
 *
 * Put → push is reported from three starting points, each to the moment the consumer's SDK handed
 * the decoded event to the application:
 * - from send(): the producer stamps the record just before `client.send()`, so the SDK's
 *   serialisation and SigV4 signing are inside the figure (what an application sees);
 * - from the wire: when the signed request is handed to the HTTP handler (a middleware right after
 *   signing), so only the request's transmission, the server and the consumer are inside;
 * - from the server's arrival time: the record's ApproximateArrivalTimestamp, the server's
 *   wall clock when it handled the PutRecord, in whole milliseconds (truncated, so this figure is
 *   0–1 ms too high); it leaves out the producer and the request's way to the server.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import {
  CreateStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
} from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, uniqueStreamName } from '../kinesis.mjs';
import { LATENCY_COUNT, LATENCY_PHASE, THROUGHPUT_COUNT, THROUGHPUT_PHASE } from '../fanout-phases.mjs';
import { progress } from '../log.mjs';
import { signedLookingHeaders } from '../raw-load.mjs';
import { cpuMeter, waitUntil } from '../processes.mjs';
import { histogramSummary, scrapeHistograms } from '../server-histograms.mjs';
import { perSecond, summarizeLatencies } from '../stats.mjs';

const SHARD_ID = 'shardId-000000000000';
const WORKER_URL = new URL('../fanout-consumer-worker.mjs', import.meta.url);
const nowEpochMs = () => performance.timeOrigin + performance.now();

function stampedRecord(bytes, phase) {
  const data = randomBytes(Math.max(bytes, 9));
  data.writeDoubleLE(nowEpochMs(), 0);
  data[8] = phase;
  return data;
}

function restamp(data) {
  data.writeDoubleLE(nowEpochMs(), 0);
}

/**
 * Records, per latency-phase record (keyed by its send stamp), when its PutRecord request leaves
 * the SDK: a middleware placed right after signing, so serialisation and SigV4 are behind it and
 * only the HTTP handler's write is ahead.
 */
function stampPutsOnTheWire(client) {
  const times = new Map();
  client.middlewareStack.addRelativeTo((next) => async (args) => {
    const data = args.input?.Data;
    if (data?.[8] === LATENCY_PHASE) times.set(Buffer.from(data.buffer, data.byteOffset, data.byteLength).readDoubleLE(0), { onWireAt: nowEpochMs(), ackedAt: undefined });
    return next(args);
  }, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'benchPutOnTheWire' });
  return times;
}

/**
 * PutRecord without the SDK (BENCH_FANOUT_PRODUCER=lean): node:http on a keep-alive connection, a
 * JSON body and signed-looking headers, so the producer's own serialisation and signing (about a
 * millisecond per request through the SDK on this kind of machine) are not inside the figures. Puts
 * one record, records when its request left and when it was acknowledged in `times`.
 */
function leanPutter(endpoint, streamName, times) {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    put(partitionKey, data) {
      const body = Buffer.from(JSON.stringify({ StreamName: streamName, PartitionKey: partitionKey, Data: data.toString('base64') }));
      const headers = signedLookingHeaders('PutRecord', body.length);
      const entry = { onWireAt: nowEpochMs(), ackedAt: undefined };
      times.set(data.readDoubleLE(0), entry);
      return new Promise((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: '/', method: 'POST', agent, headers }, (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            entry.ackedAt = nowEpochMs();
            if (res.statusCode === 200) resolve();
            else reject(new Error(`PutRecord: HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`));
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
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

/**
 * The consumers, spread round-robin over `threadCount` worker threads. Each consumer's `counts`
 * follow its progress; `close()` stops them all and returns each one's final state, in order.
 */
function startConsumers(endpoint, consumerArns, threadCount, deadlineEpochMs, lean) {
  const consumers = consumerArns.map((consumerArn, index) => {
    const progress = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
    const shared = new Int32Array(progress);
    const consumer = {
      index,
      consumerArn,
      progress,
      counts: {
        get latencyRecords() { return Atomics.load(shared, LATENCY_COUNT); },
        get throughputRecords() { return Atomics.load(shared, THROUGHPUT_COUNT); },
        error: undefined,
      },
    };
    consumer.opened = new Promise((resolve) => (consumer.markOpen = resolve));
    consumer.finished = new Promise((resolve) => (consumer.finish = resolve));
    return consumer;
  });
  const finish = (consumer, state) => {
    consumer.counts.error = state.error;
    consumer.markOpen();
    consumer.finish(state);
  };
  const workers = Array.from({ length: Math.min(threadCount, consumers.length) }, (_, thread, members = consumers.filter((c) => c.index % threadCount === thread)) => {
    const worker = new Worker(WORKER_URL, {
      workerData: { endpoint, shardId: SHARD_ID, deadlineEpochMs, lean, consumers: members.map(({ index, consumerArn, progress }) => ({ index, consumerArn, progress })) },
    });
    worker.on('message', (message) => {
      const consumer = consumers[message.index];
      if (message.type === 'open') consumer.markOpen();
      else if (message.type === 'done') finish(consumer, message.state);
    });
    worker.once('error', (err) => {
      for (const consumer of members) finish(consumer, { deliveries: [], latencyRecords: 0, throughputRecords: 0, throughputLastAtEpochMs: 0, error: err.message });
    });
    return worker;
  });
  let closing;
  return {
    consumers,
    close() {
      closing ??= (async () => {
        for (const worker of workers) worker.postMessage({ type: 'stop' });
        const states = await Promise.all(consumers.map(async (consumer) => {
          const state = await Promise.race([consumer.finished, sleep(5_000).then(() => undefined)]);
          return state ?? { deliveries: [], latencyRecords: consumer.counts.latencyRecords, throughputRecords: consumer.counts.throughputRecords, throughputLastAtEpochMs: 0, error: 'did not stop' };
        }));
        await Promise.all(workers.map((worker) => worker.terminate()));
        return states;
      })();
      return closing;
    },
  };
}

const sum = (values) => (values.some((v) => v === undefined) ? undefined : values.reduce((a, b) => a + b, 0));
function median(values) {
  const defined = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return defined.length ? defined[Math.floor(defined.length / 2)] : undefined;
}

/** A consumer's throughput-phase counters as rates: its thread's CPU and how big its events were. */
function throughputShape(t) {
  if (!t || t.records === 0) return { records: 0 };
  const spanMs = t.lastAtEpochMs - t.firstAtEpochMs;
  const cpuMs = t.cpuStartMs === undefined || t.cpuEndMs === undefined ? undefined : t.cpuEndMs - t.cpuStartMs;
  return {
    records: t.records,
    events: t.events,
    recordsPerEvent: t.records / t.events,
    maxRecordsPerEvent: t.maxRecordsPerEvent,
    spanMs,
    cpuMs,
    cpuCores: cpuMs === undefined || spanMs <= 0 ? undefined : cpuMs / spanMs,
    cpuUsPerRecord: cpuMs === undefined ? undefined : (cpuMs * 1000) / t.records,
  };
}

/** The clients of the configured pass: SDK unless BENCH_FANOUT_PRODUCER / BENCH_FANOUT_CONSUMER say `lean`. */
export function configuredClients(config) {
  return {
    leanProducer: process.env.BENCH_FANOUT_PRODUCER === 'lean',
    leanConsumers: process.env.BENCH_FANOUT_CONSUMER === 'lean',
    consumerThreads: config.fanout.consumerThreads,
  };
}

/** Clients that cost as little as they can: what is left of put → push is the server and the machine. */
export const LEAN_CLIENTS = { leanProducer: true, leanConsumers: true, consumerThreads: 1 };

export async function runFanout({ target, config, clients = configuredClients(config) }) {
  const { consumers, latencyRecords, latencyRecordBytes, throughputSeconds, throughputProducers, batchRecords, recordBytes } = config.fanout;
  const { leanConsumers, leanProducer, consumerThreads } = clients;
  progress(`${target.name}: fan-out: ${leanProducer ? 'lean producer, ' : ''}${leanConsumers ? 'lean ' : ''}${consumers} consumers in ${Math.min(consumerThreads, consumers)} worker thread(s) on one shard; ${latencyRecords} single puts of ${latencyRecordBytes} B, then ${throughputProducers} producers × PutRecords ${batchRecords} × ${recordBytes} B for ${throughputSeconds}s`);
  const setup = createClient(target.endpoint, { requestTimeoutMs: config.requestTimeoutMs });
  const streamName = uniqueStreamName('bench-fanout');
  const stageDeadlineEpochMs = Date.now() + (90 + throughputSeconds * 3) * 1000;
  let group;
  let finalStates;
  try {
    await setup.client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
    let streamArn;
    await waitUntil(`${streamName} ACTIVE`, async () => {
      const { StreamDescriptionSummary: summary } = await setup.client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      streamArn = summary.StreamARN;
      return summary.StreamStatus === 'ACTIVE';
    }, { timeoutMs: 30_000, intervalMs: 100 });
    const consumerArns = [];
    for (let i = 0; i < consumers; i++) consumerArns.push(await registerActiveConsumer(setup.client, streamArn, `bench-consumer-${i}`));
    group = startConsumers(target.endpoint, consumerArns, consumerThreads, stageDeadlineEpochMs, leanConsumers);
    const subscribers = group.consumers;
    await Promise.race([Promise.all(subscribers.map((s) => s.opened)), sleep(30_000)]);
    const failed = subscribers.find((s) => s.counts.error);
    if (failed) throw new Error(`subscription failed: ${failed.counts.error}`);

    const putTimes = stampPutsOnTheWire(setup.client);
    const serverBefore = target.name === 'runnel' ? await scrapeHistograms(target.endpoint) : undefined;
    const producerLoopDelay = monitorEventLoopDelay({ resolution: 10 });
    producerLoopDelay.enable();
    const latencyDeadline = performance.now() + 30_000;
    let sent = 0;
    const lean = leanProducer ? leanPutter(target.endpoint, streamName, putTimes) : undefined;
    try {
      for (; sent < latencyRecords && performance.now() < latencyDeadline; sent++) {
        const data = stampedRecord(latencyRecordBytes, LATENCY_PHASE);
        if (lean) {
          await lean.put(`fanout-${sent}`, data);
        } else {
          await setup.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: `fanout-${sent}`, Data: data }));
          putTimes.get(data.readDoubleLE(0)).ackedAt = nowEpochMs();
        }
        await sleep(1);
      }
    } finally {
      lean?.close();
    }
    producerLoopDelay.disable();
    await waitUntil('every consumer received the latency records', async () => subscribers.every((s) => s.counts.latencyRecords >= sent), { timeoutMs: 10_000, intervalMs: 20 }).catch(() => {});
    const serverAfter = serverBefore ? await scrapeHistograms(target.endpoint) : undefined;

    const stopCpuMeter = await cpuMeter(target.process.pid);
    const throughputStartedAtEpochMs = nowEpochMs();
    const throughputDeadline = performance.now() + throughputSeconds * 1000;
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
    const putElapsedMs = nowEpochMs() - throughputStartedAtEpochMs;
    await waitUntil('every consumer received the throughput records', async () => subscribers.every((s) => s.counts.throughputRecords >= putRecords), { timeoutMs: 30_000, intervalMs: 20 }).catch(() => {});
    const cpu = await stopCpuMeter();
    const throughputElapsedMs = nowEpochMs() - throughputStartedAtEpochMs;

    finalStates = await group.close();
    const perConsumer = finalStates.map((state) => ({
      latencyRecords: state.latencyRecords,
      throughputRecords: state.throughputRecords,
      recordsPerSec: perSecond(state.throughputRecords, Math.max(state.throughputLastAtEpochMs - throughputStartedAtEpochMs, putElapsedMs)),
      loopDelayMs: state.loopDelayMs,
      gc: state.gc,
      error: state.error,
      throughput: throughputShape(state.throughput),
    }));
    const deliveries = finalStates.flatMap((state) => state.deliveries);
    const puts = [...putTimes].map(([sentAt, times]) => ({ sentAt, ...times }));
    if (process.env.BENCH_FANOUT_SAMPLES) await writeFile(process.env.BENCH_FANOUT_SAMPLES, JSON.stringify({ puts, deliveries: finalStates.map((state) => state.deliveries) }));
    const result = {
      consumers,
      consumerThreads: Math.min(consumerThreads, consumers),
      latencySent: sent,
      pushLatency: summarizeLatencies(deliveries.map(([sentAt, receivedAt]) => receivedAt - sentAt)),
      pushLatencyFromWire: summarizeLatencies(deliveries.map(([sentAt, receivedAt]) => receivedAt - putTimes.get(sentAt).onWireAt)),
      pushLatencyFromServerArrival: summarizeLatencies(deliveries.map(([, receivedAt, arrivalMs]) => receivedAt - arrivalMs)),
      putPreparation: summarizeLatencies(puts.map((put) => put.onWireAt - put.sentAt)),
      putAckFromWire: summarizeLatencies(puts.map((put) => put.ackedAt - put.onWireAt)),
      /** The server's own histograms over the latency phase (bucket-interpolated): PutRecord from
       * its arrival to its reply, the append inside it, append → push per consumer (the server's
       * part of put → push) and the share of that after the append was acknowledged. */
      server: serverAfter && {
        putRecord: histogramSummary(serverBefore, serverAfter, 'runnel_request_duration_seconds{operation="PutRecord"}'),
        append: histogramSummary(serverBefore, serverAfter, 'runnel_append_duration_seconds{}'),
        appendToPush: histogramSummary(serverBefore, serverAfter, 'runnel_fanout_append_to_push_seconds{}'),
        pushDelay: histogramSummary(serverBefore, serverAfter, 'runnel_fanout_push_delay_seconds{}'),
      },
      producerLoopDelayMs: { p50: producerLoopDelay.percentile(50) / 1e6, p99: producerLoopDelay.percentile(99) / 1e6, max: producerLoopDelay.max / 1e6 },
      throughputPut: putRecords,
      putRecordsPerSec: perSecond(putRecords, putElapsedMs),
      minConsumerRecordsPerSec: Math.min(...perConsumer.map((c) => c.recordsPerSec)),
      consumerKind: leanConsumers ? 'lean (node:http2 + Runnel decoder)' : 'SDK',
      producerKind: leanProducer ? 'lean (node:http, no SDK)' : 'SDK',
      throughputPhase: {
        elapsedMs: throughputElapsedMs,
        serverCpuCores: cpu.serverCores,
        serverCpuUsPerRecord: cpu.serverCores === undefined ? undefined : (cpu.serverCores * throughputElapsedMs * 1000) / putRecords,
        benchCpuCores: cpu.benchCores,
        // Consumers sharing a thread report the same thread's CPU: counted once per thread.
        consumerCpuCores: sum(perConsumer.filter((_, i) => i < Math.min(consumerThreads, consumers)).map((c) => c.throughput.cpuCores)),
        consumerCpuUsPerRecord: median(perConsumer.map((c) => c.throughput.cpuUsPerRecord)),
        recordsPerEvent: median(perConsumer.map((c) => c.throughput.recordsPerEvent)),
      },
      complete: perConsumer.every((c) => c.latencyRecords >= sent && c.throughputRecords >= putRecords),
      perConsumer,
    };
    const quantiles = (summary) => [summary.p50Ms, summary.p90Ms, summary.p99Ms, summary.maxMs].map((ms) => ms?.toFixed(2)).join(' / ');
    progress(`${target.name}: fan-out p50 / p90 / p99 / max ms: put → push from send() ${quantiles(result.pushLatency)}; from the wire ${quantiles(result.pushLatencyFromWire)}; from the server's arrival time ${quantiles(result.pushLatencyFromServerArrival)}; producer preparation (serialisation, signing) ${quantiles(result.putPreparation)}; put ack from the wire ${quantiles(result.putAckFromWire)}`);
    if (result.server) {
      const brief = (summary) => (summary ? [summary.p50Ms, summary.p90Ms, summary.p99Ms].map((ms) => ms?.toFixed(2)).join(' / ') + ` (${summary.count})` : 'n/a');
      progress(`${target.name}: fan-out, the server's own histograms, p50 / p90 / p99 ms (observations): PutRecord arrival → reply ${brief(result.server.putRecord)}; append → durable ${brief(result.server.append)}; append → push handed to each connection ${brief(result.server.appendToPush)}, of which after durable ${brief(result.server.pushDelay)}`);
    }
    const t = result.throughputPhase;
    progress(`${target.name}: fan-out throughput phase (${result.consumerKind} consumers, ${(t.elapsedMs / 1000).toFixed(1)} s until all received): server ${t.serverCpuCores?.toFixed(2)} cores (${t.serverCpuUsPerRecord?.toFixed(1)} CPU-µs per record put), consumer threads ${t.consumerCpuCores?.toFixed(2)} cores together (${t.consumerCpuUsPerRecord?.toFixed(1)} CPU-µs per record each, median), bench process ${t.benchCpuCores?.toFixed(2)} cores; ${t.recordsPerEvent?.toFixed(0)} records per event (median); per consumer records/s ${perConsumer.map((c) => Math.round(c.recordsPerSec)).join(', ')}`);
    progress(`${target.name}: fan-out push latency p50 ${result.pushLatency.p50Ms?.toFixed(2)} ms, p99 ${result.pushLatency.p99Ms?.toFixed(2)} ms; slowest consumer ${Math.round(result.minConsumerRecordsPerSec)} records/s (put ${Math.round(result.putRecordsPerSec)}/s)${result.complete ? '' : ' (INCOMPLETE)'}`);
    return result;
  } finally {
    await group?.close();
    setup.close();
  }
}
