/**
 * The embedded durable Storage: record logs in segment files under `<dataDir>/logs/`, metadata
 * in `<dataDir>/meta.sqlite`. Format and recovery: docs/decisions/0001-record-log-format.md.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../server/logger.js';
import type { FsyncPolicy, Storage } from '../types.js';
import type { LogTuning } from './log-handle.js';
import { SqliteMetaStore } from './meta-store.js';
import { EmbeddedRecordLog } from './record-log.js';

export { EmbeddedRecordLog, DEFAULT_TUNING, logDirectoryName } from './record-log.js';
export { SqliteMetaStore } from './meta-store.js';
export type { LogTuning } from './log-handle.js';

export interface EmbeddedStorageOptions {
  readonly dataDir: string;
  readonly fsync: FsyncPolicy;
  readonly fsyncIntervalMs: number;
  readonly log: Logger;
  /** Segment size and index spacing; tests shrink them to exercise rolls. */
  readonly tuning?: Partial<LogTuning>;
}

export async function openEmbeddedStorage(options: EmbeddedStorageOptions): Promise<Storage> {
  await mkdir(options.dataDir, { recursive: true });
  // Opened first: it holds the lock on the data directory.
  const meta = new SqliteMetaStore(join(options.dataDir, 'meta.sqlite'), options.fsync);
  let log: EmbeddedRecordLog;
  try {
    log = await EmbeddedRecordLog.open({
      logsDir: join(options.dataDir, 'logs'),
      fsync: options.fsync,
      fsyncIntervalMs: options.fsyncIntervalMs,
      log: options.log,
      ...(options.tuning ? { tuning: options.tuning } : {}),
    });
  } catch (err) {
    await meta.close();
    throw err;
  }
  return {
    log,
    meta,
    async close() {
      try {
        await log.close();
      } finally {
        await meta.close();
      }
    },
  };
}
