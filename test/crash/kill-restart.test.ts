/**
 * Crash safety of the whole server: a child-process server with the embedded store takes
 * concurrent PutRecords load and is killed with SIGKILL, again and again. After every restart each
 * acknowledged record must be readable from TRIM_HORIZON with the sequence number it was
 * acknowledged with, in order, exactly once, and new writes must get larger sequence numbers.
 * Records in flight at the kill may or may not be there, but at most once. Shard iterators issued
 * before a kill keep working after the restart.
 *
 * CRASH_CYCLES sets the number of kills (default 20); `test/crash/stress.sh [cycles]` runs many more.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../helpers/server.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const CYCLES = Number(process.env.CRASH_CYCLES ?? 20);
const WRITERS = 4;
const STREAM = 'crash';
const SHARDS = ['shardId-000000000000', 'shardId-000000000001'];

interface Acked {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

let dataDir: string;
let child: ChildProcess | undefined;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'runnel-crash-'));
});
after(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts `runnel serve` on a free port and resolves with its endpoint once it logs `listening`. */
function startChild(): Promise<{ process: ChildProcess; endpoint: string }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--create-stream-ms', '0', '--limits', 'off', '--log-level', 'info'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          const entry = JSON.parse(line) as { msg?: string; endpoint?: string };
          if (entry.msg === 'listening' && entry.endpoint) {
            proc.stderr!.off('data', onData);
            proc.stderr!.resume();
            resolve({ process: proc, endpoint: entry.endpoint });
            return;
          }
        } catch {
          // not a log line
        }
      }
    };
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${buffered}`)));
  });
}

function killChild(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

/** Every record of a shard from TRIM_HORIZON, as payload → sequence number, in log order. */
async function readShard(client: KinesisClient, ShardId: string): Promise<{ payload: string; sequenceNumber: string }[]> {
  let { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: STREAM, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  const out: { payload: string; sequenceNumber: string }[] = [];
  for (;;) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
    for (const record of page.Records!) out.push({ payload: Buffer.from(record.Data!).toString(), sequenceNumber: record.SequenceNumber! });
    if (page.Records!.length === 0 && page.MillisBehindLatest === 0) return out;
    ShardIterator = page.NextShardIterator;
  }
}

it(`keeps every acknowledged record across ${CYCLES} SIGKILLs under load`, { timeout: Math.max(15, CYCLES) * 60_000 }, async (t) => {
  const acked = new Map<string, Acked>();
  const attempted = new Set<string>();
  const lastSequence = new Map<string, bigint>();
  let iteratorFromBefore: string | undefined;

  for (let cycle = 0; cycle <= CYCLES; cycle++) {
    const started = await startChild();
    child = started.process;
    const client = kinesisClient(started.endpoint);
    try {
      if (cycle === 0) await client.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: SHARDS.length }));
      if (iteratorFromBefore) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iteratorFromBefore, Limit: 1 }));
        assert.ok(page.NextShardIterator, `cycle ${cycle}: an iterator issued before the restart no longer works`);
      }
      iteratorFromBefore = (await client.send(new GetShardIteratorCommand({ StreamName: STREAM, ShardId: SHARDS[0], ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;

      for (const shardId of SHARDS) {
        const stored = await readShard(client, shardId);
        const seen = new Set<string>();
        let previous = 0n;
        for (const { payload, sequenceNumber } of stored) {
          assert.ok(!seen.has(payload), `cycle ${cycle}: ${payload} read twice`);
          seen.add(payload);
          assert.ok(attempted.has(payload), `cycle ${cycle}: ${payload} was never written`);
          const value = BigInt(sequenceNumber);
          assert.ok(value > previous, `cycle ${cycle}: sequence numbers out of order in ${shardId}`);
          previous = value;
          const ack = acked.get(payload);
          if (ack) {
            assert.equal(ack.shardId, shardId, `cycle ${cycle}: ${payload} moved shard`);
            assert.equal(sequenceNumber, ack.sequenceNumber, `cycle ${cycle}: ${payload} changed sequence number`);
          }
        }
        for (const [payload, ack] of acked) {
          if (ack.shardId === shardId) assert.ok(seen.has(payload), `cycle ${cycle}: acknowledged ${payload} is missing`);
        }
        if (stored.length > 0) lastSequence.set(shardId, previous);
      }
      if (cycle === CYCLES) break;

      let stop = false;
      let batches = 0;
      const writers = Array.from({ length: WRITERS }, async (_, writer) => {
        for (let batch = 0; !stop; batch++) {
          const payloads = Array.from({ length: 25 }, (_, i) => `c${cycle}-w${writer}-b${batch}-i${i}`);
          for (const payload of payloads) attempted.add(payload);
          let result;
          try {
            result = await client.send(new PutRecordsCommand({
              StreamName: STREAM,
              Records: payloads.map((payload, i) => ({ PartitionKey: `key-${writer}-${i % 5}`, Data: Buffer.from(payload) })),
            }));
          } catch {
            return;
          }
          batches += 1;
          result.Records!.forEach((entry, i) => {
            if (!entry.SequenceNumber) return;
            const value = BigInt(entry.SequenceNumber);
            const floor = lastSequence.get(entry.ShardId!);
            if (floor !== undefined) assert.ok(value > floor, `cycle ${cycle}: new sequence number not above the last one before the restart`);
            acked.set(payloads[i]!, { shardId: entry.ShardId!, sequenceNumber: entry.SequenceNumber });
          });
        }
      });
      // Let load build up, then kill while batches are in flight.
      const deadline = Date.now() + 5_000;
      while (batches < 4 + (cycle % 5) * 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      await killChild(started.process);
      stop = true;
      await Promise.all(writers);
    } finally {
      client.destroy();
      if (cycle === CYCLES) {
        started.process.kill('SIGTERM');
        await new Promise((resolve) => started.process.once('exit', resolve));
      } else {
        await killChild(started.process);
      }
    }
  }
  assert.ok(acked.size > CYCLES * 100, `only ${acked.size} records were acknowledged`);
  t.diagnostic(`${acked.size} records acknowledged, ${attempted.size - acked.size} in flight at a kill`);
});
