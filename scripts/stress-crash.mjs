#!/usr/bin/env node
/**
 * Long kill -9 stress of the embedded record log (not part of `npm test`): the same cycles as
 * test/storage/crash.test.ts, many more of them. Every `cyclesPerDir` cycles it starts over in a
 * fresh data directory, so the full re-read after each kill stays quick. Every other cycle the
 * child also runs retention (keeping the last `trimMs` milliseconds); 0 turns that off.
 * Rounds rotate the child's fsync policy: always, interval, never (a process kill keeps the page
 * cache, so all three must keep every acknowledged record).
 * Usage: npm run build && node scripts/stress-crash.mjs [cycles=200] [logs=4] [producers=8] [maxRunMs=1000] [cyclesPerDir=25] [trimMs=300]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrashCycles } from '../dist/test/storage/crash-harness.js';

const [cycles = 200, logs = 4, producers = 8, maxRunMs = 1000, cyclesPerDir = 25, trimMs = 300] = process.argv.slice(2).map(Number);
const started = Date.now();
const policies = ['always', 'interval', 'never'];
let done = 0;
let acked = 0;
for (let round = 0; done < cycles; round++) {
  const fsync = policies[round % policies.length];
  const roundCycles = Math.min(cyclesPerDir, cycles - done);
  const dataDir = await mkdtemp(join(tmpdir(), 'runnel-stress-crash-'));
  try {
    const summary = await runCrashCycles({
      dataDir, cycles: roundCycles, logs, producers, maxRunMs, trimMs, fsync,
      report: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] fsync ${fsync}: ${line}`),
    });
    acked += summary.ackedRecords;
    done += roundCycles;
    await rm(dataDir, { recursive: true, force: true });
  } catch (err) {
    console.error(`FAILED after ${done} earlier cycles (data kept in ${dataDir} for inspection):`, err);
    process.exit(1);
  }
}
console.log(`OK: ${done} kill -9 cycles, ${acked} acknowledged records, every one intact, in order, exactly once`);
