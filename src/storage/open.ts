/** Picks and opens the storage backend from the server settings. */
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../server/logger.js';
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
  if (options.inMemory) return createMemoryStorage(options.log.child({ component: 'storage' }));
  throw new Error('the embedded durable storage backend is not available yet; start with --in-memory');
}
