/**
 * SubscribeToShard consumers in a worker thread, away from the producer's thread: one each by
 * default, so that five consumers' event-stream decoding does not queue behind each other, or
 * several sharing the thread (BENCH_FANOUT_CONSUMER_THREADS), which wakes fewer threads per record
 * on a machine with few cores. Each consumer has its own client and HTTP/2 connection, as separate
 * applications would. Records carry their send time
 * as epoch milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now(),
 * comparable across threads) in bytes 0–7 and their phase in byte 8.
 */
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { KinesisClient, SubscribeToShardCommand } from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { LATENCY_COUNT, LATENCY_PHASE, THROUGHPUT_COUNT, THROUGHPUT_PHASE } from './fanout-phases.mjs';
import { BENCH_CREDENTIALS, BENCH_REGION } from './kinesis.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { endpoint, consumers, shardId, deadlineEpochMs, lean } = workerData;
const nowEpochMs = () => performance.timeOrigin + performance.now();
/** BENCH_FANOUT_WINDOW_BYTES: the consumer's HTTP/2 receive window (stream and connection), for
 * comparison with Node's and the SDK's default of 65,535 bytes. The SDK has no option for the
 * connection window, so its sessions get it through the http2.connect they call. */
const windowBytes = Number(process.env.BENCH_FANOUT_WINDOW_BYTES) || undefined;
function withReceiveWindow(session) {
  if (windowBytes) session.once('connect', () => session.setLocalWindowSize(windowBytes));
  return session;
}
if (windowBytes) {
  const connect = http2.connect;
  http2.connect = (authority, options, listener) => withReceiveWindow(connect(authority, { ...options, settings: { ...options?.settings, initialWindowSize: windowBytes } }, listener));
}
const abort = new AbortController();

/** Linux clock ticks per second of /proc CPU times. */
const CLOCK_TICKS_PER_SECOND = 100;
/** CPU time (user + system) of this thread alone, in ms: /proc/thread-self, read synchronously so
 * the read runs on this thread. Undefined without /proc. */
function threadCpuMs() {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** What else held this thread up while subscribed, up to the first throughput-phase record:
 * event-loop delay and garbage-collection pauses (the thread's, shared by its consumers). */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const gc = { pauses: 0, totalMs: 0, maxMs: 0 };
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.pauses += 1;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
});
gcObserver.observe({ entryTypes: ['gc'] });
let threadLatencyPhase;
function snapshotLatencyPhase() {
  if (threadLatencyPhase) return threadLatencyPhase;
  loopDelay.disable();
  gcObserver.disconnect();
  threadLatencyPhase = { loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 }, gc };
  return threadLatencyPhase;
}

parentPort.on('message', (message) => {
  if (message.type === 'stop') abort.abort();
});

let openedConsumers = 0;

/** One subscription's counters and deliveries. */
class Consumer {
  constructor(index, consumerArn, progress) {
    this.index = index;
    this.consumerArn = consumerArn;
    /** Counts the main thread reads while it waits: shared memory, not a message per event, so
     * the producer's thread is not woken five times per record while it is being measured. */
    this.counts = new Int32Array(progress);
    this.opened = false;
    /** Latency-phase deliveries as [send stamp, received at, ApproximateArrivalTimestamp ms]; the
     * main thread pairs them with the producer's other timestamps of the same record. */
    this.state = { deliveries: [], latencyRecords: 0, throughputRecords: 0, throughputLastAtEpochMs: 0, error: undefined, throughput: undefined };
    /** Throughput phase, from the first event holding its records to the last: the thread's CPU
     * and the events' sizes, to tell a consumer that is busy from one that waits for the server. */
    this.throughput = { events: 0, records: 0, payloadBytes: 0, maxRecordsPerEvent: 0, firstAtEpochMs: 0, lastAtEpochMs: 0, cpuStartMs: undefined, cpuEndMs: undefined };
  }

  /** One decoded SubscribeToShardEvent: `records` have `Data` as bytes and `ApproximateArrivalTimestamp` as a Date. */
  onEvent(records, payloadBytes) {
    const { state, throughput } = this;
    if (!this.opened) {
      this.opened = true;
      if (++openedConsumers === consumers.length) loopDelay.reset();
      parentPort.postMessage({ type: 'open', index: this.index });
    }
    const now = nowEpochMs();
    let throughputRecords = 0;
    for (const record of records) {
      const data = Buffer.from(record.Data.buffer, record.Data.byteOffset, record.Data.byteLength);
      if (data[8] === LATENCY_PHASE) {
        state.latencyRecords += 1;
        state.deliveries.push([data.readDoubleLE(0), now, record.ApproximateArrivalTimestamp.getTime()]);
      } else if (data[8] === THROUGHPUT_PHASE) {
        if (state.throughputRecords === 0) {
          snapshotLatencyPhase();
          throughput.firstAtEpochMs = now;
          throughput.cpuStartMs = threadCpuMs();
        }
        state.throughputRecords += 1;
        throughputRecords += 1;
        state.throughputLastAtEpochMs = now;
      }
    }
    if (throughputRecords > 0) {
      throughput.events += 1;
      throughput.records += throughputRecords;
      throughput.payloadBytes += payloadBytes;
      throughput.maxRecordsPerEvent = Math.max(throughput.maxRecordsPerEvent, throughputRecords);
      throughput.lastAtEpochMs = nowEpochMs();
      throughput.cpuEndMs = threadCpuMs();
    }
    Atomics.store(this.counts, LATENCY_COUNT, state.latencyRecords);
    Atomics.store(this.counts, THROUGHPUT_COUNT, state.throughputRecords);
  }

  async subscribeWithSdk() {
    const client = new KinesisClient({ region: BENCH_REGION, endpoint, credentials: BENCH_CREDENTIALS, maxAttempts: 1, requestHandler: new NodeHttp2Handler({ requestTimeout: 0 }) });
    try {
      const response = await client.send(new SubscribeToShardCommand({ ConsumerARN: this.consumerArn, ShardId: shardId, StartingPosition: { Type: 'LATEST' } }), { abortSignal: abort.signal });
      for await (const event of response.EventStream) {
        this.onEvent(event.SubscribeToShardEvent?.Records ?? [], 0);
        if (Date.now() > deadlineEpochMs) break;
      }
    } finally {
      client.destroy();
    }
  }

  /**
   * The same subscription without the SDK, for comparison (BENCH_FANOUT_CONSUMER=lean): raw
   * node:http2 and Runnel's own event-stream decoder, JSON.parse and base64 decoding of each record.
   * The server runs without access keys, so a well-formed Authorization header is all it checks.
   */
  async subscribeLean() {
    const { EventStreamDecoder } = await import(new URL('../../dist/src/wire/event-stream/decoder.js', import.meta.url).href);
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const session = http2.connect(endpoint);
    abort.signal.addEventListener('abort', () => session.destroy(), { once: true });
    try {
      const request = session.request({
        ':method': 'POST',
        ':path': '/',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Kinesis_20131202.SubscribeToShard',
        'x-amz-date': amzDate,
        authorization: `AWS4-HMAC-SHA256 Credential=${BENCH_CREDENTIALS.accessKeyId}/${amzDate.slice(0, 8)}/${BENCH_REGION}/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
      });
      request.end(JSON.stringify({ ConsumerARN: this.consumerArn, ShardId: shardId, StartingPosition: { Type: 'LATEST' } }));
      const decoder = new EventStreamDecoder();
      for await (const chunk of request) {
        for (const frame of decoder.push(chunk)) {
          const type = frame.headers.find((header) => header.name === ':event-type' || header.name === ':exception-type');
          if (type?.name === ':exception-type') throw new Error(`${type.value.value}: ${Buffer.from(frame.payload).toString()}`);
          if (type?.value.value !== 'SubscribeToShardEvent') continue;
          const event = JSON.parse(Buffer.from(frame.payload.buffer, frame.payload.byteOffset, frame.payload.byteLength).toString('utf8'));
          const records = event.Records.map((record) => ({ Data: Buffer.from(record.Data, 'base64'), ApproximateArrivalTimestamp: new Date(record.ApproximateArrivalTimestamp * 1000) }));
          this.onEvent(records, frame.payload.byteLength);
        }
        if (Date.now() > deadlineEpochMs) break;
      }
    } finally {
      session.destroy();
    }
  }

  async run() {
    try {
      await (lean ? this.subscribeLean() : this.subscribeWithSdk());
    } catch (err) {
      if (!abort.signal.aborted) this.state.error = `${err.name}: ${err.message}`;
    } finally {
      const { loopDelayMs, gc: threadGc } = snapshotLatencyPhase();
      this.state.loopDelayMs = loopDelayMs;
      this.state.gc = threadGc;
      this.state.throughput = this.throughput;
      parentPort.postMessage({ type: 'done', index: this.index, state: this.state });
    }
  }
}

await Promise.all(consumers.map(({ index, consumerArn, progress }) => new Consumer(index, consumerArn, progress).run()));
