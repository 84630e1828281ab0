/**
 * Ingest: N producers, each with its own SDK client and keep-alive connection, send PutRecords
 * batches until the time or record budget runs out. Only records the server accepted count.
 */
import { randomBytes } from 'node:crypto';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '../kinesis.mjs';
import { progress } from '../log.mjs';
import { cpuMeter, residentBytes } from '../processes.mjs';
import { perSecond } from '../stats.mjs';

const MAX_CONSECUTIVE_ERRORS = 20;
const MAX_KEPT_ERRORS = 5;

function batchTemplate(batchRecords, recordBytes, producer) {
  return Array.from({ length: batchRecords }, (_, i) => ({
    Data: randomBytes(recordBytes),
    PartitionKey: `p${producer}-${i}-${randomBytes(6).toString('hex')}`,
  }));
}

/**
 * `nullServer`: the target is the null server, whose `{}` answer carries no per-record results;
 * every sent record then counts, which measures the client side alone.
 */
export async function runIngest({ target, config, streamName, nullServer = false }) {
  const { producers, batchRecords, recordBytes, seconds, maxRecords } = config.ingest;
  progress(`${target.name}: ingest ${producers} producers × PutRecords ${batchRecords} × ${recordBytes} B for ≤${seconds}s / ≤${maxRecords} records`);
  const perShard = new Map();
  const errors = [];
  let reserved = 0;
  let accepted = 0;
  let failedRecords = 0;
  let requests = 0;
  let errorCount = 0;
  const rss = { maxBytes: 0, samples: 0 };
  const sampleRss = async () => {
    const bytes = await residentBytes(target.process.pid);
    if (bytes !== undefined) {
      rss.maxBytes = Math.max(rss.maxBytes, bytes);
      rss.samples += 1;
    }
  };

  const stopCpuMeter = await cpuMeter(target.process.pid);
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  let nextReport = startedAt + 2000;
  const rssTimer = setInterval(sampleRss, 250);

  const producer = async (index) => {
    const { client, close } = createClient(target.endpoint, { requestTimeoutMs: config.requestTimeoutMs });
    const records = batchTemplate(batchRecords, recordBytes, index);
    let consecutiveErrors = 0;
    try {
      while (performance.now() < deadline && reserved < maxRecords && consecutiveErrors < MAX_CONSECUTIVE_ERRORS) {
        const size = Math.min(batchRecords, maxRecords - reserved);
        reserved += size;
        try {
          const out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: size === batchRecords ? records : records.slice(0, size) }));
          requests += 1;
          consecutiveErrors = 0;
          failedRecords += out.FailedRecordCount ?? 0;
          if (nullServer) accepted += size;
          for (const result of out.Records ?? []) {
            if (result.ErrorCode) continue;
            accepted += 1;
            perShard.set(result.ShardId, (perShard.get(result.ShardId) ?? 0) + 1);
          }
        } catch (err) {
          reserved -= size;
          errorCount += 1;
          consecutiveErrors += 1;
          if (errors.length < MAX_KEPT_ERRORS) errors.push(`${err.name}: ${err.message}`);
          await sleep(50);
        }
        const now = performance.now();
        if (now >= nextReport) {
          nextReport = now + 2000;
          progress(`${target.name}: ingest ${accepted} records in ${((now - startedAt) / 1000).toFixed(1)}s (${Math.round(perSecond(accepted, now - startedAt))}/s)`);
        }
      }
    } finally {
      close();
    }
  };

  await Promise.all(Array.from({ length: producers }, (_, i) => producer(i)));
  const elapsedMs = performance.now() - startedAt;
  const cpu = await stopCpuMeter();
  clearInterval(rssTimer);
  await sampleRss();

  const result = {
    records: accepted,
    bytes: accepted * recordBytes,
    requests,
    failedRecords,
    errors: errorCount,
    errorSamples: errors,
    elapsedMs,
    serverCpuCores: cpu.serverCores,
    benchCpuCores: cpu.benchCores,
    recordsPerSec: perSecond(accepted, elapsedMs),
    mibPerSec: perSecond(accepted * recordBytes, elapsedMs) / (1024 * 1024),
    perShard: Object.fromEntries(perShard),
    serverMaxRssBytes: rss.samples ? rss.maxBytes : undefined,
  };
  progress(`${target.name}: ingest done: ${accepted} records, ${Math.round(result.recordsPerSec)} records/s, ${failedRecords} failed records, ${errorCount} errors`);
  return result;
}
