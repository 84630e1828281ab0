/**
 * Child process for the crash tests: appends concurrent batches to the embedded log (by
 * default with `fsync: always`) and prints one `ack` line per acknowledged batch, until it is killed.
 * With `trimMs` > 0 it also trims every log to the last `trimMs` milliseconds, ten times a
 * second, and prints a `trim` line per acknowledged trim.
 * Usage: node crash-child.js <dataDir> <cycle> <logs> <producers> [trimMs] [fsync]
 */
import { createLogger } from '../../src/server/logger.js';
import { openEmbeddedStorage } from '../../src/storage/embedded/index.js';
import type { FsyncPolicy } from '../../src/storage/types.js';
import { CRASH_TUNING, crashRecordData } from './crash-harness.js';

const [dataDir, cycle, logCount, producerCount, trimArg = '0', fsync = 'always'] = process.argv.slice(2);
const trimMs = Number(trimArg);
// `node --test dist/` also runs every .js file under a test/ directory, this one included,
// without arguments: there is nothing to do then.
if (dataDir === undefined) process.exit(0);
const logs = Number(logCount);
const storage = await openEmbeddedStorage({
  dataDir: dataDir!,
  fsync: fsync as FsyncPolicy,
  fsyncIntervalMs: 50,
  log: createLogger('warn'),
  tuning: CRASH_TUNING,
});
for (let l = 0; l < logs; l++) await storage.log.createLog(`crash/${l}`);
process.stdout.write('ready\n');

if (trimMs > 0) {
  const trimAll = async () => {
    for (let l = 0; l < logs; l++) {
      const horizon = await storage.log.trim(`crash/${l}`, Date.now() - trimMs);
      process.stdout.write(`trim crash/${l} ${horizon}\n`);
    }
    setTimeout(trimAll, 100);
  };
  setTimeout(trimAll, 100);
}

await Promise.all(Array.from({ length: Number(producerCount) }, async (_, producer) => {
  const log = `crash/${producer % logs}`;
  for (let seq = 0; ; seq++) {
    const tag = `c${cycle}.p${producer}.s${seq}`;
    const count = 1 + ((seq * 7 + producer * 3) % 40);
    const batch = Array.from({ length: count }, (_, i) => ({ partitionKey: `pk${i}`, data: crashRecordData(tag, i), arrivalMs: Date.now() }));
    const { firstCounter } = await storage.log.append(log, batch);
    process.stdout.write(`ack ${log} ${firstCounter} ${count} ${tag}\n`);
  }
}));
