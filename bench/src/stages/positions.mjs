/**
 * Reads at a position in a large retained log: fill one shard with millions of small records (the
 * lean load generator, in chunks whose boundaries are timestamped), then time GetShardIterator
 * (AT_TIMESTAMP, AT_SEQUENCE_NUMBER, and TRIM_HORIZON / LATEST for reference) plus one GetRecords
 * at positions near the start, the middle and the end. Index lookups cost the same at every
 * position; a scan shows as a latency growing with the position.
 */
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import { createActiveStream, createClient, uniqueStreamName } from '../kinesis.mjs';
import { progress } from '../log.mjs';
import { cpuMeter, residentBytes } from '../processes.mjs';
import { putRecordsBody, runRawLoad } from '../raw-load.mjs';
import { perSecond, summarizeLatencies } from '../stats.mjs';

const FILL_CHUNKS = 20;
const FILL_CONNECTIONS = 4;
/** Fractions of the log the positions sit at: chunk boundaries, so each has a timestamp. */
const POSITIONS = [
  { name: 'start', chunk: 0 },
  { name: 'middle', chunk: FILL_CHUNKS / 2 },
  { name: 'end', chunk: FILL_CHUNKS - 1 },
];

/**
 * Fills the shard chunk by chunk; before each chunk, notes the time (the records of chunk k all
 * arrive at or after boundary k, the records before it strictly earlier).
 */
async function fill({ target, config, streamName }) {
  const { records, recordBytes, fillMaxSeconds } = config.positions;
  const batch = config.ingest.batchRecords;
  const body = putRecordsBody(streamName, batch, recordBytes);
  const requestsPerChunk = Math.ceil(records / batch / FILL_CHUNKS);
  const boundaries = [];
  const deadline = performance.now() + fillMaxSeconds * 1000;
  const startedAt = performance.now();
  const stopCpuMeter = await cpuMeter(target.process.pid);
  let accepted = 0;
  for (let chunk = 0; chunk < FILL_CHUNKS; chunk++) {
    const secondsLeft = (deadline - performance.now()) / 1000;
    if (secondsLeft <= 0) throw new Error(`positions: fill took longer than ${fillMaxSeconds}s (${accepted} records)`);
    await sleep(2);
    boundaries.push({ atMs: Date.now(), recordsBefore: accepted });
    await sleep(2);
    const run = await runRawLoad({ endpoint: target.endpoint, operation: 'PutRecords', body, connections: FILL_CONNECTIONS, seconds: secondsLeft, maxRequests: requestsPerChunk, timeoutMs: config.requestTimeoutMs });
    if (run.ok !== run.requests || run.failedRecords > 0) throw new Error(`positions: fill failed (${run.firstError ?? `${run.failedRecords} failed records in sampled answers`})`);
    accepted += run.ok * batch;
    progress(`${target.name}: positions: ${accepted} records in ${((performance.now() - startedAt) / 1000).toFixed(1)}s`);
  }
  const elapsedMs = performance.now() - startedAt;
  const cpu = await stopCpuMeter();
  return { boundaries, records: accepted, recordBytes, elapsedMs, recordsPerSec: perSecond(accepted, elapsedMs), serverCpuCores: cpu.serverCores };
}

async function timed(fn) {
  const startedAt = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - startedAt };
}

/** GetShardIterator of `iteratorParams` then one GetRecords: both latencies and the first record returned. */
async function lookup(client, streamName, shardId, iteratorParams, limit) {
  const iterator = await timed(() => client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ...iteratorParams })));
  const records = await timed(() => client.send(new GetRecordsCommand({ ShardIterator: iterator.value.ShardIterator, Limit: limit })));
  return { iteratorMs: iterator.ms, getRecordsMs: records.ms, first: records.value.Records?.[0], returned: records.value.Records?.length ?? 0 };
}

export async function runPositions({ target, config }) {
  const { samples, limit } = config.positions;
  const streamName = uniqueStreamName('bench-positions');
  const { client, close } = createClient(target.endpoint, { requestTimeoutMs: config.requestTimeoutMs });
  try {
    const [shardId] = await createActiveStream(client, streamName, 1);
    progress(`${target.name}: positions: filling 1 shard with ${config.positions.records} records of ${config.positions.recordBytes} B`);
    const filled = await fill({ target, config, streamName });
    const rssAfterFillBytes = await residentBytes(target.process.pid);
    // The sequence number at each position comes from the record AT_TIMESTAMP finds there.
    const cases = [];
    for (const position of POSITIONS) {
      const boundary = filled.boundaries[position.chunk];
      const found = await lookup(client, streamName, shardId, { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(boundary.atMs) }, limit);
      if (!found.first) throw new Error(`positions: AT_TIMESTAMP at the ${position.name} returned no record`);
      const where = { position: position.name, recordsBefore: boundary.recordsBefore };
      cases.push({ ...where, type: 'AT_TIMESTAMP', params: { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(boundary.atMs) } });
      cases.push({ ...where, type: 'AT_SEQUENCE_NUMBER', params: { ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: found.first.SequenceNumber } });
    }
    cases.push({ position: 'start', recordsBefore: 0, type: 'TRIM_HORIZON', params: { ShardIteratorType: 'TRIM_HORIZON' } });
    cases.push({ position: 'end', recordsBefore: filled.records, type: 'LATEST', params: { ShardIteratorType: 'LATEST' } });

    const measured = cases.map((c) => ({ ...c, iterator: [], getRecords: [], total: [], returned: 0 }));
    // Interleaved rounds, so that a load spike on the shared machine hits every case alike.
    for (let round = 0; round < samples; round++) {
      for (const m of measured) {
        const r = await lookup(client, streamName, shardId, m.params, limit);
        m.iterator.push(r.iteratorMs);
        m.getRecords.push(r.getRecordsMs);
        m.total.push(r.iteratorMs + r.getRecordsMs);
        m.returned = r.returned;
      }
    }
    const lookups = measured.map((m) => ({
      position: m.position,
      recordsBefore: m.recordsBefore,
      type: m.type,
      recordsReturned: m.returned,
      getShardIterator: summarizeLatencies(m.iterator),
      getRecords: summarizeLatencies(m.getRecords),
      total: summarizeLatencies(m.total),
    }));
    for (const l of lookups) {
      progress(`${target.name}: positions: ${l.type} at ${l.position} (${l.recordsBefore} records before): GetShardIterator p50 ${l.getShardIterator.p50Ms.toFixed(2)} ms, GetRecords p50 ${l.getRecords.p50Ms.toFixed(2)} ms (${l.recordsReturned} records)`);
    }
    return { streamName, fill: { ...filled, boundaries: undefined }, rssAfterFillMiB: rssAfterFillBytes === undefined ? undefined : rssAfterFillBytes / 2 ** 20, samples, limit, lookups };
  } finally {
    close();
  }
}
