/**
 * One SubscribeToShard consumer in its own worker thread, so that five consumers' event-stream
 * decoding does not queue behind each other or behind the producer. Records carry their send time
 * as epoch milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now(),
 * comparable across threads) in bytes 0–7 and their phase in byte 8.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { KinesisClient, SubscribeToShardCommand } from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { LATENCY_COUNT, LATENCY_PHASE, THROUGHPUT_COUNT, THROUGHPUT_PHASE } from './fanout-phases.mjs';
import { BENCH_CREDENTIALS, BENCH_REGION } from './kinesis.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { endpoint, consumerArn, shardId, deadlineEpochMs, progress } = workerData;
/** Counts the main thread reads while it waits: shared memory, not a message per event, so the
 * producer's thread is not woken five times per record while it is being measured. */
const counts = new Int32Array(progress);
const nowEpochMs = () => performance.timeOrigin + performance.now();
const client = new KinesisClient({ region: BENCH_REGION, endpoint, credentials: BENCH_CREDENTIALS, maxAttempts: 1, requestHandler: new NodeHttp2Handler({ requestTimeout: 0 }) });
const abort = new AbortController();
/** Latency-phase deliveries as [send stamp, received at, ApproximateArrivalTimestamp ms]; the main
 * thread pairs them with the producer's other timestamps of the same record. */
const state = { deliveries: [], latencyRecords: 0, throughputRecords: 0, throughputLastAtEpochMs: 0, error: undefined };

/** What else held this thread up while subscribed, up to the first throughput-phase record:
 * event-loop delay and garbage-collection pauses. */
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
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

function snapshotLatencyPhase() {
  if (state.loopDelayMs) return;
  loopDelay.disable();
  gcObserver.disconnect();
  state.loopDelayMs = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
  state.gc = gc;
}

parentPort.on('message', (message) => {
  if (message.type === 'stop') abort.abort();
});

let opened = false;
try {
  const response = await client.send(new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: { Type: 'LATEST' } }), { abortSignal: abort.signal });
  for await (const event of response.EventStream) {
    if (!opened) {
      opened = true;
      loopDelay.reset();
      parentPort.postMessage({ type: 'open' });
    }
    const records = event.SubscribeToShardEvent?.Records ?? [];
    const now = nowEpochMs();
    for (const record of records) {
      const data = Buffer.from(record.Data.buffer, record.Data.byteOffset, record.Data.byteLength);
      if (data[8] === LATENCY_PHASE) {
        state.latencyRecords += 1;
        state.deliveries.push([data.readDoubleLE(0), now, record.ApproximateArrivalTimestamp.getTime()]);
      } else if (data[8] === THROUGHPUT_PHASE) {
        if (state.throughputRecords === 0) snapshotLatencyPhase();
        state.throughputRecords += 1;
        state.throughputLastAtEpochMs = now;
      }
    }
    Atomics.store(counts, LATENCY_COUNT, state.latencyRecords);
    Atomics.store(counts, THROUGHPUT_COUNT, state.throughputRecords);
    if (Date.now() > deadlineEpochMs) break;
  }
} catch (err) {
  if (!abort.signal.aborted) state.error = `${err.name}: ${err.message}`;
} finally {
  client.destroy();
  snapshotLatencyPhase();
  parentPort.postMessage({ type: 'done', state });
}
