/**
 * Micro-benchmark of one log's single-append latency (no HTTP), next to the disk's own floors on the
 * same filesystem, interleaved round by round so all of them see the same disk and the same load:
 *   log              LogHandle.append of one record, sequential, awaited
 *   dsync-write      FileHandle.write of the same frame size on an O_DSYNC descriptor (one thread-pool trip)
 *   dsync-pwritev    the log's own call: FileHandle.writev at an explicit position, O_RDWR | O_DSYNC
 *   write+fdatasync  FileHandle.write then FileHandle.datasync (two trips)
 *   dsync-writeSync  fs.writeSync on an O_DSYNC descriptor (no thread-pool trip; blocks the loop)
 * Not a test; speed is judged here and in `npm run bench`, never asserted.
 * Usage: node dist/test/storage/append-latency.js <always|interval|never> [samples=2000] [dataBytes=100] [dir=os.tmpdir()]
 */
import { constants, writeSync, writevSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createLogger } from '../../src/server/logger.js';
import { openEmbeddedStorage } from '../../src/storage/embedded/index.js';
import type { FsyncPolicy } from '../../src/storage/types.js';

// `node --test dist/` runs every .js file under test/, this one included, without arguments.
if (process.argv.length <= 2) {
  console.log('usage: node dist/test/storage/append-latency.js <always|interval|never> [samples] [dataBytes] [dir]');
  process.exit(0);
}
const [fsyncArg = 'always', samplesArg = '2000', bytesArg = '100', dirArg = tmpdir()] = process.argv.slice(2);
const fsync = fsyncArg as FsyncPolicy;
const samples = Number(samplesArg);
const dataBytes = Number(bytesArg);
const FRAME_BYTES = 32 + 'lat-0000'.length + dataBytes;
const WARMUP = 200;

let writeIssuedAt = 0;
let writeDoneAt = 0;
const dataDir = await mkdtemp(join(dirArg, 'runnel-append-latency-'));
// A lone log's small writes under `always` skip the pool (fs.writevSync); timed like FileHandle#writev below.
const timedWritevSync = (fd: number, buffers: readonly NodeJS.ArrayBufferView[], position: number): number => {
  writeIssuedAt = performance.now();
  try {
    return writevSync(fd, buffers, position);
  } finally {
    writeDoneAt = performance.now();
  }
};
const storage = await openEmbeddedStorage({ dataDir, fsync, fsyncIntervalMs: 50, log: createLogger('warn'), tuning: { writevSync: timedWritevSync } });
const frame = Buffer.alloc(FRAME_BYTES, 0x61);
const dsync = await open(join(dataDir, 'probe-dsync'), constants.O_CREAT | constants.O_WRONLY | constants.O_APPEND | constants.O_DSYNC);
const plain = await open(join(dataDir, 'probe-plain'), constants.O_CREAT | constants.O_WRONLY | constants.O_APPEND);
const dsyncSync = await open(join(dataDir, 'probe-dsync-sync'), constants.O_CREAT | constants.O_WRONLY | constants.O_APPEND | constants.O_DSYNC);
// The log's own call: a positional writev on an O_RDWR | O_DSYNC descriptor.
const dsyncPositional = await open(join(dataDir, 'probe-dsync-positional'), constants.O_CREAT | constants.O_RDWR | constants.O_DSYNC);
let positionalEnd = 0;
let originalWritev: (...args: unknown[]) => Promise<unknown>;
const data = Buffer.alloc(dataBytes, 0x62);

let appendReturnedAt = 0;
const probes: Record<string, (i: number) => Promise<unknown>> = {
  log: (i) => {
    const record = { partitionKey: `lat-${String(i % 10_000).padStart(4, '0')}`, data, arrivalMs: Date.now() };
    const appended = storage.log.append('bench/0', [record]);
    appendReturnedAt = performance.now();
    return appended;
  },
  'dsync-write': () => dsync.write(frame),
  'dsync-pwritev': async () => {
    // The unpatched method: the phase timing below wraps FileHandle#writev.
    const { bytesWritten } = await originalWritev.call(dsyncPositional, [frame], positionalEnd) as { bytesWritten: number };
    positionalEnd += bytesWritten;
  },
  'write+fdatasync': async () => {
    await plain.write(frame);
    await plain.datasync();
  },
  'dsync-writeSync': async () => writeSync(dsyncSync.fd, frame),
};
const names = Object.keys(probes);

// Phases of the log probe, from timestamps around the segment write (FileHandle#writev, or fs.writevSync):
// before it starts (encoding, scheduling), the write itself, and after it until the append resolves.
const fileHandleProto = Object.getPrototypeOf(dsync) as { writev: (...args: unknown[]) => Promise<unknown> };
originalWritev = fileHandleProto.writev;
fileHandleProto.writev = async function (this: unknown, ...args: unknown[]) {
  writeIssuedAt = performance.now();
  try {
    return await originalWritev.apply(this, args);
  } finally {
    writeDoneAt = performance.now();
  }
};
const phases = { append: [] as number[], scheduling: [] as number[], write: [] as number[], afterWrite: [] as number[] };
const times = new Map<string, number[]>(names.map((name) => [name, []]));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

try {
  await storage.log.createLog('bench/0');
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  for (let i = 0; i < WARMUP + samples; i++) {
    if (i === WARMUP) loopDelay.enable();
    for (const name of names) {
      const startedAt = performance.now();
      await probes[name]!(i);
      const endedAt = performance.now();
      if (i < WARMUP) continue;
      times.get(name)!.push(endedAt - startedAt);
      if (name === 'log') {
        phases.append.push(appendReturnedAt - startedAt);
        phases.scheduling.push(writeIssuedAt - appendReturnedAt);
        phases.write.push(writeDoneAt - writeIssuedAt);
        phases.afterWrite.push(endedAt - writeDoneAt);
      }
    }
  }
  loopDelay.disable();
  console.log(`fsync=${fsync}, ${samples} sequential samples of each after ${WARMUP} warm-up, frame ${FRAME_BYTES} B, dir ${dirArg}`);
  const rows: Array<[string, number[]]> = [...times, ['  log: append() call', phases.append], ['  log: until writev', phases.scheduling], ['  log: writev', phases.write], ['  log: after write', phases.afterWrite]];
  for (const [name, values] of rows) {
    const sorted = values.sort((a, b) => a - b);
    const fmt = (v: number): string => v.toFixed(3).padStart(7);
    console.log(`${name.padEnd(20)} p50 ${fmt(percentile(sorted, 50))} ms  p90 ${fmt(percentile(sorted, 90))}  p99 ${fmt(percentile(sorted, 99))}  max ${fmt(sorted[sorted.length - 1]!)}`);
  }
  console.log(`event loop delay (includes the blocking writeSync probe): p50 ${(loopDelay.percentile(50) / 1e6).toFixed(3)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(3)} ms, max ${(loopDelay.max / 1e6).toFixed(3)} ms`);
} finally {
  await Promise.all([dsync.close(), plain.close(), dsyncSync.close(), dsyncPositional.close()]);
  await storage.close();
  await rm(dataDir, { recursive: true, force: true });
}
