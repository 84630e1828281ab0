/**
 * Drain: one reader per shard, all in parallel, GetRecords from TRIM_HORIZON until each shard has
 * returned as many records as ingest put into it (or the time bound ends the stage as incomplete).
 */
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '../kinesis.mjs';
import { progress } from '../log.mjs';
import { cpuMeter } from '../processes.mjs';
import { perSecond } from '../stats.mjs';

/** A reader that sees nothing new for this long while behind its expected count gives up. */
const STALL_MS = 5_000;
const MAX_KEPT_ERRORS = 5;

export async function runDrain({ target, config, streamName, shardIds, expectedPerShard }) {
  const expectedTotal = Object.values(expectedPerShard).reduce((sum, n) => sum + n, 0);
  progress(`${target.name}: drain ${expectedTotal} records from ${shardIds.length} shards (Limit ${config.drain.limit}, ≤${config.drain.maxSeconds}s)`);
  const errors = [];
  let errorCount = 0;
  let requests = 0;
  let emptyResponses = 0;
  let totalRecords = 0;
  let totalBytes = 0;
  const readPerShard = {};

  const stopCpuMeter = await cpuMeter(target.process.pid);
  const startedAt = performance.now();
  const deadline = startedAt + config.drain.maxSeconds * 1000;
  let nextReport = startedAt + 2000;

  const reader = async (shardId) => {
    const expected = expectedPerShard[shardId] ?? 0;
    const { client, close } = createClient(target.endpoint, { requestTimeoutMs: config.requestTimeoutMs });
    let read = 0;
    try {
      let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      let lastProgressAt = performance.now();
      while (iterator && read < expected && performance.now() < deadline && performance.now() - lastProgressAt < STALL_MS) {
        try {
          const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: config.drain.limit }));
          requests += 1;
          iterator = out.NextShardIterator;
          const records = out.Records ?? [];
          if (records.length === 0) {
            emptyResponses += 1;
            await sleep(10);
            continue;
          }
          lastProgressAt = performance.now();
          read += records.length;
          totalRecords += records.length;
          for (const record of records) totalBytes += record.Data?.length ?? 0;
        } catch (err) {
          errorCount += 1;
          if (errors.length < MAX_KEPT_ERRORS) errors.push(`${err.name}: ${err.message}`);
          await sleep(100);
        }
        const now = performance.now();
        if (now >= nextReport) {
          nextReport = now + 2000;
          progress(`${target.name}: drain ${totalRecords}/${expectedTotal} records in ${((now - startedAt) / 1000).toFixed(1)}s`);
        }
      }
    } finally {
      readPerShard[shardId] = read;
      close();
    }
  };

  await Promise.all(shardIds.map((shardId) => reader(shardId)));
  const elapsedMs = performance.now() - startedAt;
  const cpu = await stopCpuMeter();
  const complete = shardIds.every((id) => readPerShard[id] >= (expectedPerShard[id] ?? 0));
  const result = {
    records: totalRecords,
    bytes: totalBytes,
    expectedRecords: expectedTotal,
    complete,
    requests,
    emptyResponses,
    errors: errorCount,
    errorSamples: errors,
    elapsedMs,
    serverCpuCores: cpu.serverCores,
    benchCpuCores: cpu.benchCores,
    recordsPerSec: perSecond(totalRecords, elapsedMs),
    mibPerSec: perSecond(totalBytes, elapsedMs) / (1024 * 1024),
    readPerShard,
  };
  progress(`${target.name}: drain done: ${totalRecords}/${expectedTotal} records${complete ? '' : ' (INCOMPLETE)'}, ${Math.round(result.recordsPerSec)} records/s, ${errorCount} errors`);
  return result;
}
