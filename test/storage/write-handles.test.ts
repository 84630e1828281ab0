/**
 * Segment write handles: capped in number across logs, and a segment that cannot be opened for
 * lack of descriptors refuses only that batch — the log keeps accepting appends, with no counter
 * gap and no record lost or stored twice.
 */
import assert from 'node:assert/strict';
import { constants as fsConstants } from 'node:fs';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { open, readdir, readFile, readlink, type FileHandle } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { EmbeddedRecordLog } from '../../src/storage/embedded/index.js';
import { SegmentOpenError } from '../../src/storage/embedded/log-handle.js';
import type { AppendResult, Storage } from '../../src/storage/types.js';
import { ALL, capturingLogger, openAt, records, segmentFiles, tempDataDir, text } from './helpers.js';

/** Descriptors of this process open for writing on segment files under `dataDir` (Linux). */
async function openSegmentWriteFds(dataDir: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => undefined);
    if (!target?.startsWith(dataDir) || !target.endsWith('.seg')) continue;
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => undefined);
    if (info === undefined) continue;
    const flags = Number.parseInt(/^flags:\s+([0-7]+)$/m.exec(info)![1]!, 8);
    if ((flags & 3) !== fsConstants.O_RDONLY) count++;
  }
  return count;
}

/** The same count, taken synchronously at the moment a segment is about to be opened. */
function openSegmentWriteFdsNow(dataDir: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    let info: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
      if (!target.startsWith(dataDir) || !target.endsWith('.seg')) continue;
      info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    } catch {
      continue;
    }
    if ((Number.parseInt(/^flags:\s+([0-7]+)$/m.exec(info)![1]!, 8) & 3) !== fsConstants.O_RDONLY) count++;
  }
  return count;
}

/** An opener that fails with EMFILE while `failures` is above zero, counting down; with
 * `creationsOnly`, only opens that create a file fail. */
function flakyOpener(creationsOnly = false): { openWriteFile: (path: string, flags: number) => Promise<FileHandle>; failNext(n: number): void; attempts: number } {
  const state = {
    failures: 0,
    attempts: 0,
    failNext(n: number) { state.failures = n; },
    openWriteFile: async (path: string, flags: number) => {
      state.attempts++;
      if (state.failures > 0 && (!creationsOnly || (flags & fsConstants.O_CREAT) !== 0)) {
        state.failures--;
        throw Object.assign(new Error(`EMFILE: too many open files, open '${path}'`), { code: 'EMFILE', errno: -24, syscall: 'open', path });
      }
      return open(path, flags);
    },
  };
  return state;
}

/** Closes every idle write handle; waits a turn first so the write loop of the last append has wound down. */
async function releaseWriteHandles(storage: Storage): Promise<void> {
  await new Promise(setImmediate);
  await (storage.log as EmbeddedRecordLog).releaseIdleFiles(0);
  assert.equal((storage.log as EmbeddedRecordLog).openWriteFiles, 0);
}

async function readAll(storage: Storage, id: string): Promise<{ counters: number[]; bodies: string[] }> {
  const result = await storage.log.read(id, 0, ALL);
  return { counters: result.records.map((r) => r.counter), bodies: result.records.map((r) => text(r.data)) };
}

describe('segment write handle cap', () => {
  it('keeps open write descriptors near the cap with many logs written round-robin, and every record stays readable', async (t) => {
    if (process.platform !== 'linux') return t.skip('needs /proc/self/fd');
    const dataDir = await tempDataDir(t);
    const cap = 8;
    const storage = await openAt(dataDir, capturingLogger().log, { tuning: { maxOpenWriteFiles: cap } });
    t.after(() => storage.close());
    const ids = Array.from({ length: 50 }, (_, i) => `cap-stream/${i}`);
    for (const id of ids) await storage.log.createLog(id);
    let most = 0;
    for (let round = 0; round < 3; round++) {
      for (const id of ids) {
        await storage.log.append(id, records(2, `${id}@${round}`));
        most = Math.max(most, await openSegmentWriteFds(dataDir));
      }
    }
    assert.ok(most <= cap + 2, `saw ${most} segment write descriptors with a cap of ${cap}`);
    assert.ok((storage.log as EmbeddedRecordLog).openWriteFiles <= cap + 2);
    for (const id of ids) {
      const { counters, bodies } = await readAll(storage, id);
      assert.deepEqual(counters, [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(bodies.map((b) => b.split(':').slice(0, 2).join(':')), [0, 1, 2].flatMap((round) => [`${id}@${round}:0`, `${id}@${round}:1`]));
    }
  });

  it('makes concurrent appends to more logs than the cap wait for a handle instead of opening more', async (t) => {
    if (process.platform !== 'linux') return t.skip('needs /proc/self/fd');
    const dataDir = await tempDataDir(t);
    const cap = 4;
    let most = 0;
    const openWriteFile = (path: string, flags: number): Promise<FileHandle> => {
      most = Math.max(most, openSegmentWriteFdsNow(dataDir) + 1);
      return open(path, flags);
    };
    const storage = await openAt(dataDir, capturingLogger().log, { tuning: { maxOpenWriteFiles: cap, openWriteFile } });
    t.after(() => storage.close());
    const ids = Array.from({ length: 24 }, (_, i) => `burst/${i}`);
    for (const id of ids) await storage.log.createLog(id);
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all(ids.map((id) => storage.log.append(id, records(3, `${id}@${round}`))));
      for (const result of results) assert.equal(result.firstCounter, round * 3);
    }
    assert.ok(most <= cap, `a segment was opened with ${most - 1} write descriptors already open; the cap is ${cap}`);
    for (const id of ids) assert.deepEqual((await readAll(storage, id)).counters, Array.from({ length: 12 }, (_, i) => i));
  });

  it('keeps records written before an eviction after a restart', async (t) => {
    const dataDir = await tempDataDir(t);
    const ids = Array.from({ length: 12 }, (_, i) => `evicted/${i}`);
    const first = await openAt(dataDir, capturingLogger().log, { tuning: { maxOpenWriteFiles: 2 } });
    for (const id of ids) await first.log.createLog(id);
    for (const id of ids) await first.log.append(id, records(3, id));
    await first.close();
    const second = await openAt(dataDir, capturingLogger().log);
    t.after(() => second.close());
    for (const id of ids) assert.deepEqual((await readAll(second, id)).counters, [0, 1, 2]);
  });
});

describe('out of file descriptors when opening a segment for writing', () => {
  it('retries the open after closing idle write handles and then succeeds', async (t) => {
    const dataDir = await tempDataDir(t);
    const opener = flakyOpener();
    const storage = await openAt(dataDir, capturingLogger().log, { tuning: { openWriteFile: opener.openWriteFile } });
    t.after(() => storage.close());
    await storage.log.createLog('retry/0');
    opener.failNext(2);
    const result = await storage.log.append('retry/0', records(3, 'a'));
    assert.equal(result.firstCounter, 0);
    assert.equal(opener.attempts, 3);
    assert.deepEqual((await readAll(storage, 'retry/0')).counters, [0, 1, 2]);
  });

  it('refuses the batch and the appends queued behind it, then accepts appends with no counter gap', async (t) => {
    const dataDir = await tempDataDir(t);
    const opener = flakyOpener();
    const { log, lines } = capturingLogger();
    const storage = await openAt(dataDir, log, { tuning: { openWriteFile: opener.openWriteFile } });
    const id = 'refused/0';
    await storage.log.createLog(id);
    await storage.log.append(id, records(2, 'before'));
    // Closes the write handle, so the next append has to open the segment again.
    await releaseWriteHandles(storage);
    opener.failNext(1_000);
    const refused = await Promise.allSettled([storage.log.append(id, records(3, 'lost-a')), storage.log.append(id, records(2, 'lost-b'))]);
    for (const outcome of refused) {
      assert.equal(outcome.status, 'rejected');
      assert.ok((outcome as PromiseRejectedResult).reason instanceof SegmentOpenError);
    }
    assert.ok(lines.some((l) => l.level === 'warn' && l.msg.startsWith('append refused')));
    assert.equal(lines.some((l) => l.level === 'error'), false, 'the log was not marked failed');

    opener.failNext(0);
    const after: AppendResult = await storage.log.append(id, records(2, 'after'));
    assert.equal(after.firstCounter, 2, 'the refused counters are handed out again');
    const expected = { counters: [0, 1, 2, 3], tags: ['before', 'before', 'after', 'after'] };
    const seen = await readAll(storage, id);
    assert.deepEqual(seen.counters, expected.counters);
    assert.deepEqual(seen.bodies.map((b) => b.split(':')[0]), expected.tags);
    await storage.close();

    const reopened = await openAt(dataDir, capturingLogger().log);
    t.after(() => reopened.close());
    const recovered = await readAll(reopened, id);
    assert.deepEqual(recovered.counters, expected.counters);
    assert.deepEqual(recovered.bodies.map((b) => b.split(':')[0]), expected.tags);
    const more = await reopened.log.append(id, records(1, 'later'));
    assert.equal(more.firstCounter, 4);
  });

  for (const mode of ['reopening the active segment', 'creating the next segment at a roll'] as const) {
    it(`refuses a batch when ${mode} fails, and keeps the log contiguous across segments`, async (t) => {
      const dataDir = await tempDataDir(t);
      const creationsOnly = mode === 'creating the next segment at a roll';
      const opener = flakyOpener(creationsOnly);
      const storage = await openAt(dataDir, capturingLogger().log, { tuning: { openWriteFile: opener.openWriteFile, segmentBytes: 600 } });
      t.after(() => storage.close());
      const id = 'roll/0';
      await storage.log.createLog(id);
      const tags: string[] = [];
      let failures = 0;
      for (let i = 0; i < 30; i++) {
        if (i % 3 === 2 || (creationsOnly && i % 2 === 1)) opener.failNext(1_000);
        try {
          await storage.log.append(id, records(2, `batch${i}`));
          tags.push(`batch${i}`, `batch${i}`);
        } catch (err) {
          assert.ok(err instanceof SegmentOpenError, String(err));
          failures++;
        }
        opener.failNext(0);
        // Reopening is what fails in the first mode; in the second the handle stays open so
        // only segment creation needs a descriptor.
        if (!creationsOnly) await releaseWriteHandles(storage);
      }
      assert.ok(failures > 0);
      assert.ok((await segmentFiles(dataDir, id)).length > 2, 'the test rolled segments');
      const seen = await readAll(storage, id);
      assert.deepEqual(seen.counters, tags.map((_, i) => i));
      assert.deepEqual(seen.bodies.map((b) => b.split(':')[0]), tags);
    });
  }
});
