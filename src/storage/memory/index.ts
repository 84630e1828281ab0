/**
 * In-memory Storage, for `--in-memory` and fast tests. Not durable: nothing survives the process.
 */
import type { Logger } from '../../server/logger.js';
import type { Storage } from '../types.js';
import { MemoryMetaStore } from './meta-store.js';
import { MemoryRecordLog } from './record-log.js';

export { MemoryMetaStore } from './meta-store.js';
export { MemoryRecordLog } from './record-log.js';

export function createMemoryStorage(log: Logger): Storage {
  const recordLog = new MemoryRecordLog(log);
  const meta = new MemoryMetaStore();
  return {
    log: recordLog,
    meta,
    async close() {
      await recordLog.close();
      await meta.close();
    },
  };
}
