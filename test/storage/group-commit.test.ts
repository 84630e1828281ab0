/**
 * The fsync policies of the embedded log, observed through FileHandle.writev and .datasync:
 * `always` writes through an O_DSYNC handle, acks only after that write returns and writes once
 * per group of concurrent appends; `never` does not wait for an fsync; `interval` fsyncs on a
 * timer. Tests that hold or break FileHandle.writev turn off the synchronous write path (it
 * bypasses writev; test/storage/sync-writes.test.ts covers it).
 */
import assert from 'node:assert/strict';
import { constants as fsConstants } from 'node:fs';
import { open, readdir, readFile, readlink, stat, type FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { crc32c, NATIVE_MIN_BYTES, nativeCrc32cOf, tableCrc32c } from '../../src/storage/embedded/crc32c.js';
import type { EmbeddedRecordLog } from '../../src/storage/embedded/index.js';
import { ALL, capturingLogger, openAt, records, segmentFiles, tempDataDir } from './helpers.js';

const LOG = 'commit/0';
/** Every write goes through the thread pool (FileHandle.writev), where these tests observe it. */
const POOL_WRITES_ONLY = { syncWriteMaxBytes: 0 };

describe('CRC32C', () => {
  it('matches the published check values', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
    assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
    assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i))), 0x46dd794e);
    assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i))), 0x113fdb5c);
    assert.equal(crc32c(Buffer.alloc(0)), 0);
  });

  it('the table (short inputs) and the native code (long ones) agree, at every length, offset and seed', () => {
    const bytes = Buffer.from(Array.from({ length: 2 * NATIVE_MIN_BYTES + 64 }, (_, i) => (i * 151 + 7) & 0xff));
    for (const seed of [0, 1, 0x9e3779b9, 0xffffffff]) {
      for (const offset of [0, 1, 3, 7]) {
        for (let length = 0; length <= 2 * NATIVE_MIN_BYTES; length++) {
          const end = offset + length;
          assert.equal(tableCrc32c(bytes, offset, end, seed), nativeCrc32cOf(bytes, offset, end, seed), `length ${length}, offset ${offset}, seed ${seed}`);
        }
      }
    }
    const long = Buffer.alloc(4 * NATIVE_MIN_BYTES, 0xa5);
    assert.equal(crc32c(long), tableCrc32c(long, 0, long.length, 0), 'a long input through crc32c (native) equals the table');
    assert.equal(tableCrc32c(Buffer.from('123456789'), 0, 9, 0), 0xe3069283);
    assert.equal(nativeCrc32cOf(Buffer.from('123456789'), 0, 9, 0), 0xe3069283);
  });

  it('continues a running CRC and honours start/end', () => {
    const bytes = Buffer.from('xx123456789abcdefghijklmnopqrstuvwxyzyy');
    const whole = crc32c(bytes, 2, bytes.length - 2);
    for (const split of [3, 9, 17, 30]) assert.equal(crc32c(bytes, split, bytes.length - 2, crc32c(bytes, 2, split)), whole);
  });
});

/** Whether every open descriptor of `segmentPath` was opened with O_DSYNC (Linux only). */
async function openedWithDataSync(segmentPath: string): Promise<boolean> {
  const flags: number[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => undefined);
    if (target !== segmentPath) continue;
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8');
    flags.push(Number.parseInt(/^flags:\s+([0-7]+)$/m.exec(info)![1]!, 8));
  }
  assert.ok(flags.length > 0, `no open descriptor of ${segmentPath}`);
  return flags.every((f) => (f & fsConstants.O_DSYNC) !== 0);
}

describe('embedded log fsync policies', () => {
  let prototype: { datasync: FileHandle['datasync']; writev: FileHandle['writev'] };
  let original: FileHandle['datasync'];
  let originalWritev: FileHandle['writev'];
  let datasyncs = 0;
  let writes = 0;
  /** Holds datasync calls while set. */
  let gate: Promise<void> | undefined;
  /** Holds writev calls while set. */
  let writeGate: Promise<void> | undefined;

  beforeEach(async () => {
    const probe = await open(fileURLToPath(import.meta.url), 'r');
    prototype = Object.getPrototypeOf(probe) as typeof prototype;
    await probe.close();
    original = prototype.datasync;
    originalWritev = prototype.writev;
    datasyncs = 0;
    writes = 0;
    gate = undefined;
    writeGate = undefined;
    prototype.datasync = async function (this: FileHandle) {
      datasyncs++;
      if (gate) await gate;
      return original.call(this);
    };
    prototype.writev = async function (this: FileHandle, ...args: Parameters<FileHandle['writev']>) {
      writes++;
      if (writeGate) await writeGate;
      return originalWritev.apply(this, args);
    } as FileHandle['writev'];
  });

  afterEach(() => {
    prototype.datasync = original;
    prototype.writev = originalWritev;
  });

  it('always: writes through an O_DSYNC handle', async (t) => {
    if (process.platform !== 'linux') return t.skip('reads descriptor flags from /proc/self/fdinfo');
    const dataDir = await tempDataDir(t);
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always' });
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, records(1, 'first'));
    const [segment] = await segmentFiles(dataDir, LOG);
    assert.equal(await openedWithDataSync(segment!), true);
    await (storage.log as EmbeddedRecordLog).releaseIdleFiles(0);
    await storage.log.append(LOG, records(1, 'after reopening'));
    assert.equal(await openedWithDataSync(segment!), true, 'a reopened write handle too');
    await storage.close();
    const reopened = await openAt(dataDir, capturingLogger().log, { fsync: 'always' });
    await reopened.log.append(LOG, records(1, 'after recovery'));
    assert.equal(await openedWithDataSync(segment!), true, 'the handle recovery opens too');
    await reopened.close();
  });

  it('never: does not open its write handle with O_DSYNC', async (t) => {
    if (process.platform !== 'linux') return t.skip('reads descriptor flags from /proc/self/fdinfo');
    const dataDir = await tempDataDir(t);
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'never' });
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, records(1, 'first'));
    const [segment] = await segmentFiles(dataDir, LOG);
    assert.equal(await openedWithDataSync(segment!), false);
    await storage.close();
  });

  it('always: acknowledges only after the synchronous write, and hides the records from readers until then', async (t) => {
    const dataDir = await tempDataDir(t);
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always', tuning: POOL_WRITES_ONLY });
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, records(1, 'first'));
    let release!: () => void;
    gate = new Promise((resolve) => { release = resolve; });
    writeGate = gate;
    const notified: number[] = [];
    storage.log.onAppend(LOG, (next) => notified.push(next));
    let acked = false;
    const append = storage.log.append(LOG, records(3, 'held')).then((r) => { acked = true; return r; });
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(acked, false, 'not acknowledged before the write completes');
    assert.deepEqual(notified, []);
    assert.equal((await storage.log.bounds(LOG)).nextCounter, 1);
    assert.equal((await storage.log.read(LOG, 0, ALL)).records.length, 1);
    release();
    assert.equal((await append).firstCounter, 1);
    assert.deepEqual(notified, [4]);
    assert.equal((await storage.log.read(LOG, 0, ALL)).records.length, 4);
    gate = undefined;
    writeGate = undefined;
    await storage.close();
  });

  it('always: concurrent appends share one synchronous write', async (t) => {
    const dataDir = await tempDataDir(t);
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always', tuning: POOL_WRITES_ONLY });
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, records(1, 'warm-up'));
    datasyncs = 0;
    writes = 0;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => storage.log.append(LOG, records(10, `c${i}`))));
    assert.deepEqual(results.map((r) => r.firstCounter), Array.from({ length: 50 }, (_, i) => 1 + i * 10));
    assert.equal(writes, 1, '50 appends issued together are written as one group');
    assert.equal(datasyncs, 0, 'the O_DSYNC write needs no fdatasync after it');
    await storage.close();
  });

  it('always: a large group is split across segments at append boundaries', async (t) => {
    const dataDir = await tempDataDir(t);
    const segmentBytes = 4096;
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always', tuning: { segmentBytes } });
    await storage.log.createLog(LOG);
    // Each append of 5 records is about 500 bytes; 40 of them arrive as one group.
    await Promise.all(Array.from({ length: 40 }, (_, i) => storage.log.append(LOG, records(5, `g${i}`))));
    const segments = await segmentFiles(dataDir, LOG);
    assert.ok(segments.length >= 4, `expected the group to span several segments, got ${segments.length}`);
    for (const segment of segments) assert.ok((await stat(segment)).size <= segmentBytes, `${segment} exceeds the segment size`);
    assert.deepEqual((await storage.log.read(LOG, 0, ALL)).records.map((r) => r.counter), Array.from({ length: 200 }, (_, i) => i));
    await storage.close();
  });

  it('never: acknowledges without waiting for an fsync', async (t) => {
    const dataDir = await tempDataDir(t);
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'never' });
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, records(1, 'creates the segment'));
    datasyncs = 0;
    gate = new Promise(() => undefined);
    await storage.log.append(LOG, records(5, 'unsynced'));
    assert.equal(datasyncs, 0);
    assert.equal((await storage.log.read(LOG, 0, ALL)).records.length, 6);
    gate = undefined;
    await storage.close();
  });

  it('interval: fsyncs written data on the timer', async (t) => {
    const dataDir = await tempDataDir(t);
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'interval' });
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, records(1, 'creates the segment'));
    datasyncs = 0;
    await storage.log.append(LOG, records(5, 'later synced'));
    assert.equal(datasyncs, 0, 'the append itself does not fsync');
    const deadline = Date.now() + 5_000;
    while (datasyncs === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(datasyncs >= 1, 'the interval timer fsynced');
    await storage.close();
  });

  it('an idle log gives its write handle back and reopens it on the next append', async (t) => {
    if (process.platform !== 'linux') return t.skip('counts descriptors through /proc/self/fd');
    const dataDir = await tempDataDir(t);
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'always' });
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, records(3, 'before'));
    const openHandles = async () => (await readdir('/proc/self/fd')).length;
    const withHandle = await openHandles();
    await (storage.log as EmbeddedRecordLog).releaseIdleFiles(0);
    assert.equal(await openHandles(), withHandle - 1, 'the segment write handle is closed');
    assert.equal((await storage.log.append(LOG, records(2, 'after'))).firstCounter, 3);
    assert.equal((await storage.log.read(LOG, 0, ALL)).records.length, 5);
    await storage.close();
    const reopened = await openAt(dataDir, capturingLogger().log);
    assert.equal((await reopened.log.read(LOG, 0, ALL)).records.length, 5);
    await reopened.close();
  });

  it('a failed write fails the appends, stops the log taking more, and a restart recovers it', async (t) => {
    const dataDir = await tempDataDir(t);
    const { log, lines } = capturingLogger();
    const storage = await openAt(dataDir, log, { fsync: 'always', tuning: POOL_WRITES_ONLY });
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, records(3, 'kept'));
    const writev = (prototype as unknown as { writev: FileHandle['writev'] }).writev;
    (prototype as unknown as { writev: FileHandle['writev'] }).writev = async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    try {
      await assert.rejects(storage.log.append(LOG, records(2, 'lost')), /ENOSPC/);
    } finally {
      (prototype as unknown as { writev: FileHandle['writev'] }).writev = writev;
    }
    await assert.rejects(storage.log.append(LOG, records(1, 'refused')), /appends refused until restart/);
    assert.ok(lines.some((l) => l.msg === 'append write failed; log refuses appends until restart' && l.level === 'error'));
    assert.deepEqual((await storage.log.read(LOG, 0, ALL)).records.map((r) => r.counter), [0, 1, 2]);
    await storage.close();
    const reopened = await openAt(dataDir, capturingLogger().log);
    assert.equal((await reopened.log.append(LOG, records(1, 'after restart'))).firstCounter, 3);
    assert.equal((await reopened.log.read(LOG, 0, ALL)).records.length, 4);
    await reopened.close();
  });

  it('close flushes and leaves an index that the next open trusts', async (t) => {
    const dataDir = await tempDataDir(t);
    const storage = await openAt(dataDir, capturingLogger().log, { fsync: 'never' });
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, records(50, 'x'));
    await storage.close();
    const { log, lines } = capturingLogger();
    const reopened = await openAt(dataDir, log);
    assert.equal((await reopened.log.bounds(LOG)).nextCounter, 50);
    const recovered = lines.find((l) => l.msg === 'recovered active segment');
    assert.equal(recovered, undefined, 'no frames needed scanning');
    await reopened.close();
  });
});
