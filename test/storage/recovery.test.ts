/**
 * Damaged segment files: torn tails are cut off, damage followed by valid frames is refused,
 * never skipped. Crashes are simulated by closing cleanly and then removing the index files
 * (what a crash leaves: no final index) and damaging the bytes.
 */
import assert from 'node:assert/strict';
import { open, readdir, readFile, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { crc32c } from '../../src/storage/embedded/crc32c.js';
import { checkFrame, FrameHeader, FRAME_OVERHEAD_BYTES, segmentFileName, writeU64 } from '../../src/storage/embedded/format.js';
import type { LogTuning } from '../../src/storage/embedded/index.js';
import { LogCorruptError, type Storage } from '../../src/storage/types.js';
import { ALL, capturingLogger, frameOffsets, logDir, openAt, records, segmentFiles, tempDataDir, text } from './helpers.js';

const LOG = 'stream-1/0';

async function fill(dataDir: string, batches: number, perBatch: number, tuning?: Partial<LogTuning>): Promise<void> {
  const storage = await openAt(dataDir, capturingLogger().log, tuning ? { tuning } : {});
  await storage.log.createLog(LOG);
  for (let b = 0; b < batches; b++) await storage.log.append(LOG, records(perBatch, `b${b}`, (i) => 1_000 + b * perBatch + i));
  await storage.close();
}

async function dropIndexFiles(dataDir: string): Promise<void> {
  const dir = logDir(dataDir, LOG);
  for (const name of await readdir(dir)) if (name.endsWith('.idx')) await unlink(join(dir, name));
}

async function flipByte(path: string, offset: number): Promise<void> {
  const file = await open(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    await file.read(byte, 0, 1, offset);
    byte[0] ^= 0x10;
    await file.write(byte, 0, 1, offset);
  } finally {
    await file.close();
  }
}

function encodeUnsaltedFrame(counter: number, arrivalMs: number, key: string, data: Buffer): Buffer {
  const keyBytes = Buffer.from(key);
  const frame = Buffer.alloc(FRAME_OVERHEAD_BYTES + keyBytes.length + data.length);
  frame.writeUInt32LE(frame.length - 8, 0);
  writeU64(frame, counter, 8);
  frame.writeDoubleLE(arrivalMs, 16);
  frame.writeUInt16LE(keyBytes.length, 24);
  frame.writeUInt16LE(0, 26);
  frame.writeUInt32LE(data.length, 28);
  keyBytes.copy(frame, 32);
  data.copy(frame, 32 + keyBytes.length);
  frame.writeUInt32LE(crc32c(frame, 8, frame.length), 4);
  return frame;
}

function expectedText(counter: number, perBatch = 5): string {
  return `b${Math.floor(counter / perBatch)}:${counter % perBatch}:${'x'.repeat(40)}`;
}

async function assertIntact(storage: Storage, from: number, to: number): Promise<void> {
  const { records: got } = await storage.log.read(LOG, from, { maxRecords: to - from, maxBytes: Number.MAX_SAFE_INTEGER });
  assert.deepEqual(got.map((r) => r.counter), Array.from({ length: to - from }, (_, i) => from + i));
  for (const record of got) assert.equal(text(record.data), expectedText(record.counter));
}

describe('embedded record log recovery', () => {
  for (const [label, cut] of [['inside the length prefix', 3], ['inside the body', 20], ['one byte short', -1]] as const) {
    it(`truncates a torn tail (${label}) and continues the counters`, async (t) => {
      const dataDir = await tempDataDir(t);
      await fill(dataDir, 20, 5);
      await dropIndexFiles(dataDir);
      const [segment] = await segmentFiles(dataDir, LOG);
      const offsets = await frameOffsets(segment!);
      const lastStart = offsets[99]!;
      const fullSize = (await stat(segment!)).size;
      await truncate(segment!, cut > 0 ? lastStart + cut : fullSize + cut);

      const { log, lines } = capturingLogger();
      const storage = await openAt(dataDir, log);
      assert.deepEqual(await storage.log.bounds(LOG), { trimHorizon: 0, nextCounter: 99, lastArrivalMs: 1_098 });
      await assertIntact(storage, 0, 99);
      assert.equal((await stat(segment!)).size, lastStart, 'the partial frame is cut off');
      const torn = lines.find((l) => l.msg === 'recovery: truncating a torn tail');
      assert.ok(torn, 'recovery logs the truncation');
      assert.equal(torn.offset, lastStart);
      assert.equal((await storage.log.append(LOG, records(1, 'b19', () => 2_000))).firstCounter, 99);
      await storage.close();

      const again = await openAt(dataDir, capturingLogger().log);
      assert.equal((await again.log.bounds(LOG)).nextCounter, 100);
      await again.close();
    });
  }

  it('treats a damaged last frame as a torn tail', async (t) => {
    const dataDir = await tempDataDir(t);
    await fill(dataDir, 20, 5);
    const [segment] = await segmentFiles(dataDir, LOG);
    const offsets = await frameOffsets(segment!);
    await flipByte(segment!, offsets[99]! + 40);

    const { log, lines } = capturingLogger();
    const storage = await openAt(dataDir, log);
    assert.equal((await storage.log.bounds(LOG)).nextCounter, 99);
    await assertIntact(storage, 0, 99);
    assert.ok(lines.some((l) => l.msg === 'recovery: truncating a torn tail' && l.reason === 'checksum mismatch'));
    assert.equal((await storage.log.append(LOG, records(1, 'again'))).firstCounter, 99);
    await storage.close();
  });

  it('refuses damaged records in the middle after a crash, and serves the rest', async (t) => {
    const dataDir = await tempDataDir(t);
    await fill(dataDir, 20, 5);
    await dropIndexFiles(dataDir);
    const [segment] = await segmentFiles(dataDir, LOG);
    const offsets = await frameOffsets(segment!);
    await flipByte(segment!, offsets[50]! + 60);

    const { log, lines } = capturingLogger();
    const storage = await openAt(dataDir, log);
    // Logs open (and recover) on first use.
    const bounds = await storage.log.bounds(LOG);
    const damage = lines.find((l) => l.msg === 'damaged frames in segment: records in this range will not be served');
    assert.ok(damage, 'recovery logs the damage');
    assert.equal(damage.level, 'error');
    assert.equal(damage.fromCounter, 50);
    assert.equal(damage.toCounter, 51);
    assert.equal(bounds.nextCounter, 100, 'valid records after the damage are kept');
    await assertIntact(storage, 0, 50);
    await assert.rejects(storage.log.read(LOG, 0, ALL), (err: unknown) => err instanceof LogCorruptError && err.counter === 50);
    await assert.rejects(storage.log.read(LOG, 50, ALL), LogCorruptError);
    await assertIntact(storage, 51, 100);
    assert.equal((await storage.log.append(LOG, records(1, 'more'))).firstCounter, 100);
    await storage.close();
  });

  it('refuses a damaged record found at read time (index intact)', async (t) => {
    const dataDir = await tempDataDir(t);
    await fill(dataDir, 20, 5);
    const [segment] = await segmentFiles(dataDir, LOG);
    const offsets = await frameOffsets(segment!);
    await flipByte(segment!, offsets[30]! + 50);

    const { log, lines } = capturingLogger();
    const storage = await openAt(dataDir, log);
    await assertIntact(storage, 0, 30);
    await assert.rejects(storage.log.read(LOG, 25, ALL), (err: unknown) => err instanceof LogCorruptError && err.counter === 30 && /checksum/.test(err.message));
    await assert.rejects(storage.log.read(LOG, 30, { maxRecords: 1, maxBytes: 1 }), LogCorruptError);
    assert.ok(lines.some((l) => l.msg === 'refusing to serve a damaged record' && l.counter === 30));
    await storage.close();
  });

  it('refuses a damaged record in a sealed segment and serves the other segments', async (t) => {
    const dataDir = await tempDataDir(t);
    const tuning = { segmentBytes: 2048, indexSpacing: { bytes: 256, records: 4 } };
    await fill(dataDir, 20, 5, tuning);
    const segments = await segmentFiles(dataDir, LOG);
    assert.ok(segments.length >= 4, `expected several segments, got ${segments.length}`);
    const victim = segments[1]!;
    const firstInVictim = Number(victim.slice(-24, -4));
    const offsets = await frameOffsets(victim);
    await flipByte(victim, offsets[2]! + 45);
    const damaged = firstInVictim + 2;

    const storage = await openAt(dataDir, capturingLogger().log, { tuning });
    await assertIntact(storage, 0, damaged);
    await assert.rejects(storage.log.read(LOG, firstInVictim, ALL), (err: unknown) => err instanceof LogCorruptError && err.counter === damaged);
    const thirdFirst = Number(segments[2]!.slice(-24, -4));
    await assertIntact(storage, thirdFirst, 100);
    await storage.close();
  });

  it('drops valid-looking frames behind a zero-filled gap (an unfinished write)', async (t) => {
    const dataDir = await tempDataDir(t);
    await fill(dataDir, 20, 5);
    await dropIndexFiles(dataDir);
    const [segment] = await segmentFiles(dataDir, LOG);
    const offsets = await frameOffsets(segment!);
    const file = await open(segment!, 'r+');
    await file.write(Buffer.alloc(offsets[91]! - offsets[90]!), 0, offsets[91]! - offsets[90]!, offsets[90]!);
    await file.close();

    const { log, lines } = capturingLogger();
    const storage = await openAt(dataDir, log);
    assert.equal((await storage.log.bounds(LOG)).nextCounter, 90);
    await assertIntact(storage, 0, 90);
    assert.ok(lines.some((l) => l.msg.startsWith('zero-filled gap') && l.level === 'error'));
    assert.equal((await storage.log.append(LOG, records(1, 'next'))).firstCounter, 90);
    await storage.close();
  });

  it('rebuilds lost index files of sealed segments', async (t) => {
    const dataDir = await tempDataDir(t);
    const tuning = { segmentBytes: 2048, indexSpacing: { bytes: 256, records: 4 } };
    await fill(dataDir, 20, 5, tuning);
    await dropIndexFiles(dataDir);

    const { log, lines } = capturingLogger();
    const storage = await openAt(dataDir, log, { tuning });
    await assertIntact(storage, 0, 100);
    assert.ok(lines.some((l) => l.msg === 'rebuilding the index of a sealed segment'));
    assert.equal(await storage.log.findByTimestamp(LOG, 1_077), 77);
    const idx = (await readdir(logDir(dataDir, LOG))).filter((n) => n.endsWith('.idx'));
    assert.ok(idx.length >= (await segmentFiles(dataDir, LOG)).length - 1);
    await storage.close();
  });

  it('finishes a segment whose creation was cut short', async (t) => {
    const dataDir = await tempDataDir(t);
    await fill(dataDir, 2, 5, { segmentBytes: 2048 });
    // A crash between creating the next segment file and writing its header.
    await writeFile(join(logDir(dataDir, LOG), segmentFileName(10)), Buffer.from('RNLSE'));
    const { log, lines } = capturingLogger();
    const storage = await openAt(dataDir, log, { tuning: { segmentBytes: 2048 } });
    await assertIntact(storage, 0, 10);
    assert.ok(lines.some((l) => l.msg === 'recovery: rewriting the header of a segment cut short at creation'));
    assert.equal((await storage.log.append(LOG, records(5, 'b2'))).firstCounter, 10);
    await assertIntact(storage, 0, 15);
    await storage.close();
  });

  it('does not take a frame-shaped payload inside a torn record for a real frame', async (t) => {
    const dataDir = await tempDataDir(t);
    await fill(dataDir, 2, 5);
    // A well-formed frame for counter 11, checksummed the way an outsider would (no salt).
    const forged = encodeUnsaltedFrame(11, 5_000, 'forged', Buffer.from('never appended'));
    assert.equal(checkFrame(forged, 0, forged.length, true, 0, new FrameHeader()), 'ok');
    const junk = Buffer.alloc(16, 0x5a);
    const storage = await openAt(dataDir, capturingLogger().log);
    await storage.log.append(LOG, [{ partitionKey: 'k', data: Buffer.concat([junk, forged, junk]), arrivalMs: 2_000 }]);
    await storage.close();
    await dropIndexFiles(dataDir);
    const [segment] = await segmentFiles(dataDir, LOG);
    const offsets = await frameOffsets(segment!);
    const forgedEnd = offsets[10]! + FRAME_OVERHEAD_BYTES + 1 + junk.length + forged.length;
    await truncate(segment!, forgedEnd + 4); // the crash cut record 10 short, after the payload's frame

    const { log, lines } = capturingLogger();
    const reopened = await openAt(dataDir, log);
    assert.deepEqual(await reopened.log.bounds(LOG), { trimHorizon: 0, nextCounter: 10, lastArrivalMs: 1_009 });
    assert.ok(lines.some((l) => l.msg === 'recovery: truncating a torn tail' && l.offset === offsets[10]));
    assert.equal(lines.some((l) => l.msg.startsWith('damaged frames')), false);
    await assertIntact(reopened, 0, 10);
    await reopened.close();
  });

  it('takes the checksum salt from a segment header when the state file was never written', async (t) => {
    const dataDir = await tempDataDir(t);
    await fill(dataDir, 4, 5, { segmentBytes: 1024 });
    await unlink(join(logDir(dataDir, LOG), 'state'));
    const storage = await openAt(dataDir, capturingLogger().log, { tuning: { segmentBytes: 1024 } });
    await assertIntact(storage, 0, 20);
    assert.equal((await storage.log.append(LOG, records(1, 'next'))).firstCounter, 20);
    await storage.close();
    assert.ok((await stat(join(logDir(dataDir, LOG), 'state'))).size > 0, 'the state file is written again');
  });

  it('removes an index file left without its segment', async (t) => {
    const dataDir = await tempDataDir(t);
    await fill(dataDir, 2, 5);
    const orphan = join(logDir(dataDir, LOG), '00000000000000000003.idx');
    await writeFile(orphan, Buffer.from('left over'));
    const storage = await openAt(dataDir, capturingLogger().log);
    await assertIntact(storage, 0, 10);
    await assert.rejects(stat(orphan), { code: 'ENOENT' });
    await storage.close();
  });

  it('refuses to open a log whose state file is damaged', async (t) => {
    const dataDir = await tempDataDir(t);
    await fill(dataDir, 2, 5);
    const storage = await openAt(dataDir, capturingLogger().log);
    await storage.log.trim(LOG, 1_003);
    await storage.close();
    const statePath = join(logDir(dataDir, LOG), 'state');
    const bytes = await readFile(statePath);
    bytes[9] ^= 1;
    await writeFile(statePath, bytes);
    const reopened = await openAt(dataDir, capturingLogger().log);
    await assert.rejects(reopened.log.read(LOG, 0, ALL), (err: unknown) => err instanceof LogCorruptError && /state file/.test(err.message));
    await reopened.close();
  });
});
