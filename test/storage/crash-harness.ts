/**
 * Kill -9 cycles against the embedded log: a child appends with `fsync: always` and reports
 * every acknowledged batch; it is SIGKILLed at a random moment; the parent reopens the data and
 * checks that every acknowledged record is there, in order, exactly once, and that appends
 * continue. With `trimMs`, the child also runs retention while it writes: then records below an
 * acknowledged trim horizon may be gone, but the horizon must hold and counters must not be
 * reused. Used by test/storage/crash.test.ts and scripts/stress-crash.mjs.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../src/server/logger.js';
import { openEmbeddedStorage } from '../../src/storage/embedded/index.js';
import type { FsyncPolicy } from '../../src/storage/types.js';

/** Small segments and checkpoints, so kills land during rolls and checkpoint writes too. */
/** Fewer write handles than logs, so kills also land while idle logs are made to close theirs. */
export const CRASH_TUNING = { segmentBytes: 256 * 1024, indexSpacing: { bytes: 4096, records: 64 }, checkpointBytes: 64 * 1024, maxOpenWriteFiles: 2 };

export function crashRecordData(tag: string, index: number): Buffer {
  const padding = (index * 131 + tag.length * 17) % 600;
  return Buffer.from(`${tag}:${index}:${'p'.repeat(padding)}`);
}

interface AckedBatch {
  readonly log: string;
  readonly first: number;
  readonly count: number;
  readonly tag: string;
}

export interface CrashRunOptions {
  readonly dataDir: string;
  readonly cycles: number;
  readonly logs: number;
  readonly producers: number;
  /** Longest time the child runs after it is ready, before the kill. */
  readonly maxRunMs: number;
  /** When set, odd cycles trim every log to its last `trimMs` milliseconds while writing. */
  readonly trimMs?: number;
  /** The child's policy. A process kill keeps the page cache, so every policy must pass. */
  readonly fsync?: FsyncPolicy;
  readonly random?: () => number;
  readonly report?: (line: string) => void;
}

export interface CrashRunSummary {
  readonly cycles: number;
  readonly ackedRecords: number;
  readonly storedRecords: number;
}

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));

export async function runCrashCycles(options: CrashRunOptions): Promise<CrashRunSummary> {
  const random = options.random ?? Math.random;
  const acked: AckedBatch[] = [];
  const horizons = new Map<string, number>();
  let stored = 0;
  for (let cycle = 0; cycle < options.cycles; cycle++) {
    // Some kills land while the child is still opening and recovering.
    const duringStartup = random() < 0.15;
    const runMs = Math.floor(random() * (duringStartup ? 150 : options.maxRunMs));
    const trimMs = options.trimMs && cycle % 2 === 1 ? options.trimMs : 0;
    const { batches, trims } = await runChild(options, cycle, trimMs, duringStartup ? { beforeReadyMs: runMs } : { afterReadyMs: runMs });
    acked.push(...batches);
    for (const [log, horizon] of trims) horizons.set(log, Math.max(horizon, horizons.get(log) ?? 0));
    stored = await verify(options, acked, horizons, cycle);
    options.report?.(`cycle ${cycle + 1}/${options.cycles}: killed ${runMs} ms after ${duringStartup ? 'spawn' : 'ready'}, ${batches.length} batches acknowledged this cycle, ${stored} records stored`);
  }
  return { cycles: options.cycles, ackedRecords: acked.reduce((sum, b) => sum + b.count, 0), storedRecords: stored };
}

interface ChildReport {
  readonly batches: AckedBatch[];
  /** Highest acknowledged trim horizon per log. */
  readonly trims: Map<string, number>;
}

function runChild(options: CrashRunOptions, cycle: number, trimMs: number, when: { beforeReadyMs: number } | { afterReadyMs: number }): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const args = [CHILD, options.dataDir, String(cycle), String(options.logs), String(options.producers), String(trimMs), options.fsync ?? 'always'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const batches: AckedBatch[] = [];
    const trims = new Map<string, number>();
    let pending = '';
    let stderr = '';
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line === 'ready') {
          if ('afterReadyMs' in when) setTimeout(kill, when.afterReadyMs);
        } else if (line.startsWith('ack ')) {
          const [, log, first, count, tag] = line.split(' ');
          batches.push({ log: log!, first: Number(first), count: Number(count), tag: tag! });
        } else if (line.startsWith('trim ')) {
          const [, log, horizon] = line.split(' ');
          trims.set(log!, Math.max(Number(horizon), trims.get(log!) ?? 0));
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    // A kill before `ready` exercises a crash during recovery itself.
    if ('beforeReadyMs' in when) setTimeout(kill, when.beforeReadyMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ batches, trims });
      else reject(new Error(`crash child exited by itself (code ${code}): ${stderr}`));
    });
  });
}

async function verify(options: CrashRunOptions, acked: readonly AckedBatch[], horizons: ReadonlyMap<string, number>, cycle: number): Promise<number> {
  const storage = await openEmbeddedStorage({
    dataDir: options.dataDir,
    fsync: 'always',
    fsyncIntervalMs: 50,
    log: createLogger('warn'),
    tuning: CRASH_TUNING,
  });
  let stored = 0;
  try {
    for (let l = 0; l < options.logs; l++) {
      const log = `crash/${l}`;
      await storage.log.createLog(log);
      const bounds = await storage.log.bounds(log);
      assert.ok(bounds.trimHorizon >= (horizons.get(log) ?? 0), `${log}: an acknowledged trim horizon (${horizons.get(log)}) went back to ${bounds.trimHorizon}`);
      const seen = new Map<string, number>();
      const byCounter: string[] = [];
      let next = 0;
      for (;;) {
        const page = await storage.log.read(log, next, { maxRecords: 10_000, maxBytes: 8 << 20 });
        if (page.records.length === 0) break;
        for (const record of page.records) {
          assert.equal(record.counter, bounds.trimHorizon + byCounter.length, `${log}: counters are dense and ordered from the trim horizon`);
          const text = Buffer.from(record.data).toString();
          const id = text.slice(0, text.indexOf(':', text.indexOf(':') + 1));
          assert.equal(seen.has(id), false, `${log}: record ${id} stored twice (counters ${seen.get(id)} and ${record.counter})`);
          seen.set(id, record.counter);
          byCounter.push(text);
        }
        next = page.nextCounter;
      }
      assert.equal(bounds.trimHorizon + byCounter.length, bounds.nextCounter, `${log}: read everything up to nextCounter`);
      stored += byCounter.length;
      for (const batch of acked.filter((b) => b.log === log)) {
        for (let i = 0; i < batch.count; i++) {
          if (batch.first + i < bounds.trimHorizon) continue;
          const text = byCounter[batch.first + i - bounds.trimHorizon];
          assert.equal(text, crashRecordData(batch.tag, i).toString(), `${log}: acknowledged record ${batch.tag}:${i} at counter ${batch.first + i}`);
        }
      }
      const parentTag = `parent.c${cycle}`;
      const result = await storage.log.append(log, [{ partitionKey: 'parent', data: crashRecordData(parentTag, 0), arrivalMs: Date.now() }]);
      assert.equal(result.firstCounter, bounds.nextCounter, `${log}: appends continue the counters after recovery`);
      stored++;
    }
  } finally {
    await storage.close();
  }
  return stored;
}
