/** Picks and opens the storage backend from the server settings. */
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../server/logger.js';
import { openEmbeddedStorage } from './embedded/index.js';
import { createMemoryStorage } from './memory/index.js';
import type { FsyncPolicy, Storage } from './types.js';

export interface OpenStorageOptions {
  inMemory: boolean;
  dataDir: string;
  fsync: FsyncPolicy;
  fsyncIntervalMs: number;
  log: Logger;
  clock?: Clock;
}

export async function openStorage(options: OpenStorageOptions): Promise<Storage> {
  const log = options.log.child({ component: 'storage' });
  if (options.inMemory) return createMemoryStorage(log);
  return openEmbeddedStorage({ dataDir: options.dataDir, fsync: options.fsync, fsyncIntervalMs: options.fsyncIntervalMs, log });
}
