/**
 * One SubscribeToShard consumer in its own worker thread, so that five consumers' event-stream
 * decoding does not queue behind each other or behind the producer. Records carry their send time
 * as epoch milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now(),
 * comparable across threads) in bytes 0–7 and their phase in byte 8.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KinesisClient, SubscribeToShardCommand } from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { LATENCY_PHASE, THROUGHPUT_PHASE } from './fanout-phases.mjs';
import { BENCH_CREDENTIALS, BENCH_REGION } from './kinesis.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { endpoint, consumerArn, shardId, deadlineEpochMs } = workerData;
const nowEpochMs = () => performance.timeOrigin + performance.now();
const client = new KinesisClient({ region: BENCH_REGION, endpoint, credentials: BENCH_CREDENTIALS, maxAttempts: 1, requestHandler: new NodeHttp2Handler({ requestTimeout: 0 }) });
const abort = new AbortController();
const state = { latencies: [], latencyRecords: 0, throughputRecords: 0, throughputLastAtEpochMs: 0, error: undefined };

parentPort.on('message', (message) => {
  if (message.type === 'stop') abort.abort();
});

let opened = false;
try {
  const response = await client.send(new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: { Type: 'LATEST' } }), { abortSignal: abort.signal });
  for await (const event of response.EventStream) {
    if (!opened) {
      opened = true;
      parentPort.postMessage({ type: 'open' });
    }
    const records = event.SubscribeToShardEvent?.Records ?? [];
    const now = nowEpochMs();
    for (const record of records) {
      const data = Buffer.from(record.Data.buffer, record.Data.byteOffset, record.Data.byteLength);
      if (data[8] === LATENCY_PHASE) {
        state.latencyRecords += 1;
        state.latencies.push(now - data.readDoubleLE(0));
      } else if (data[8] === THROUGHPUT_PHASE) {
        state.throughputRecords += 1;
        state.throughputLastAtEpochMs = now;
      }
    }
    parentPort.postMessage({ type: 'progress', latencyRecords: state.latencyRecords, throughputRecords: state.throughputRecords });
    if (Date.now() > deadlineEpochMs) break;
  }
} catch (err) {
  if (!abort.signal.aborted) state.error = `${err.name}: ${err.message}`;
} finally {
  client.destroy();
  parentPort.postMessage({ type: 'done', state });
}
