import assert from 'node:assert/strict';
import { it } from 'node:test';
import { capturingLogger, openAt, tempDataDir } from './helpers.js';

it('a data directory can be open in only one storage at a time', async (t) => {
  const dataDir = await tempDataDir(t);
  const first = await openAt(dataDir, capturingLogger().log);
  await first.meta.commit([{ op: 'put', key: 'k', value: 'v' }]);
  await assert.rejects(openAt(dataDir, capturingLogger().log), new RegExp(`data directory ${dataDir} is in use by another Runnel process`));
  await first.close();
  const second = await openAt(dataDir, capturingLogger().log);
  assert.deepEqual(await second.meta.get('k'), { key: 'k', value: 'v', version: 1 });
  await second.close();
});
