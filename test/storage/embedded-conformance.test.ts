import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/server/logger.js';
import { runStorageConformance } from '../../src/storage/conformance/suite.js';
import { openEmbeddedStorage, type LogTuning } from '../../src/storage/embedded/index.js';
import type { FsyncPolicy, Storage } from '../../src/storage/types.js';

function embedded(fsync: FsyncPolicy, tuning?: Partial<LogTuning>) {
  return async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'runnel-storage-'));
    const open = () => openEmbeddedStorage({ dataDir, fsync, fsyncIntervalMs: 5, log: createLogger('silent'), ...(tuning ? { tuning } : {}) });
    let storage: Storage = await open();
    return {
      storage,
      reopen: async () => {
        await storage.close();
        storage = await open();
        return storage;
      },
      dispose: async () => {
        await storage.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  };
}

runStorageConformance('embedded (fsync always)', embedded('always'));
// Tiny segments and a dense index put every read, lookup and trim across segment boundaries.
runStorageConformance('embedded (fsync never, 4 KiB segments)', embedded('never', { segmentBytes: 4096, indexSpacing: { bytes: 512, records: 4 }, checkpointBytes: 2048 }));
runStorageConformance('embedded (fsync interval)', embedded('interval'));
