/**
 * Drain: one reader per shard, all in parallel (by default each in its own worker thread),
 * GetRecords from TRIM_HORIZON until each shard has returned as many records as ingest put into it
 * (or the time bound ends the stage as incomplete).
 */
import { runJobs } from '../job-runner.mjs';
import { progress } from '../log.mjs';
import { cpuMeter } from '../processes.mjs';
import { perSecond } from '../stats.mjs';

/**
 * `nullServer`: the target is the null GetRecords server, which never runs out of records; the
 * readers then read for `seconds` and the result measures the client side alone.
 */
export async function runDrain({ target, config, streamName, shardIds, expectedPerShard, seconds = config.drain.maxSeconds, nullServer = false }) {
  const expectedTotal = nullServer ? undefined : Object.values(expectedPerShard).reduce((sum, n) => sum + n, 0);
  const goal = nullServer ? `for ${seconds}s` : `${expectedTotal} records`;
  progress(`${target.name}: drain ${goal} from ${shardIds.length} shards${config.clientThreads ? ' (worker threads)' : ''} (Limit ${config.drain.limit}, ≤${seconds}s)`);
  let totalRecords = 0;
  let startedAt;
  let nextReport;
  let stopCpuMeter;
  const onProgress = (records) => {
    totalRecords += records;
    const now = performance.now();
    if (now >= nextReport) {
      nextReport = now + 2000;
      progress(`${target.name}: drain ${totalRecords}${nullServer ? '' : `/${expectedTotal}`} records in ${((now - startedAt) / 1000).toFixed(1)}s`);
    }
  };
  const onStart = async () => {
    stopCpuMeter = await cpuMeter(target.process.pid);
    startedAt = performance.now();
    nextReport = startedAt + 2000;
  };
  const paramsList = shardIds.map((shardId) => ({
    endpoint: target.endpoint,
    streamName,
    shardId,
    expected: nullServer ? Number.MAX_SAFE_INTEGER : (expectedPerShard[shardId] ?? 0),
    limit: config.drain.limit,
    requestTimeoutMs: config.requestTimeoutMs,
  }));
  const { results: outcomes } = await runJobs('drainShard', paramsList, { threads: config.clientThreads, durationMs: seconds * 1000, onProgress, onStart });
  const elapsedMs = performance.now() - startedAt;
  const cpu = await stopCpuMeter();

  const sum = (field) => outcomes.reduce((total, outcome) => total + outcome[field], 0);
  const readPerShard = Object.fromEntries(shardIds.map((shardId, i) => [shardId, outcomes[i].read]));
  const records = sum('read');
  const bytes = sum('bytes');
  const result = {
    records,
    bytes,
    expectedRecords: expectedTotal,
    complete: nullServer || shardIds.every((id) => readPerShard[id] >= (expectedPerShard[id] ?? 0)),
    requests: sum('requests'),
    emptyResponses: sum('emptyResponses'),
    errors: sum('errors'),
    errorSamples: outcomes.flatMap((outcome) => outcome.errorSamples).slice(0, 5),
    elapsedMs,
    serverCpuCores: cpu.serverCores,
    benchCpuCores: cpu.benchCores,
    recordsPerSec: perSecond(records, elapsedMs),
    mibPerSec: perSecond(bytes, elapsedMs) / (1024 * 1024),
    readPerShard,
  };
  progress(`${target.name}: drain done: ${records}${nullServer ? '' : `/${expectedTotal}`} records${result.complete ? '' : ' (INCOMPLETE)'}, ${Math.round(result.recordsPerSec)} records/s, ${result.errors} errors`);
  return result;
}
