import { createLogger } from '../../src/server/logger.js';
import { runStorageConformance } from '../../src/storage/conformance/suite.js';
import { createMemoryStorage } from '../../src/storage/memory/index.js';

runStorageConformance('memory', async () => {
  const storage = createMemoryStorage(createLogger('silent'));
  return { storage, dispose: () => storage.close() };
});
