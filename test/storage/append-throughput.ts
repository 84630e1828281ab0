/**
 * Micro-benchmark of the embedded record log alone (no HTTP): concurrent producers append
 * batches of 500 × 1 KiB records, then everything is read back. Not a test; speed is judged
 * here and in `npm run bench`, never asserted.
 * Usage: node dist/test/storage/append-throughput.js <always|interval|never> [producers=8] [logs=4] [seconds=5]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/server/logger.js';
import { openEmbeddedStorage } from '../../src/storage/embedded/index.js';
import type { FsyncPolicy } from '../../src/storage/types.js';

// `node --test dist/` also runs every .js file under a test/ directory, this one included,
// without arguments: the benchmark runs only when asked for by name.
if (process.argv.length <= 2) {
  console.log('usage: node dist/test/storage/append-throughput.js <always|interval|never> [producers] [logs] [seconds]');
  process.exit(0);
}
const [fsyncArg = 'always', producersArg = '8', logsArg = '4', secondsArg = '5'] = process.argv.slice(2);
const fsync = fsyncArg as FsyncPolicy;
const producers = Number(producersArg);
const logs = Number(logsArg);
const seconds = Number(secondsArg);

const dataDir = await mkdtemp(join(tmpdir(), 'runnel-append-throughput-'));
const storage = await openEmbeddedStorage({ dataDir, fsync, fsyncIntervalMs: 50, log: createLogger('warn') });
try {
  for (let l = 0; l < logs; l++) await storage.log.createLog(`bench/${l}`);
  const data = Buffer.alloc(1024, 7);
  const batch = Array.from({ length: 500 }, (_, i) => ({ partitionKey: `partition-key-${i}`, data, arrivalMs: Date.now() }));
  let appended = 0;
  const deadline = Date.now() + seconds * 1000;
  const appendStart = process.hrtime.bigint();
  await Promise.all(Array.from({ length: producers }, async (_, p) => {
    while (Date.now() < deadline) {
      await storage.log.append(`bench/${p % logs}`, batch);
      appended += batch.length;
    }
  }));
  const appendSeconds = Number(process.hrtime.bigint() - appendStart) / 1e9;
  console.log(`append  fsync=${fsync} producers=${producers} logs=${logs}: ${Math.round(appended / appendSeconds)} records/s, ${(appended / appendSeconds / 1024).toFixed(0)} MiB/s of data (${appended} records)`);

  let read = 0;
  const readStart = process.hrtime.bigint();
  for (let l = 0; l < logs; l++) {
    for (let next = 0; ;) {
      const page = await storage.log.read(`bench/${l}`, next, { maxRecords: 10_000, maxBytes: 10 * 1024 * 1024 });
      if (page.records.length === 0) break;
      read += page.records.length;
      next = page.nextCounter;
    }
  }
  const readSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
  console.log(`read    pages of 10000 records: ${Math.round(read / readSeconds)} records/s (${read} records)`);
} finally {
  await storage.close();
  await rm(dataDir, { recursive: true, force: true });
}
