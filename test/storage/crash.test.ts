import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runCrashCycles } from './crash-harness.js';
import { tempDataDir } from './helpers.js';

it('every acknowledged append survives SIGKILL, in order and exactly once, also while retention trims (25 cycles)', async (t) => {
  const dataDir = await tempDataDir(t);
  const summary = await runCrashCycles({ dataDir, cycles: 25, logs: 3, producers: 6, maxRunMs: 250, trimMs: 150 });
  assert.equal(summary.cycles, 25);
  assert.ok(summary.ackedRecords > 0, 'the children acknowledged appends');
});
