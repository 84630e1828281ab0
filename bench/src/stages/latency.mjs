/**
 * Latency: PutRecord of a small record, one connection, one request at a time. Measured twice:
 * through the SDK (what an application sees, including signing and serialization) and with the raw
 * load generator (the server's own turnaround, client overhead near zero).
 */
import { randomBytes } from 'node:crypto';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { createClient } from '../kinesis.mjs';
import { progress } from '../log.mjs';
import { putRecordBody, runRawLoad } from '../raw-load.mjs';
import { summarizeLatencies } from '../stats.mjs';

async function sdkLatencies({ target, config, streamName, count }) {
  const { warmup, recordBytes, maxSeconds } = config.latency;
  const { client, close } = createClient(target.endpoint, { requestTimeoutMs: config.requestTimeoutMs });
  const data = randomBytes(recordBytes);
  const samples = [];
  let errors = 0;
  let firstError;
  const deadline = performance.now() + maxSeconds * 1000;
  try {
    for (let i = 0; i < warmup + count && performance.now() < deadline && errors < 20; i++) {
      const sentAt = performance.now();
      try {
        await client.send(new PutRecordCommand({ StreamName: streamName, Data: data, PartitionKey: `lat-${i}` }));
        if (i >= warmup) samples.push(performance.now() - sentAt);
      } catch (err) {
        errors += 1;
        firstError ??= `${err.name}: ${err.message}`;
      }
    }
  } finally {
    close();
  }
  return { ...summarizeLatencies(samples), errors, firstError };
}

async function rawLatencies({ target, config, streamName, count }) {
  const { warmup, recordBytes, maxSeconds } = config.latency;
  const body = putRecordBody(streamName, recordBytes);
  const common = { endpoint: target.endpoint, operation: 'PutRecord', body, connections: 1, recordLatency: true, timeoutMs: config.requestTimeoutMs };
  await runRawLoad({ ...common, seconds: maxSeconds, maxRequests: warmup });
  const run = await runRawLoad({ ...common, seconds: maxSeconds, maxRequests: count });
  return { ...summarizeLatencies(run.latencies), errors: run.errors + (run.requests - run.ok), firstError: run.firstError };
}

export async function runLatency({ target, config, streamName }) {
  const count = target.name === 'runnel' ? config.latency.count : config.latency.peerCount;
  progress(`${target.name}: latency PutRecord ${config.latency.recordBytes} B, 1 connection, sequential, ${count} samples after ${config.latency.warmup} warm-up`);
  const sdk = await sdkLatencies({ target, config, streamName, count });
  progress(`${target.name}: latency via SDK p50 ${sdk.p50Ms?.toFixed(3)} ms, p99 ${sdk.p99Ms?.toFixed(3)} ms (${sdk.count} samples, ${sdk.errors} errors)`);
  const raw = await rawLatencies({ target, config, streamName, count });
  progress(`${target.name}: latency raw p50 ${raw.p50Ms?.toFixed(3)} ms, p99 ${raw.p99Ms?.toFixed(3)} ms (${raw.count} samples, ${raw.errors} errors)`);
  return { sdk, raw };
}
