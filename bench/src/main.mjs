/**
 * `npm run bench`: starts each target in turn on 127.0.0.1, runs the selected stages against it
 * with the same client, stops it, then prints one table and writes the JSON results under
 * bench/results/<timestamp>/.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { readConfig } from './config.mjs';
import { probeFsync } from './disk-probe.mjs';
import { createActiveStream, createClient, uniqueStreamName } from './kinesis.mjs';
import { progress } from './log.mjs';
import { renderProfile, summarizeProfile } from './profile-summary.mjs';
import { machineLimits, renderReport } from './report.mjs';
import { capacityScenarios, runCapacity } from './stages/capacity.mjs';
import { runDrain } from './stages/drain.mjs';
import { LEAN_CLIENTS, runFanout } from './stages/fanout.mjs';
import { runFirehose } from './stages/firehose.mjs';
import { runIngest } from './stages/ingest.mjs';
import { runLatency } from './stages/latency.mjs';
import { runPositions } from './stages/positions.mjs';
import { runRestart } from './stages/restart.mjs';
import { runStreams } from './stages/streams.mjs';
import { BENCH_DIR, ROOT_DIR, STARTERS, startNullKinesisServer, startNullServer } from './targets.mjs';

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function machine() {
  const cores = cpus();
  return {
    cpu: cores[0]?.model,
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    /** The machine may be shared: a high load average at the start makes every figure lower. */
    loadAverage1mAtStart: loadavg()[0],
  };
}

/** Capacity: each scenario against the null server, then against Runnel, back to back. */
async function measureCapacity({ target, config, resultsDir, setupClient }) {
  const streamName = uniqueStreamName('bench-capacity');
  await createActiveStream(setupClient, streamName, config.shards);
  const nullServer = await startNullServer({ resultsDir, startTimeoutMs: config.startTimeoutMs });
  const measured = [];
  try {
    for (const scenario of capacityScenarios(config, streamName)) {
      const nullResult = await runCapacity({ target: nullServer, config, scenario });
      const runnelResult = await runCapacity({ target, config, scenario });
      measured.push({ scenario: scenario.name, runnel: runnelResult, nullServer: nullResult });
    }
  } finally {
    await nullServer.process.stop(2_000);
  }
  return measured;
}

async function benchTarget({ name, config, resultsDir }) {
  const entry = {};
  const dataDir = join(resultsDir, 'runnel-data');
  let target;
  let setup;
  try {
    progress(`${name}: starting`);
    target = await STARTERS[name]({ config, resultsDir, dataDir });
    Object.assign(entry, { description: target.description, command: target.command, env: target.env, startupMs: target.startupMs });
    progress(`${name}: listening on ${target.endpoint} after ${target.startupMs.toFixed(0)} ms (${target.description})`);
    setup = createClient(target.endpoint, { requestTimeoutMs: config.requestTimeoutMs });

    let retainedRecords = 0;
    let ingestStream;
    if (config.stages.includes('ingest') || config.stages.includes('drain')) {
      ingestStream = { name: uniqueStreamName('bench-ingest') };
      ingestStream.shardIds = await createActiveStream(setup.client, ingestStream.name, config.shards);
      entry.ingest = await runIngest({ target, config, streamName: ingestStream.name });
      if (entry.ingest.records === 0) throw new Error(`ingest: no record accepted (${entry.ingest.errorSamples[0] ?? 'no error reported'})`);
      retainedRecords += entry.ingest.records;
      if (config.stages.includes('drain')) {
        entry.drain = await runDrain({ target, config, streamName: ingestStream.name, shardIds: ingestStream.shardIds, expectedPerShard: entry.ingest.perShard });
      }
    }
    if (config.stages.includes('latency')) {
      const streamName = uniqueStreamName('bench-latency');
      await createActiveStream(setup.client, streamName, config.shards);
      entry.latency = await runLatency({ target, config, streamName });
      retainedRecords += entry.latency.sdk.count + entry.latency.raw.count;
    }
    if (name === 'runnel' && config.stages.includes('capacity')) {
      entry.capacity = await measureCapacity({ target, config, resultsDir, setupClient: setup.client });
      retainedRecords += entry.capacity.reduce((sum, c) => sum + Math.round((c.runnel.recordsPerSec * c.runnel.elapsedMs) / 1000), 0);
    }
    if (name === 'runnel' && config.stages.includes('fanout')) {
      entry.fanout = await runFanout({ target, config });
      retainedRecords += entry.fanout.latencySent + entry.fanout.throughputPut;
      if (config.fanout.leanPass) {
        entry.fanoutLean = await runFanout({ target, config, clients: LEAN_CLIENTS });
        retainedRecords += entry.fanoutLean.latencySent + entry.fanoutLean.throughputPut;
      }
    }
    if (name === 'runnel' && config.stages.includes('firehose') && config.runnel.store === 'disk') {
      entry.firehose = await runFirehose({ target, config, dataDir });
    }
    if (name === 'runnel' && config.stages.includes('streams')) {
      entry.streams = await runStreams({ target, config, single: entry.ingest });
      retainedRecords += entry.streams.ingest.records;
    }
    if (name === 'runnel' && config.stages.includes('positions')) {
      entry.positions = await runPositions({ target, config });
      retainedRecords += entry.positions.fill.records;
    }
    if (name === 'runnel' && config.stages.includes('restart') && config.runnel.store === 'disk' && ingestStream && entry.ingest.records > 0) {
      setup.close();
      setup = undefined;
      const restart = await runRestart({ target, config, resultsDir, dataDir, streamName: ingestStream.name, shardId: ingestStream.shardIds[0], retainedRecords });
      target = restart.target;
      entry.restart = restart.result;
    }
  } catch (err) {
    entry.error = err.message ?? String(err);
    progress(`${name}: FAILED: ${entry.error}`);
  } finally {
    setup?.close();
    if (target) {
      const exit = await target.process.stop();
      progress(`${name}: stopped (${exit.signal ?? `exit ${exit.code}`})`);
    }
    if (!config.runnel.keepData) {
      await rm(dataDir, { recursive: true, force: true });
      await rm(join(resultsDir, 'kinesalite-data'), { recursive: true, force: true });
    }
  }
  return entry;
}

/** Kinesis caps a GetRecords response at 10 MiB of record data; Runnel does so even with --limits off. */
const GET_RECORDS_MAX_BYTES = 10 * 1024 * 1024;

/** Records in one full GetRecords answer of the drain: its Limit, or fewer if their data passes 10 MiB. */
function fullGetRecordsPage(config) {
  return Math.min(config.drain.limit, Math.floor(GET_RECORDS_MAX_BYTES / config.ingest.recordBytes));
}

/** Runs `measure` against a fresh client-ceiling server answering with this run's batch and record sizes. */
async function withNullKinesisServer({ config, resultsDir }, measure) {
  const nullServer = await startNullKinesisServer({
    resultsDir,
    startTimeoutMs: config.startTimeoutMs,
    putBatchRecords: config.ingest.batchRecords,
    getRecords: fullGetRecordsPage(config),
    recordBytes: config.ingest.recordBytes,
  });
  try {
    return await measure(nullServer);
  } finally {
    await nullServer.process.stop(2_000);
  }
}

/** The same SDK ingest against the client-ceiling server: how many records/s the client side alone can send. */
function measureClientCeiling({ config, resultsDir }) {
  return withNullKinesisServer({ config, resultsDir }, async (nullServer) => {
    const seconds = Math.min(config.ingest.seconds, config.clientCeilingSeconds);
    const ceilingConfig = { ...config, ingest: { ...config.ingest, seconds } };
    const { perShard, ...result } = await runIngest({ target: nullServer, config: ceilingConfig, streamName: 'null', nullServer: true });
    return { ...result, batchRecords: config.ingest.batchRecords, recordBytes: config.ingest.recordBytes };
  });
}

/**
 * The same drain readers against the client-ceiling server, whose GetRecords answers (as many
 * records as a real one with the drain's Limit, of the ingest's record size) cost it nothing to
 * produce: how many records/s the reading side alone can take in.
 */
function measureDrainCeiling({ config, resultsDir }) {
  return withNullKinesisServer({ config, resultsDir }, async (nullServer) => {
    const shardIds = Array.from({ length: config.shards }, (_, i) => `shardId-${String(i).padStart(12, '0')}`);
    const { readPerShard, expectedRecords, complete, ...result } = await runDrain({ target: nullServer, config, streamName: 'null', shardIds, seconds: config.drain.ceilingSeconds, nullServer: true });
    return { ...result, recordsPerResponse: fullGetRecordsPage(config), recordBytes: config.ingest.recordBytes };
  });
}

export async function main() {
  // The SDK's notice about future Node versions says nothing about the run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = readConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = join(BENCH_DIR, 'results', stamp);
  await mkdir(resultsDir, { recursive: true });
  if (config.runnel.profile) config.runnel.profileDir = join(resultsDir, 'profile');
  const results = {
    startedAt: new Date().toISOString(),
    commit: gitCommit(),
    machine: machine(),
    command: [...Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_')).map(([k, v]) => `${k}=${v}`), 'npm run bench'].join(' '),
    config,
    targets: {},
  };
  progress(`results in ${resultsDir}; targets ${config.targets.join(', ')}; stages ${config.stages.join(', ')}`);
  results.diskFsync = await probeFsync(resultsDir);
  progress(`disk: append + fdatasync of 200 B p50 ${results.diskFsync.p50Ms.toFixed(3)} ms, p99 ${results.diskFsync.p99Ms.toFixed(3)} ms`);
  for (const name of config.targets) {
    results.targets[name] = await benchTarget({ name, config, resultsDir });
  }
  if (config.stages.includes('ingest')) {
    try {
      results.clientCeiling = await measureClientCeiling({ config, resultsDir });
    } catch (err) {
      progress(`client ceiling: FAILED: ${err.message}`);
    }
  }
  if (config.stages.includes('drain')) {
    try {
      results.drainClientCeiling = await measureDrainCeiling({ config, resultsDir });
    } catch (err) {
      progress(`drain client ceiling: FAILED: ${err.message}`);
    }
  }
  results.finishedAt = new Date().toISOString();
  results.machine.loadAverage1mAtEnd = loadavg()[0];
  results.machineLimits = machineLimits(results);

  let report = renderReport(results);
  if (config.runnel.profileDir) {
    const profiles = (await readdir(config.runnel.profileDir).catch(() => [])).filter((f) => f.endsWith('.cpuprofile')).sort();
    results.profiles = [];
    for (const file of profiles) {
      const summary = await summarizeProfile(join(config.runnel.profileDir, file));
      results.profiles.push(summary);
      report += `\n\n${renderProfile(summary)}`;
    }
    if (profiles.length === 0) report += `\n\nNo CPU profile was written to ${config.runnel.profileDir} (Runnel must exit normally on SIGTERM).`;
  }
  const jsonPath = join(resultsDir, 'results.json');
  await writeFile(jsonPath, `${JSON.stringify(results, null, 2)}\n`);

  const m = results.machine;
  const heading = `Runnel bench ${results.startedAt} (commit ${results.commit ?? '?'}), ${m.cores}× ${m.cpu}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, load average ${m.loadAverage1mAtStart.toFixed(2)} at start / ${m.loadAverage1mAtEnd.toFixed(2)} at end\nCommand: ${results.command}`;
  await writeFile(join(resultsDir, 'report.txt'), `${heading}\n\n${report}\n`);
  await copyFile(jsonPath, join(BENCH_DIR, 'results', 'latest.json'));
  process.stdout.write(`\n${heading}\n\n${report}\n\nJSON: ${jsonPath}\n`);

  const failed = Object.entries(results.targets).filter(([, r]) => r.error || (r.drain && !r.drain.complete));
  return failed.length === 0 ? 0 : 1;
}
