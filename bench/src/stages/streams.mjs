/**
 * Many streams on one node: create N streams of S shards each, then the ingest stage's producers
 * again, but with successive PutRecords batches spread round-robin over all N streams. Compared with
 * the single-stream ingest of the same run: records/s and records per server CPU-second (issue 5:
 * the cost per record with 1,000 streams × 4 shards at most 2× the single-stream cost). The server's
 * RSS and open file descriptors are read before, after creation, during and after the ingest.
 */
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, uniqueStreamName } from '../kinesis.mjs';
import { progress } from '../log.mjs';
import { cpuMeter, openFileDescriptors, residentBytes } from '../processes.mjs';
import { perSecond, summarizeLatencies } from '../stats.mjs';
import { runIngest } from './ingest.mjs';

const CREATE_CONCURRENCY = 8;

async function serverFootprint(pid) {
  const rssBytes = await residentBytes(pid);
  return { rssMiB: rssBytes === undefined ? undefined : rssBytes / (1024 * 1024), openFds: await openFileDescriptors(pid) };
}

/** Waits (bounded) until every stream is ACTIVE; Runnel with --create-stream-ms 0 already is. */
async function waitActive(client, names, deadline) {
  let pending = names;
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`streams: ${pending.length} streams not ACTIVE in time`);
    const still = [];
    for (const name of pending) {
      const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      if (StreamDescriptionSummary?.StreamStatus !== 'ACTIVE') still.push(name);
    }
    pending = still;
    if (pending.length > 0) await sleep(100);
  }
}

/**
 * Creates the streams with a few CreateStream calls in flight; returns their names and each call's
 * latency in creation order (a creation cost that grows with the number of streams shows as a
 * rising latency from the first to the last hundred).
 */
async function createStreams({ target, config }) {
  const { count, createMaxSeconds } = config.streams;
  const { client, close } = createClient(target.endpoint, { requestTimeoutMs: config.requestTimeoutMs, sockets: CREATE_CONCURRENCY });
  const prefix = uniqueStreamName('bench-many');
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const latencies = new Array(count);
  const deadline = Date.now() + createMaxSeconds * 1000;
  let next = 0;
  const startedAt = performance.now();
  const stopCpuMeter = await cpuMeter(target.process.pid);
  try {
    const creator = async () => {
      while (next < count) {
        if (Date.now() > deadline) throw new Error(`streams: only ${next} of ${count} streams created within ${createMaxSeconds}s`);
        const i = next++;
        const sentAt = performance.now();
        await client.send(new CreateStreamCommand({ StreamName: names[i], ShardCount: config.shards }));
        latencies[i] = performance.now() - sentAt;
        if ((i + 1) % 250 === 0) progress(`${target.name}: streams: ${i + 1} created in ${((performance.now() - startedAt) / 1000).toFixed(1)}s`);
      }
    };
    await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, creator));
    const createdMs = performance.now() - startedAt;
    await waitActive(client, names, deadline);
    const activeMs = performance.now() - startedAt;
    const cpu = await stopCpuMeter();
    const edge = Math.min(100, Math.floor(count / 2));
    return {
      names,
      creation: {
        streams: count,
        shardsPerStream: config.shards,
        concurrency: CREATE_CONCURRENCY,
        createdMs,
        allActiveMs: activeMs,
        streamsPerSec: perSecond(count, createdMs),
        serverCpuCores: cpu.serverCores,
        latency: summarizeLatencies(latencies),
        firstHundredP50Ms: edge ? summarizeLatencies(latencies.slice(0, edge)).p50Ms : undefined,
        lastHundredP50Ms: edge ? summarizeLatencies(latencies.slice(count - edge)).p50Ms : undefined,
      },
    };
  } finally {
    close();
  }
}

/** `single`: the same target's single-stream ingest result of this run, the reference. */
export async function runStreams({ target, config, single }) {
  const pid = target.process.pid;
  const footprint = { beforeCreate: await serverFootprint(pid) };
  progress(`${target.name}: streams: creating ${config.streams.count} streams × ${config.shards} shards`);
  const { names, creation } = await createStreams({ target, config });
  footprint.afterCreate = await serverFootprint(pid);
  progress(
    `${target.name}: streams: ${creation.streams} created in ${(creation.createdMs / 1000).toFixed(1)}s (CreateStream p50 ${creation.latency.p50Ms.toFixed(1)} ms, ` +
      `first/last 100 p50 ${creation.firstHundredP50Ms?.toFixed(1)}/${creation.lastHundredP50Ms?.toFixed(1)} ms); RSS ${footprint.afterCreate.rssMiB?.toFixed(0)} MiB, ${footprint.afterCreate.openFds} fds`,
  );
  const ingest = await runIngest({ target, config, streamNames: names, seconds: config.streams.seconds });
  footprint.afterIngest = await serverFootprint(pid);
  const perCpuSecond = (result) => (result?.serverCpuCores ? result.recordsPerSec / result.serverCpuCores : undefined);
  const multiPerCpu = perCpuSecond(ingest);
  const singlePerCpu = perCpuSecond(single);
  const result = {
    creation,
    ingest,
    footprint,
    single: single && { recordsPerSec: single.recordsPerSec, recordsPerServerCpuSecond: singlePerCpu, serverMaxRssBytes: single.serverMaxRssBytes, serverMaxOpenFds: single.serverMaxOpenFds },
    recordsPerServerCpuSecond: multiPerCpu,
    /** Server CPU per record with many streams, as a multiple of the single-stream cost (issue 5: ≤2). */
    costPerRecordRatio: multiPerCpu && singlePerCpu ? singlePerCpu / multiPerCpu : undefined,
    throughputRatio: single?.recordsPerSec ? ingest.recordsPerSec / single.recordsPerSec : undefined,
  };
  progress(
    `${target.name}: streams: ${Math.round(ingest.recordsPerSec)} records/s into ${ingest.streamsWritten} streams, ${Math.round(multiPerCpu ?? 0)} records per server CPU-s; ` +
      `cost per record ${result.costPerRecordRatio?.toFixed(2) ?? '?'}× single-stream; max RSS ${(ingest.serverMaxRssBytes / 2 ** 20).toFixed(0)} MiB, max ${ingest.serverMaxOpenFds} fds`,
  );
  return result;
}
