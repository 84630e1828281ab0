/**
 * The client loops of ingest and drain, one producer or one shard reader each. They run either in
 * the bench's main thread or each in its own worker thread (job-runner.mjs), so that the SDK's own
 * CPU cost (serialization, base64, signing) can use more than one core. Deadlines are wall-clock
 * epoch milliseconds because worker threads do not share performance.now()'s origin.
 */
import { randomBytes } from 'node:crypto';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from './kinesis.mjs';

const MAX_CONSECUTIVE_ERRORS = 20;
const MAX_KEPT_ERRORS = 5;
/** A reader that sees nothing new for this long while behind its expected count gives up. */
const STALL_MS = 5_000;

/**
 * One producer: PutRecords of a fixed batch (random data, distinct partition keys) until the
 * deadline or its record budget. With `streamNames`, successive batches go round-robin over those
 * streams instead of all to `streamName`: producer i of P sends to streams i, i+P, i+2P, … so that
 * the producers together cover every stream before any stream gets a second batch. With `nullServer`, every
 * sent record counts: the client-ceiling server answers every batch with the same pre-built,
 * full-batch response, whatever the batch held.
 */
export async function produce(params, reportProgress) {
  const { endpoint, streamName, streamNames, producers = 1, batchRecords, recordBytes, index, deadlineEpochMs, maxRecords, nullServer, requestTimeoutMs } = params;
  const { client, close } = createClient(endpoint, { requestTimeoutMs });
  const template = Array.from({ length: batchRecords }, (_, i) => ({
    Data: randomBytes(recordBytes),
    PartitionKey: `p${index}-${i}-${randomBytes(6).toString('hex')}`,
  }));
  const outcome = { accepted: 0, requests: 0, failedRecords: 0, errors: 0, errorSamples: [], perShard: {}, streamsWritten: [] };
  const written = new Set();
  const targets = streamNames ?? [streamName];
  let nextTarget = index % targets.length;
  let consecutiveErrors = 0;
  try {
    while (Date.now() < deadlineEpochMs && outcome.accepted + outcome.failedRecords < maxRecords && consecutiveErrors < MAX_CONSECUTIVE_ERRORS) {
      const size = Math.min(batchRecords, maxRecords - outcome.accepted - outcome.failedRecords);
      try {
        const targetIndex = nextTarget;
        nextTarget = (nextTarget + producers) % targets.length;
        const out = await client.send(new PutRecordsCommand({ StreamName: targets[targetIndex], Records: size === batchRecords ? template : template.slice(0, size) }));
        outcome.requests += 1;
        consecutiveErrors = 0;
        const before = outcome.accepted;
        if (nullServer) {
          outcome.accepted += size;
        } else {
          outcome.failedRecords += out.FailedRecordCount ?? 0;
          for (const result of out.Records ?? []) {
            if (result.ErrorCode) continue;
            outcome.accepted += 1;
            if (!streamNames) outcome.perShard[result.ShardId] = (outcome.perShard[result.ShardId] ?? 0) + 1;
          }
        }
        if (streamNames && outcome.accepted > before) written.add(targetIndex);
        reportProgress(outcome.accepted - before);
      } catch (err) {
        outcome.errors += 1;
        consecutiveErrors += 1;
        if (outcome.errorSamples.length < MAX_KEPT_ERRORS) outcome.errorSamples.push(`${err.name}: ${err.message}`);
        await sleep(50);
      }
    }
  } finally {
    close();
  }
  outcome.streamsWritten = [...written];
  return outcome;
}

/** One shard reader: GetRecords from TRIM_HORIZON until `expected` records, the deadline or a stall. */
export async function drainShard(params, reportProgress) {
  const { endpoint, streamName, shardId, expected, limit, deadlineEpochMs, requestTimeoutMs } = params;
  const { client, close } = createClient(endpoint, { requestTimeoutMs });
  const outcome = { read: 0, bytes: 0, requests: 0, emptyResponses: 0, errors: 0, errorSamples: [] };
  try {
    let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    let lastProgressAt = Date.now();
    while (iterator && outcome.read < expected && Date.now() < deadlineEpochMs && Date.now() - lastProgressAt < STALL_MS) {
      try {
        const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
        outcome.requests += 1;
        iterator = out.NextShardIterator;
        const records = out.Records ?? [];
        if (records.length === 0) {
          outcome.emptyResponses += 1;
          await sleep(10);
          continue;
        }
        lastProgressAt = Date.now();
        outcome.read += records.length;
        for (const record of records) outcome.bytes += record.Data?.length ?? 0;
        reportProgress(records.length);
      } catch (err) {
        outcome.errors += 1;
        if (outcome.errorSamples.length < MAX_KEPT_ERRORS) outcome.errorSamples.push(`${err.name}: ${err.message}`);
        await sleep(100);
      }
    }
  } finally {
    close();
  }
  return outcome;
}

export const JOBS = { produce, drainShard };
