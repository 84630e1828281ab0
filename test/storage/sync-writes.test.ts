/**
 * The synchronous write path of `fsync: always`: a small group written while no other log has
 * anything to write skips the thread pool (tuning.writevSync); everything else keeps
 * FileHandle.writev. Either way an append is acknowledged only once durable, and a failed write
 * fails the log until restart.
 */
import assert from 'node:assert/strict';
import { writevSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/domain/clock.js';
import { FRAME_OVERHEAD_BYTES } from '../../src/storage/embedded/format.js';
import { SLOW_SYNC_WRITE_MS, SYNC_WRITE_MAX_BYTES, SYNC_WRITE_PAUSE_MS } from '../../src/storage/embedded/sync-write-gate.js';
import type { LogTuning } from '../../src/storage/embedded/index.js';
import type { AppendRecord, Storage } from '../../src/storage/types.js';
import { runCrashCycles } from './crash-harness.js';
import { ALL, capturingLogger, openAt, records, tempDataDir, text } from './helpers.js';

type WritevSync = LogTuning['writevSync'];

/** Writes at most `limit` bytes of `buffers`, as a short write would. */
function writeAtMost(limit: number, fd: number, buffers: readonly NodeJS.ArrayBufferView[], position: number): number {
  const parts: Buffer[] = [];
  let left = limit;
  for (const view of buffers) {
    if (left === 0) break;
    const part = Buffer.from(view.buffer, view.byteOffset, Math.min(view.byteLength, left));
    parts.push(part);
    left -= part.length;
  }
  return writevSync(fd, parts, position);
}

/**
 * Counts synchronous writes, then runs `write` (the real one unless a test replaces it). The write
 * clock moves only when a test moves it: a write slowed down by a loaded test machine must not
 * pause the synchronous path.
 */
function syncWriteSpy(): { calls: number; write: WritevSync; clock: ManualClock; tuning: Partial<LogTuning> } {
  const spy = {
    calls: 0,
    write: writevSync as WritevSync,
    clock: new ManualClock(0),
    tuning: {} as Partial<LogTuning>,
  };
  spy.tuning = {
    writevSync: (fd, buffers, position) => {
      spy.calls++;
      return spy.write(fd, buffers, position);
    },
    writeClock: spy.clock,
  };
  return spy;
}

async function readTexts(storage: Storage, log: string): Promise<string[]> {
  return (await storage.log.read(log, 0, ALL)).records.map((r) => text(r.data));
}

function textsOf(batch: readonly AppendRecord[]): string[] {
  return batch.map((r) => text(r.data));
}

describe('embedded log: synchronous small writes (fsync always)', () => {
  it('writes a small append to an idle storage synchronously; it is durable and recovered after reopening', async (t) => {
    const dataDir = await tempDataDir(t);
    const spy = syncWriteSpy();
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always', tuning: spy.tuning });
    await storage.log.createLog('sync/0');
    const expected: string[] = [];
    for (let i = 0; i < 20; i++) {
      const batch = records(1 + (i % 4), `s${i}`);
      assert.equal((await storage.log.append('sync/0', batch)).firstCounter, expected.length);
      expected.push(...textsOf(batch));
    }
    assert.equal(spy.calls, 20, 'every append was one synchronous write');
    assert.deepEqual(await readTexts(storage, 'sync/0'), expected);
    await storage.close();
    const reopened = await openAt(dataDir, capturingLogger().log);
    assert.deepEqual(await readTexts(reopened, 'sync/0'), expected);
    assert.equal((await reopened.log.append('sync/0', records(1, 'after reopening'))).firstCounter, expected.length);
    await reopened.close();
  });

  it('continues a partial synchronous write until the whole group is in the file', async (t) => {
    const dataDir = await tempDataDir(t);
    const spy = syncWriteSpy();
    // At most 7 bytes per call, as a short write would leave them.
    spy.write = (fd, buffers, position) => writeAtMost(7, fd, buffers, position);
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always', tuning: spy.tuning });
    await storage.log.createLog('sync/0');
    const batches = [records(3, 'a'), records(2, 'b'), records(4, 'c')];
    const results = await Promise.all(batches.map((batch) => storage.log.append('sync/0', batch)));
    assert.deepEqual(results.map((r) => r.firstCounter), [0, 3, 5]);
    const expected = batches.flatMap(textsOf);
    const groupBytes = 9 * (FRAME_OVERHEAD_BYTES + 'key-0'.length) + expected.reduce((sum, s) => sum + s.length, 0);
    assert.equal(spy.calls, Math.ceil(groupBytes / 7), 'one group, written 7 bytes at a time');
    await storage.close();
    const reopened = await openAt(dataDir, capturingLogger().log);
    assert.deepEqual(await readTexts(reopened, 'sync/0'), expected);
    await reopened.close();
  });

  it('sends a group over the bound to the thread pool, even on an idle storage', async (t) => {
    const dataDir = await tempDataDir(t);
    const spy = syncWriteSpy();
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always', tuning: spy.tuning });
    await storage.log.createLog('sync/0');
    const large = Array.from({ length: 80 }, (_, i) => ({ partitionKey: 'big', data: Buffer.alloc(1_000, 97 + (i % 26)), arrivalMs: 1_000 }));
    assert.ok(large.reduce((sum, r) => sum + r.data.length, 0) > SYNC_WRITE_MAX_BYTES);
    await storage.log.append('sync/0', large);
    assert.equal(spy.calls, 0, 'written through FileHandle.writev');
    await storage.log.append('sync/0', records(2, 'small'));
    assert.equal(spy.calls, 1, 'the next small append is written synchronously again');
    await storage.close();
    const reopened = await openAt(dataDir, capturingLogger().log);
    assert.deepEqual(await readTexts(reopened, 'sync/0'), [...textsOf(large), ...textsOf(records(2, 'small'))]);
    await reopened.close();
  });

  it('writes logs that have appends at the same time through the thread pool, every append in order; a lone append afterwards is synchronous again', async (t) => {
    const dataDir = await tempDataDir(t);
    const spy = syncWriteSpy();
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always', tuning: spy.tuning });
    const logs = ['multi/0', 'multi/1', 'multi/2', 'multi/3'];
    const expected = new Map<string, string[]>(logs.map((log) => [log, []]));
    for (const log of logs) {
      await storage.log.createLog(log);
      // Opens the log and creates its segment, so the appends below reach its handle and start
      // their writes in the same turn.
      const batch = records(1, `${log}.first`);
      await storage.log.append(log, batch);
      expected.get(log)!.push(...textsOf(batch));
    }
    spy.calls = 0;
    for (let round = 0; round < 5; round++) {
      const appends = logs.flatMap((log) => Array.from({ length: 3 }, (_, i) => {
        const batch = records(2, `${log}.r${round}.a${i}`);
        expected.get(log)!.push(...textsOf(batch));
        return storage.log.append(log, batch);
      }));
      const results = await Promise.all(appends);
      assert.deepEqual(results.map((r) => r.firstCounter), logs.flatMap(() => [1 + round * 6, 3 + round * 6, 5 + round * 6]));
    }
    assert.equal(spy.calls, 0, 'no log wrote synchronously while others had appends waiting');
    await storage.log.append('multi/2', records(1, 'lone'));
    expected.get('multi/2')!.push(...textsOf(records(1, 'lone')));
    assert.equal(spy.calls, 1, 'once the others are idle, a small append is synchronous again');

    // Producers running side by side, each awaiting its own appends: writes take either path.
    await Promise.all(logs.map(async (log, p) => {
      for (let seq = 0; seq < 30; seq++) {
        const batch = records(1 + ((seq + p) % 5), `${log}.p.s${seq}`);
        const { firstCounter } = await storage.log.append(log, batch);
        assert.equal(firstCounter, expected.get(log)!.length, `${log}: counters follow acknowledgement order`);
        expected.get(log)!.push(...textsOf(batch));
      }
    }));
    for (const log of logs) assert.deepEqual(await readTexts(storage, log), expected.get(log));
    await storage.close();
    const reopened = await openAt(dataDir, capturingLogger().log);
    for (const log of logs) assert.deepEqual(await readTexts(reopened, log), expected.get(log), `${log} after reopening`);
    await reopened.close();
  });

  it('a failed synchronous write fails the appends and stops the log taking more, like a failed pool write; other logs keep writing; a restart recovers it', async (t) => {
    const dataDir = await tempDataDir(t);
    const spy = syncWriteSpy();
    const { log, lines } = capturingLogger();
    const storage = await openAt(dataDir, log, { fsync: 'always', tuning: spy.tuning });
    await storage.log.createLog('fail/0');
    await storage.log.createLog('fail/1');
    await storage.log.append('fail/0', records(3, 'kept'));
    spy.write = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    await assert.rejects(storage.log.append('fail/0', records(2, 'lost')), /ENOSPC/);
    spy.write = writevSync;
    assert.equal(spy.calls, 2, 'the failed write took the synchronous path');
    await assert.rejects(storage.log.append('fail/0', records(1, 'refused')), /appends refused until restart/);
    assert.ok(lines.some((l) => l.msg === 'append write failed; log refuses appends until restart' && l.level === 'error'));
    assert.deepEqual((await storage.log.read('fail/0', 0, ALL)).records.map((r) => r.counter), [0, 1, 2]);
    assert.equal((await storage.log.append('fail/1', records(2, 'other log'))).firstCounter, 0);
    assert.equal(spy.calls, 3, 'the failed log left no write counted in flight: the other log still writes synchronously');
    await storage.close();
    const reopened = await openAt(dataDir, capturingLogger().log);
    assert.equal((await reopened.log.append('fail/0', records(1, 'after restart'))).firstCounter, 3);
    assert.deepEqual(await readTexts(reopened, 'fail/0'), [...textsOf(records(3, 'kept')), ...textsOf(records(1, 'after restart'))]);
    await reopened.close();
  });

  it('a synchronous write failing after part of the group reached the file: nothing of the group is acknowledged, and recovery cuts the torn tail', async (t) => {
    const dataDir = await tempDataDir(t);
    const spy = syncWriteSpy();
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always', tuning: spy.tuning });
    await storage.log.createLog('torn/0');
    await storage.log.append('torn/0', records(2, 'kept'));
    let call = 0;
    spy.write = (fd, buffers, position) => {
      if (++call > 1) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
      return writeAtMost(50, fd, buffers, position);
    };
    await assert.rejects(storage.log.append('torn/0', records(4, 'torn')), /EIO/);
    spy.write = writevSync;
    await assert.rejects(storage.log.append('torn/0', records(1, 'refused')), /appends refused until restart/);
    await storage.close();
    const { log, lines } = capturingLogger();
    const reopened = await openAt(dataDir, log);
    assert.equal((await reopened.log.append('torn/0', records(1, 'after restart'))).firstCounter, 2);
    assert.ok(lines.some((l) => l.msg === 'recovery: truncating a torn tail' && l.discardedBytes === 50));
    assert.deepEqual(await readTexts(reopened, 'torn/0'), [...textsOf(records(2, 'kept')), ...textsOf(records(1, 'after restart'))]);
    await reopened.close();
  });

  it('one slow synchronous write among fast ones keeps the synchronous path; one very slow write pauses it until the pause is over', async (t) => {
    const dataDir = await tempDataDir(t);
    const spy = syncWriteSpy();
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always', tuning: spy.tuning });
    await storage.log.createLog('slow/0');
    const expected: string[] = [];
    const append = async (tag: string, tookMs: number): Promise<void> => {
      spy.write = (fd, buffers, position) => {
        spy.clock.advance(tookMs);
        return writevSync(fd, buffers, position);
      };
      const batch = records(1, tag);
      await storage.log.append('slow/0', batch);
      expected.push(...textsOf(batch));
    };
    await append('fast', 0);
    await append('slow', SLOW_SYNC_WRITE_MS + 1);
    await append('fast again', 0);
    assert.equal(spy.calls, 3, 'all three synchronous');
    await append('very slow', 10 * SLOW_SYNC_WRITE_MS);
    assert.equal(spy.calls, 4);
    await append('paused', 0);
    spy.clock.advance(SYNC_WRITE_PAUSE_MS - 1);
    await append('still paused', 0);
    assert.equal(spy.calls, 4, 'both went to the thread pool');
    spy.clock.advance(1);
    await append('resumed', 0);
    assert.equal(spy.calls, 5, 'synchronous again once the pause is over');
    assert.deepEqual(await readTexts(storage, 'slow/0'), expected);
    await storage.close();
  });

  it('synchronous writes that stay slow send writes to the thread pool', async (t) => {
    const dataDir = await tempDataDir(t);
    const spy = syncWriteSpy();
    spy.write = (fd, buffers, position) => {
      spy.clock.advance(SLOW_SYNC_WRITE_MS + 1);
      return writevSync(fd, buffers, position);
    };
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always', tuning: spy.tuning });
    await storage.log.createLog('slow/0');
    let appends = 0;
    while (spy.calls === appends && appends < 100) {
      await storage.log.append('slow/0', records(1, `a${appends}`));
      appends++;
    }
    assert.ok(spy.calls > 1 && spy.calls < 100, `paused after ${spy.calls} slow writes`);
    assert.equal(appends, spy.calls + 1, 'the append after the last slow write went to the thread pool');
    assert.equal((await storage.log.read('slow/0', 0, ALL)).records.length, appends);
    await storage.close();
  });

  it('never and interval do not write synchronously', async (t) => {
    for (const fsync of ['never', 'interval'] as const) {
      const dataDir = await tempDataDir(t);
      const spy = syncWriteSpy();
      const storage = await openAt(dataDir, capturingLogger().log, { fsync, tuning: spy.tuning });
      await storage.log.createLog('policy/0');
      for (let i = 0; i < 5; i++) await storage.log.append('policy/0', records(2, `${fsync}${i}`));
      assert.equal(spy.calls, 0, fsync);
      assert.equal((await storage.log.read('policy/0', 0, ALL)).records.length, 10);
      await storage.close();
    }
  });

  it('every acknowledged append survives SIGKILL with one log written by two producers, whose small groups are written synchronously (10 cycles)', async (t) => {
    const dataDir = await tempDataDir(t);
    const summary = await runCrashCycles({ dataDir, cycles: 10, logs: 1, producers: 2, maxRunMs: 250 });
    assert.equal(summary.cycles, 10);
    assert.ok(summary.ackedRecords > 0, 'the child acknowledged appends');
  });
});
