/**
 * Retention on the embedded log, driven by an injected clock: whole segments go once their
 * newest record is older than the cutoff, reads start at the new horizon, and trimmed counters
 * never come back, also not after a restart.
 */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/domain/clock.js';
import { ALL, capturingLogger, openAt, records, segmentFiles, tempDataDir } from './helpers.js';

const LOG = 'retention/0';
const HOUR = 3_600_000;
const RETENTION = 24 * HOUR;
const tuning = { segmentBytes: 4096, indexSpacing: { bytes: 512, records: 8 } };

async function totalBytes(paths: string[]): Promise<number> {
  let sum = 0;
  for (const path of paths) sum += (await stat(path)).size;
  return sum;
}

describe('embedded record log retention', () => {
  it('deletes whole expired segments, serves from the horizon, and keeps it across restarts', async (t) => {
    const dataDir = await tempDataDir(t);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const start = clock.now();
    let storage = await openAt(dataDir, capturingLogger().log, { tuning });
    await storage.log.createLog(LOG);
    // 48 hours of traffic, one batch of 10 records per hour.
    for (let hour = 0; hour < 48; hour++) {
      await storage.log.append(LOG, records(10, `h${hour}`, () => clock.now()));
      clock.advance(HOUR);
    }
    const before = await segmentFiles(dataDir, LOG);
    const bytesBefore = await totalBytes(before);
    assert.ok(before.length > 10, `expected many segments, got ${before.length}`);

    const cutoff = clock.now() - RETENTION; // = start + 24h: hours 0..23 expire
    const horizon = await storage.log.trim(LOG, cutoff);
    assert.equal(horizon, 240);
    const after = await segmentFiles(dataDir, LOG);
    assert.ok(after.length < before.length, 'expired segments are deleted');
    assert.ok(await totalBytes(after) < bytesBefore * 0.6, 'their space is reclaimed');
    const firstKept = Number(after[0]!.slice(-24, -4));
    const secondKept = Number(after[1]!.slice(-24, -4));
    assert.ok(firstKept <= horizon && secondKept > horizon, 'only the segment holding the horizon keeps older records');

    const page = await storage.log.read(LOG, 0, { maxRecords: 5, maxBytes: 1 << 20 });
    assert.deepEqual(page.records.map((r) => r.counter), [240, 241, 242, 243, 244]);
    assert.ok(page.records.every((r) => r.arrivalMs >= cutoff));
    assert.equal(await storage.log.findByTimestamp(LOG, start), 240);
    assert.deepEqual(await storage.log.bounds(LOG), { trimHorizon: 240, nextCounter: 480, lastArrivalMs: start + 47 * HOUR });

    await storage.close();
    storage = await openAt(dataDir, capturingLogger().log, { tuning });
    assert.deepEqual(await storage.log.bounds(LOG), { trimHorizon: 240, nextCounter: 480, lastArrivalMs: start + 47 * HOUR });
    assert.equal((await storage.log.read(LOG, 0, ALL)).records[0]!.counter, 240);
    assert.equal((await storage.log.append(LOG, records(1, 'new', () => clock.now()))).firstCounter, 480);
    await storage.close();
  });

  it('lowering retention takes effect on the next trim', async (t) => {
    const dataDir = await tempDataDir(t);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const storage = await openAt(dataDir, capturingLogger().log, { tuning });
    await storage.log.createLog(LOG);
    for (let hour = 0; hour < 30; hour++) {
      await storage.log.append(LOG, records(10, `h${hour}`, () => clock.now()));
      clock.advance(HOUR);
    }
    assert.equal(await storage.log.trim(LOG, clock.now() - RETENTION), 60);
    assert.equal(await storage.log.trim(LOG, clock.now() - 10 * HOUR), 200);
    assert.equal((await storage.log.read(LOG, 0, ALL)).records.length, 100);
    await storage.close();
  });

  it('reclaims everything when every record expired, and never reuses the counters', async (t) => {
    const dataDir = await tempDataDir(t);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    let storage = await openAt(dataDir, capturingLogger().log, { tuning });
    await storage.log.createLog(LOG);
    for (let hour = 0; hour < 10; hour++) {
      await storage.log.append(LOG, records(10, `h${hour}`, () => clock.now()));
      clock.advance(HOUR);
    }
    clock.advance(RETENTION);
    assert.equal(await storage.log.trim(LOG, clock.now() - RETENTION), 100);
    assert.deepEqual(await segmentFiles(dataDir, LOG), [], 'even the active segment goes');
    assert.deepEqual(await storage.log.read(LOG, 0, ALL), { records: [], nextCounter: 100 });

    await storage.close();
    storage = await openAt(dataDir, capturingLogger().log, { tuning });
    assert.deepEqual(await storage.log.bounds(LOG), { trimHorizon: 100, nextCounter: 100, lastArrivalMs: undefined });
    assert.equal((await storage.log.append(LOG, records(3, 'later', () => clock.now()))).firstCounter, 100);
    assert.deepEqual((await storage.log.read(LOG, 0, ALL)).records.map((r) => r.counter), [100, 101, 102]);
    await storage.close();
  });

  it('trims safely while appends are in flight', async (t) => {
    const dataDir = await tempDataDir(t);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const storage = await openAt(dataDir, capturingLogger().log, { tuning });
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, records(20, 'old', () => clock.now()));
    clock.advance(RETENTION + HOUR);
    const appends = Array.from({ length: 20 }, (_, i) => storage.log.append(LOG, records(5, `new${i}`, () => clock.now())));
    const trimmed = storage.log.trim(LOG, clock.now() - RETENTION);
    await Promise.all(appends);
    assert.equal(await trimmed, 20);
    const { records: kept } = await storage.log.read(LOG, 0, ALL);
    assert.deepEqual(kept.map((r) => r.counter), Array.from({ length: 100 }, (_, i) => 20 + i));
    await storage.close();
  });
});
