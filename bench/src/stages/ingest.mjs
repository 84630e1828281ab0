/**
 * Ingest: N producers, each with its own SDK client and keep-alive connection (and, by default,
 * its own worker thread), send PutRecords batches until the time or record budget runs out. Only
 * records the server accepted count.
 */
import { runJobs } from '../job-runner.mjs';
import { progress } from '../log.mjs';
import { cpuMeter, openFileDescriptors, residentBytes } from '../processes.mjs';
import { perSecond } from '../stats.mjs';

/**
 * `nullServer`: the target is the client-ceiling server (null-kinesis-server.mjs), whose answers
 * are pre-built; every sent record then counts, which measures the client side alone.
 * `streamNames`: batches go round-robin over these streams instead of all to `streamName`
 * (the streams stage); `seconds` overrides the ingest bound.
 */
export async function runIngest({ target, config, streamName, streamNames, seconds = config.ingest.seconds, nullServer = false }) {
  const { producers, batchRecords, recordBytes, maxRecords } = config.ingest;
  const into = streamNames ? `, round-robin over ${streamNames.length} streams` : '';
  progress(`${target.name}: ingest ${producers} producers${config.clientThreads ? ' (worker threads)' : ''} × PutRecords ${batchRecords} × ${recordBytes} B for ≤${seconds}s / ≤${maxRecords} records${into}`);
  const rss = { maxBytes: 0, samples: 0, maxFds: undefined };
  const sampleRss = async () => {
    const bytes = await residentBytes(target.process.pid);
    if (bytes !== undefined) {
      rss.maxBytes = Math.max(rss.maxBytes, bytes);
      rss.samples += 1;
    }
    const fds = await openFileDescriptors(target.process.pid);
    if (fds !== undefined) rss.maxFds = Math.max(rss.maxFds ?? 0, fds);
  };
  let accepted = 0;
  let startedAt;
  let nextReport;
  let stopCpuMeter;
  let rssTimer;
  const onProgress = (records) => {
    accepted += records;
    const now = performance.now();
    if (now >= nextReport) {
      nextReport = now + 2000;
      progress(`${target.name}: ingest ${accepted} records in ${((now - startedAt) / 1000).toFixed(1)}s (${Math.round(perSecond(accepted, now - startedAt))}/s)`);
    }
  };
  const onStart = async () => {
    stopCpuMeter = await cpuMeter(target.process.pid);
    startedAt = performance.now();
    nextReport = startedAt + 2000;
    rssTimer = setInterval(sampleRss, 250);
  };
  const budget = Math.ceil(maxRecords / producers);
  const paramsList = Array.from({ length: producers }, (_, index) => ({
    endpoint: target.endpoint,
    streamName,
    streamNames,
    producers,
    batchRecords,
    recordBytes,
    index,
    maxRecords: budget,
    nullServer,
    requestTimeoutMs: config.requestTimeoutMs,
  }));
  let outcomes;
  try {
    ({ results: outcomes } = await runJobs('produce', paramsList, { threads: config.clientThreads, durationMs: seconds * 1000, onProgress, onStart }));
  } finally {
    clearInterval(rssTimer);
  }
  const elapsedMs = performance.now() - startedAt;
  const cpu = await stopCpuMeter();
  await sampleRss();

  const sum = (field) => outcomes.reduce((total, outcome) => total + outcome[field], 0);
  const perShard = {};
  for (const outcome of outcomes) for (const [shardId, n] of Object.entries(outcome.perShard)) perShard[shardId] = (perShard[shardId] ?? 0) + n;
  const records = sum('accepted');
  const result = {
    records,
    bytes: records * recordBytes,
    requests: sum('requests'),
    failedRecords: sum('failedRecords'),
    errors: sum('errors'),
    errorSamples: outcomes.flatMap((outcome) => outcome.errorSamples).slice(0, 5),
    elapsedMs,
    serverCpuCores: cpu.serverCores,
    benchCpuCores: cpu.benchCores,
    recordsPerSec: perSecond(records, elapsedMs),
    mibPerSec: perSecond(records * recordBytes, elapsedMs) / (1024 * 1024),
    perShard,
    serverMaxRssBytes: rss.samples ? rss.maxBytes : undefined,
    serverMaxOpenFds: rss.maxFds,
    ...(streamNames ? { streamsWritten: new Set(outcomes.flatMap((outcome) => outcome.streamsWritten)).size } : {}),
  };
  progress(`${target.name}: ingest done: ${records} records, ${Math.round(result.recordsPerSec)} records/s, ${result.failedRecords} failed records, ${result.errors} errors`);
  return result;
}
