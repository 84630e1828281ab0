/**
 * Turns the collected results into the printed table: one row per target and metric, and for
 * Runnel's rows one "advantage" column per peer (>1 means Runnel is better: more throughput, less
 * latency or memory).
 */
const PEERS = ['kinesalite', 'kinesis-local'];

const METRICS = [
  { key: 'ingest.recordsPerSec', stage: 'ingest', label: 'records/s', better: 'higher', digits: 0 },
  { key: 'ingest.mibPerSec', stage: 'ingest', label: 'MiB/s', better: 'higher', digits: 1 },
  { key: 'ingest.serverMaxRssMiB', stage: 'ingest', label: 'server max RSS MiB', better: 'lower', digits: 0 },
  { key: 'ingest.recordsPerServerCpuSecond', stage: 'ingest', label: 'records per server CPU-s', better: 'higher', digits: 0 },
  { key: 'ingest.serverCpuCores', stage: 'ingest', label: 'server CPU cores', better: 'none', digits: 2 },
  { key: 'ingest.benchCpuCores', stage: 'ingest', label: 'client CPU cores', better: 'none', digits: 2 },
  { key: 'ingest.clientCpuMicrosPerRecord', stage: 'ingest', label: 'client CPU-µs per record', better: 'none', digits: 1 },
  { key: 'drain.recordsPerSec', stage: 'drain', label: 'records/s', better: 'higher', digits: 0 },
  { key: 'drain.recordsPerServerCpuSecond', stage: 'drain', label: 'records per server CPU-s', better: 'higher', digits: 0 },
  { key: 'drain.serverCpuCores', stage: 'drain', label: 'server CPU cores', better: 'none', digits: 2 },
  { key: 'drain.benchCpuCores', stage: 'drain', label: 'client CPU cores', better: 'none', digits: 2 },
  { key: 'drain.clientCpuMicrosPerRecord', stage: 'drain', label: 'client CPU-µs per record', better: 'none', digits: 1 },
  { key: 'latency.sdk.p50Ms', stage: 'PutRecord SDK', label: 'p50 ms', better: 'lower', digits: 3 },
  { key: 'latency.sdk.p99Ms', stage: 'PutRecord SDK', label: 'p99 ms', better: 'lower', digits: 3 },
  { key: 'latency.raw.p50Ms', stage: 'PutRecord raw', label: 'p50 ms', better: 'lower', digits: 3 },
  { key: 'latency.raw.p99Ms', stage: 'PutRecord raw', label: 'p99 ms', better: 'lower', digits: 3 },
];

function lookup(object, dottedKey) {
  return dottedKey.split('.').reduce((value, part) => (value === undefined || value === null ? undefined : value[part]), object);
}

function format(value, digits) {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function advantage(metric, runnelValue, peerValue) {
  if (metric.better === 'none' || !runnelValue || !peerValue) return '';
  const ratio = metric.better === 'higher' ? runnelValue / peerValue : peerValue / runnelValue;
  return `${ratio.toFixed(ratio >= 10 ? 1 : 2)}×`;
}

function renderTable(header, rows) {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Throughput per CPU-second the server actually got: comparable even when the machine is shared. */
function perServerCpuSecond(stage) {
  return stage?.serverCpuCores ? stage.recordsPerSec / stage.serverCpuCores : undefined;
}

/** CPU-µs a process spent per record: its cores divided by the records per second they moved. */
function microsPerRecord(cores, recordsPerSec) {
  return cores !== undefined && recordsPerSec ? (cores / recordsPerSec) * 1e6 : undefined;
}

/** The bench process's CPU (all its threads: the SDK clients) per record of a stage. */
function clientCpuMicrosPerRecord(stage) {
  return microsPerRecord(stage?.benchCpuCores, stage?.recordsPerSec);
}

/** Adds derived figures (MiB instead of bytes, per CPU-second) so the table reads the results uniformly. */
function derived(targetResult) {
  const ingest = targetResult.ingest && {
    ...targetResult.ingest,
    serverMaxRssMiB: targetResult.ingest.serverMaxRssBytes === undefined ? undefined : targetResult.ingest.serverMaxRssBytes / (1024 * 1024),
    recordsPerServerCpuSecond: perServerCpuSecond(targetResult.ingest),
    clientCpuMicrosPerRecord: clientCpuMicrosPerRecord(targetResult.ingest),
  };
  const drain = targetResult.drain && {
    ...targetResult.drain,
    recordsPerServerCpuSecond: perServerCpuSecond(targetResult.drain),
    clientCpuMicrosPerRecord: clientCpuMicrosPerRecord(targetResult.drain),
  };
  return { ...targetResult, ingest, drain };
}

/**
 * What this machine allows, per stage, from CPU cost per record alone: with C cores, a client that
 * spends c CPU-s per record and a server that spends s, no run can exceed C / (c + s) records/s.
 * The client's c comes from its ceiling run against a null server (client work only); "if the
 * server cost nothing" is C / c. Returned rows also give the server CPU budget per record that
 * 10× kinesalite leaves once the client's share (as measured against Runnel) is paid.
 */
export function machineLimits(results) {
  const cores = results.machine.cores;
  const stages = [
    { stage: 'ingest', ceiling: results.clientCeiling },
    { stage: 'drain', ceiling: results.drainClientCeiling },
  ];
  const rows = [];
  for (const { stage, ceiling } of stages) {
    if (!ceiling) continue;
    const runnel = results.targets.runnel?.[stage];
    const kinesalite = results.targets.kinesalite?.[stage];
    const ceilingClientMicros = microsPerRecord(ceiling.benchCpuCores, ceiling.recordsPerSec);
    const runnelClientMicros = clientCpuMicrosPerRecord(runnel);
    const runnelServerMicros = microsPerRecord(runnel?.serverCpuCores, runnel?.recordsPerSec);
    const tenTimesKinesalite = kinesalite?.recordsPerSec ? 10 * kinesalite.recordsPerSec : undefined;
    // kinesalite runs on one thread and its clients wait for it: given a whole core, it moves its records per server CPU-second.
    const tenTimesKinesaliteFullCore = kinesalite?.serverCpuCores ? (10 * kinesalite.recordsPerSec) / kinesalite.serverCpuCores : undefined;
    const clientMicrosForRunnel = runnelClientMicros ?? ceilingClientMicros;
    const serverBudget = (goal) => (goal && clientMicrosForRunnel ? (cores * 1e6) / goal - clientMicrosForRunnel : undefined);
    rows.push({
      stage,
      cores,
      ceilingRecordsPerSec: ceiling.recordsPerSec,
      ceilingClientCpuCores: ceiling.benchCpuCores,
      ceilingServerCpuCores: ceiling.serverCpuCores,
      ceilingClientMicrosPerRecord: ceilingClientMicros,
      runnelClientMicrosPerRecord: runnelClientMicros,
      kinesaliteClientMicrosPerRecord: clientCpuMicrosPerRecord(kinesalite),
      runnelServerMicrosPerRecord: runnelServerMicros,
      bestCaseFreeServer: ceilingClientMicros ? (cores * 1e6) / ceilingClientMicros : undefined,
      bestCaseWithRunnel: clientMicrosForRunnel && runnelServerMicros ? (cores * 1e6) / (clientMicrosForRunnel + runnelServerMicros) : undefined,
      runnelRecordsPerSec: runnel?.recordsPerSec,
      tenTimesKinesalite,
      tenTimesKinesaliteFullCore,
      serverBudgetMicrosForTenTimes: serverBudget(tenTimesKinesalite),
      serverBudgetMicrosForTenTimesFullCore: serverBudget(tenTimesKinesaliteFullCore),
    });
  }
  return rows;
}

/** Whether `goal` records/s fits this machine's CPU: with any server, with Runnel's, or only with a cheaper one. */
function reachability(row, goal, serverBudget) {
  if (goal === undefined) return '—';
  if (row.bestCaseFreeServer !== undefined && row.bestCaseFreeServer < goal) return 'no, not even with a free server';
  if (row.bestCaseWithRunnel !== undefined && row.bestCaseWithRunnel < goal) {
    return serverBudget > 0 ? `only if the server spends ≤${format(serverBudget, 1)} µs/record` : 'no: the client alone uses the budget';
  }
  return 'yes';
}

const SUMMARY = [
  { key: 'ingest.recordsPerSec', label: 'ingest records/s', better: 'higher', digits: 0, goal: '≥10× kinesalite, ≥100× kinesis-local' },
  { key: 'ingest.recordsPerServerCpuSecond', label: 'ingest records per server CPU-s', better: 'higher', digits: 0, goal: '' },
  { key: 'drain.recordsPerSec', label: 'drain records/s', better: 'higher', digits: 0, goal: '≥10× kinesalite' },
  { key: 'drain.recordsPerServerCpuSecond', label: 'drain records per server CPU-s', better: 'higher', digits: 0, goal: '' },
  { key: 'latency.sdk.p50Ms', label: 'PutRecord 100 B p50 ms (SDK)', better: 'lower', digits: 3, goal: '' },
  { key: 'latency.sdk.p99Ms', label: 'PutRecord 100 B p99 ms (SDK)', better: 'lower', digits: 3, goal: '' },
  { key: 'latency.raw.p50Ms', label: 'PutRecord 100 B p50 ms (raw)', better: 'lower', digits: 3, goal: '≤0.5 ms' },
  { key: 'latency.raw.p99Ms', label: 'PutRecord 100 B p99 ms (raw)', better: 'lower', digits: 3, goal: '≤2 ms' },
  { key: 'ingest.serverMaxRssMiB', label: 'server max RSS during ingest, MiB', better: 'lower', digits: 0, goal: '≤256' },
];

/** One row per metric, one column per target, then Runnel's advantage over each peer. */
export function renderSummary(results) {
  const targets = Object.keys(results.targets).filter((name) => !results.targets[name].error);
  const peers = PEERS.filter((peer) => targets.includes(peer));
  const byTarget = Object.fromEntries(targets.map((name) => [name, derived(results.targets[name])]));
  const rows = [];
  for (const metric of SUMMARY) {
    const values = targets.map((name) => lookup(byTarget[name], metric.key));
    if (values.every((value) => value === undefined)) continue;
    const runnelValue = lookup(byTarget.runnel, metric.key);
    rows.push([
      metric.label,
      ...values.map((value) => format(value, metric.digits)),
      ...(targets.includes('runnel') ? peers.map((peer) => advantage(metric, runnelValue, lookup(byTarget[peer], metric.key))) : []),
      metric.goal,
    ]);
  }
  const header = ['metric', ...targets, ...(targets.includes('runnel') ? peers.map((peer) => `Runnel vs ${peer}`) : []), 'issue 5 goal'];
  return renderTable(header, rows);
}

export function renderReport(results) {
  const targets = Object.keys(results.targets);
  const peers = PEERS.filter((peer) => targets.includes(peer));
  const runnel = results.targets.runnel && derived(results.targets.runnel);
  const sections = ['Summary (ratio = Runnel advantage, >1 means Runnel is better)', renderSummary(results), ''];

  const header = ['target', 'stage', 'metric', 'value', ...peers.map((peer) => `Runnel vs ${peer}`)];
  const rows = [];
  for (const name of targets) {
    const result = derived(results.targets[name]);
    if (result.error) {
      rows.push([name, 'start/run', 'error', result.error.slice(0, 80), ...peers.map(() => '')]);
      continue;
    }
    for (const metric of METRICS) {
      const value = lookup(result, metric.key);
      if (value === undefined) continue;
      let shown = format(value, metric.digits);
      if (metric.stage === 'drain' && result.drain && !result.drain.complete) shown += ` (incomplete ${result.drain.records}/${result.drain.expectedRecords})`;
      const stageErrors = metric.label === 'records/s' ? result[metric.stage]?.errors : undefined;
      if (stageErrors) shown += ` (${stageErrors} errors)`;
      const ratios = peers.map((peer) => (name === 'runnel' && runnel ? advantage(metric, value, lookup(derived(results.targets[peer]), metric.key)) : ''));
      rows.push([name, metric.stage, metric.label, shown, ...ratios]);
    }
  }
  sections.push('All figures');
  sections.push(renderTable(header, rows));

  if (results.diskFsync) {
    sections.push(`\nDisk floor for --fsync always: append 200 B + fdatasync on the data directory's filesystem, p50 ${format(results.diskFsync.p50Ms, 3)} ms, p99 ${format(results.diskFsync.p99Ms, 3)} ms (${results.diskFsync.count} samples, same run).`);
  }

  if (results.clientCeiling) {
    const c = results.clientCeiling;
    sections.push(
      `\nClient ceiling: the same SDK ingest against the client-ceiling server${c.batchRecords ? ` (every PutRecords answered with one pre-built response of ${format(c.batchRecords, 0)} success entries)` : ''}: ${format(c.recordsPerSec, 0)} records/s ` +
        `(bench client ${format(c.benchCpuCores, 2)} CPU cores, null server ${format(c.serverCpuCores, 2)}). No target's ingest can exceed this in this run.`,
    );
  }
  if (results.drainClientCeiling) {
    const c = results.drainClientCeiling;
    sections.push(
      `\nDrain client ceiling: the same drain readers against the client-ceiling server (every GetRecords answered with one pre-built response of ${format(c.recordsPerResponse, 0)} × ${c.recordBytes} B records): ` +
        `${format(c.recordsPerSec, 0)} records/s (bench client ${format(c.benchCpuCores, 2)} CPU cores, null server ${format(c.serverCpuCores, 2)}${c.errors ? `, ${c.errors} errors` : ''}). No target's drain can exceed this in this run.`,
    );
  }

  const limits = machineLimits(results);
  if (limits.length) {
    const cores = limits[0].cores;
    sections.push(
      `\nMachine limit from CPU per record (${cores} cores; client = the SDK clients of the stage; best case = ${cores} cores / CPU-s per record, ` +
        `"server free" with the client's cost against the client-ceiling server, "with Runnel" adding Runnel's server cost to the client's cost against Runnel; ` +
        `kinesalite "at one full core" = 10 × its records per server CPU-s, what it would move with a whole core to its one thread)`,
    );
    sections.push(
      renderTable(
        ['stage', 'client CPU-µs/record (null / Runnel / kinesalite)', 'Runnel server CPU-µs/record', 'best case, server free', 'best case with Runnel', 'Runnel measured', '10× kinesalite: as run / at one full core', 'reachable as run?', 'reachable at one full core?'],
        limits.map((row) => [
          row.stage,
          `${format(row.ceilingClientMicrosPerRecord, 1)} / ${format(row.runnelClientMicrosPerRecord, 1)} / ${format(row.kinesaliteClientMicrosPerRecord, 1)}`,
          format(row.runnelServerMicrosPerRecord, 1),
          format(row.bestCaseFreeServer, 0),
          format(row.bestCaseWithRunnel, 0),
          format(row.runnelRecordsPerSec, 0),
          `${format(row.tenTimesKinesalite, 0)} / ${format(row.tenTimesKinesaliteFullCore, 0)}`,
          reachability(row, row.tenTimesKinesalite, row.serverBudgetMicrosForTenTimes),
          reachability(row, row.tenTimesKinesaliteFullCore, row.serverBudgetMicrosForTenTimesFullCore),
        ]),
      ),
    );
  }

  if (runnel?.capacity?.length) {
    const cores = results.machine.cores;
    const share = (generator, server) => `${format((100 * (generator ?? 0)) / cores, 0)}% + ${format((100 * (server ?? 0)) / cores, 0)}%`;
    const capacityRows = runnel.capacity.map(({ scenario, runnel: r, nullServer: n }) => [
      scenario,
      format(r.requestsPerSec, 0),
      format(r.recordsPerSec, 0),
      format(n.requestsPerSec, 0),
      format(n.recordsPerSec, 0),
      n.requestsPerSec ? `${((100 * r.requestsPerSec) / n.requestsPerSec).toFixed(1)}%` : '—',
      `${format(r.serverCpuCores, 2)} / ${format(n.serverCpuCores, 2)}`,
      `${format(r.recordsPerServerCpuSecond, 0)} / ${format(n.recordsPerServerCpuSecond, 0)}`,
      `${format(r.loadGeneratorCpuCores, 2)} / ${format(n.loadGeneratorCpuCores, 2)}`,
      `${share(r.loadGeneratorCpuCores, r.serverCpuCores)} / ${share(n.loadGeneratorCpuCores, n.serverCpuCores)}`,
    ]);
    sections.push(
      `\nServer capacity (raw keep-alive load generator, one thread of the bench process, ${runnel.capacity[0].runnel.connections} connections; ` +
        `null server = same bodies over the same connections, read and discarded, 200 {} without parsing: no work at all, so "Runnel / null" is Runnel's whole cost per request against bare HTTP on this machine)`,
    );
    sections.push(
      renderTable(
        ['scenario', 'Runnel req/s', 'Runnel records/s', 'null req/s', 'null records/s', 'Runnel / null', 'server CPU cores (Runnel / null)', 'records per server CPU-s (Runnel / null)', 'load generator CPU cores (vs Runnel / vs null)', `share of ${cores} cores, generator + server (vs Runnel / vs null)`],
        capacityRows,
      ),
    );
    const generatorBound = runnel.capacity.filter(({ nullServer: n }) => n.loadGeneratorCpuCores >= 0.9).map(({ scenario }) => scenario);
    if (generatorBound.length) {
      sections.push(`Against the null server the load generator's one thread was saturated (≥0.9 cores) in: ${generatorBound.join(', ')}; there the null figure is the generator's ceiling, not the HTTP stack's.`);
    }
  }

  for (const f of [runnel?.fanout, runnel?.fanoutLean].filter(Boolean)) {
    const server = f.server?.appendToPush;
    sections.push(
      `\nFan-out (Runnel, ${f.consumers} SubscribeToShard consumers on one shard over h2c, ${f.consumerKind} consumers in ${f.consumerThreads} worker thread(s), ${f.producerKind} producer): ` +
        `put → push latency p50 ${format(f.pushLatency.p50Ms, 2)} ms, p99 ${format(f.pushLatency.p99Ms, 2)} ms (${f.pushLatency.count} deliveries)` +
        (server ? `; the server's own share (append → push handed to each connection, its histogram) p50 ${format(server.p50Ms, 2)} ms, p99 ${format(server.p99Ms, 2)} ms` : '') +
        `; slowest consumer ${format(f.minConsumerRecordsPerSec, 0)} records/s while producers put ${format(f.putRecordsPerSec, 0)} records/s${f.complete ? '' : ' (INCOMPLETE: some consumer missed records)'}`,
    );
  }

  if (runnel?.firehose) {
    const f = runnel.firehose;
    sections.push(
      `\nFirehose (Runnel, DirectPut → GZIP objects in the embedded S3 file store): ${format(f.records, 0)} records, ` +
        `${format(f.ackedMiBPerSec, 1)} MiB/s of input acknowledged, ${format(f.deliveredMiBPerSec, 1)} MiB/s delivered end to end in ${f.objects} objects` +
        `${f.complete ? '' : ` (INCOMPLETE: ${f.deliveredBytes}/${f.inputBytes} bytes delivered)`}${f.errors ? ` (${f.errors} errors)` : ''}`,
    );
  }

  if (runnel?.streams) {
    const s = runnel.streams;
    const c = s.creation;
    const f = s.footprint;
    const mib = (bytes) => (bytes === undefined ? undefined : bytes / 2 ** 20);
    sections.push(
      `\nMany streams (Runnel, ${c.streams.toLocaleString('en-US')} streams × ${c.shardsPerStream} shards): created in ${format(c.createdMs / 1000, 1)} s ` +
        `(${format(c.streamsPerSec, 0)} streams/s, ${c.concurrency} CreateStream in flight, p50 ${format(c.latency.p50Ms, 1)} ms, p99 ${format(c.latency.p99Ms, 1)} ms; ` +
        `first / last 100 p50 ${format(c.firstHundredP50Ms, 1)} / ${format(c.lastHundredP50Ms, 1)} ms)`,
    );
    sections.push(
      renderTable(
        ['ingest', 'records/s', 'records per server CPU-s', 'server CPU cores', 'max RSS MiB', 'max open fds', 'streams written'],
        [
          ['one stream (ingest stage)', format(s.single?.recordsPerSec, 0), format(s.single?.recordsPerServerCpuSecond, 0), format(runnel.ingest?.serverCpuCores, 2), format(mib(s.single?.serverMaxRssBytes), 0), format(s.single?.serverMaxOpenFds, 0), '1'],
          [`round-robin over ${c.streams} streams`, format(s.ingest.recordsPerSec, 0), format(s.recordsPerServerCpuSecond, 0), format(s.ingest.serverCpuCores, 2), format(mib(s.ingest.serverMaxRssBytes), 0), format(s.ingest.serverMaxOpenFds, 0), format(s.ingest.streamsWritten, 0)],
        ],
      ),
    );
    sections.push(
      `Cost per record with ${c.streams} streams: ${format(s.costPerRecordRatio, 2)}× the single-stream server CPU per record (issue 5 goal ≤2×); records/s ${format(s.throughputRatio, 2)}× single-stream. ` +
        `Server RSS / open fds: before creating ${format(f.beforeCreate.rssMiB, 0)} MiB / ${format(f.beforeCreate.openFds, 0)}, after creating ${format(f.afterCreate.rssMiB, 0)} MiB / ${format(f.afterCreate.openFds, 0)}, after the ingest ${format(f.afterIngest.rssMiB, 0)} MiB / ${format(f.afterIngest.openFds, 0)}.`,
    );
  }

  if (runnel?.positions) {
    const p = runnel.positions;
    sections.push(
      `\nReads at a position (Runnel, 1 shard holding ${p.fill.records.toLocaleString('en-US')} records of ${p.fill.recordBytes} B, filled at ${format(p.fill.recordsPerSec, 0)} records/s; ` +
        `GetShardIterator + one GetRecords Limit ${p.limit}, ${p.samples} samples each, interleaved; RSS after the fill ${format(p.rssAfterFillMiB, 0)} MiB)`,
    );
    sections.push(
      renderTable(
        ['iterator type', 'position', 'records before', 'GetShardIterator p50 / max ms', 'GetRecords p50 / max ms', 'both p50 / p90 ms', 'records returned'],
        p.lookups.map((l) => [
          l.type,
          l.position,
          l.recordsBefore.toLocaleString('en-US'),
          `${format(l.getShardIterator.p50Ms, 2)} / ${format(l.getShardIterator.maxMs, 2)}`,
          `${format(l.getRecords.p50Ms, 2)} / ${format(l.getRecords.maxMs, 2)}`,
          `${format(l.total.p50Ms, 2)} / ${format(l.total.p90Ms, 2)}`,
          String(l.recordsReturned),
        ]),
      ),
    );
  }

  if (runnel?.restart) {
    const r = runnel.restart;
    const cpu = (ms) => (ms === undefined ? '' : `, ${format(ms, 0)} ms of CPU`);
    sections.push(
      `\nRestart (Runnel, ${r.retainedRecords.toLocaleString('en-US')} records retained): stop ${format(r.stopMs, 0)} ms, listening ${format(r.listeningMs, 0)} ms${cpu(r.listeningCpuMs)}, ` +
        `oldest record served ${r.served ? `${format(r.firstRecordMs, 0)} ms` : 'NOT SERVED'} (a bare node:http server takes ${format(r.bareNodeMs, 0)} ms${cpu(r.bareNodeCpuMs)} from spawn to first answer on this machine now)`,
    );
  }

  sections.push('\nTargets:');
  for (const name of targets) sections.push(`- ${name}: ${results.targets[name].description ?? '(not started)'}`);
  return sections.join('\n');
}
