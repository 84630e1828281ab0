/**
 * The disk's floor under `--fsync always`: latency of appending a small record to a file and
 * fdatasync-ing it, on the same filesystem as Runnel's data directory, measured in the same run.
 */
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { summarizeLatencies } from './stats.mjs';

export async function probeFsync(dir, { count = 500, maxMs = 10_000, bytes = 200 } = {}) {
  const path = join(dir, 'fsync-probe');
  const handle = await open(path, 'w');
  const record = Buffer.alloc(bytes, 0x61);
  const samples = [];
  const deadline = performance.now() + maxMs;
  try {
    while (samples.length < count && performance.now() < deadline) {
      await handle.write(record);
      const startedAt = performance.now();
      await handle.datasync();
      samples.push(performance.now() - startedAt);
    }
  } finally {
    await handle.close();
    await rm(path, { force: true });
  }
  return summarizeLatencies(samples);
}
