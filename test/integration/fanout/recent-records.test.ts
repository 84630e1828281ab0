/** The window of recent appends that caught-up subscribers are served from (src/fanout/recent-records.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecentRecords, recentBytesMax } from '../../../src/fanout/recent-records.js';
import type { AppendRecord } from '../../../src/storage/types.js';

function records(count: number, dataBytes = 10, key = 'k'): AppendRecord[] {
  return Array.from({ length: count }, (_, i) => ({ partitionKey: key, data: Buffer.alloc(dataBytes, i), arrivalMs: 1_000 + i }));
}

/** Timed from the first counter, so each append's timing is known. */
function added(window: RecentRecords, appended: AppendRecord[], firstCounter: number): void {
  window.add(appended, { firstCounter, arrivalMs: appended.map((record) => record.arrivalMs + 5) }, timing(firstCounter));
}
const timing = (firstCounter: number) => ({ startedAt: 400 + firstCounter, acknowledgedAt: 500 + firstCounter });

describe('RecentRecords', () => {
  it('returns contiguous appends with the counters and arrival times the log assigned', () => {
    const window = new RecentRecords();
    added(window, records(2), 7);
    added(window, records(3), 9);
    const slice = window.slice(8, 12, 100, 1_000_000)!.records;
    assert.deepEqual(slice.map((record) => record.counter), [8, 9, 10, 11]);
    assert.deepEqual(slice.map((record) => record.arrivalMs), [1_006, 1_005, 1_006, 1_007]);
    assert.deepEqual([...slice[1]!.data], [...Buffer.alloc(10, 0)]);
  });

  it('stops at the end counter, the record limit and before exceeding the byte limit, but returns at least one record', () => {
    const window = new RecentRecords();
    added(window, records(10, 99), 0);
    assert.equal(window.slice(0, 4, 100, 1_000_000)!.records.length, 4);
    assert.equal(window.slice(0, 10, 3, 1_000_000)!.records.length, 3);
    assert.equal(window.slice(0, 10, 100, 250)!.records.length, 2, '100 bytes per record (data + key)');
    assert.equal(window.slice(0, 10, 100, 50)!.records.length, 1);
  });

  it('holds nothing it was not given: cursors before the window, at or past its end, and at the end counter', () => {
    const window = new RecentRecords();
    assert.equal(window.slice(0, 5, 100, 1_000), undefined);
    added(window, records(3), 5);
    assert.equal(window.slice(4, 8, 100, 1_000), undefined);
    assert.equal(window.slice(8, 9, 100, 1_000), undefined);
    assert.equal(window.slice(6, 6, 100, 1_000), undefined);
    assert.equal(window.slice(7, 20, 100, 1_000)!.records.length, 1, 'ends at the window even when the end counter is further');
  });

  it('starts over when an append does not follow the window', () => {
    const window = new RecentRecords();
    added(window, records(3), 0);
    added(window, records(2), 10);
    assert.equal(window.slice(2, 12, 100, 1_000), undefined);
    assert.deepEqual(window.slice(10, 12, 100, 1_000)!.records.map((record) => record.counter), [10, 11]);
  });

  it('keeps only the newest records within its byte bound', () => {
    const window = new RecentRecords();
    const dataBytes = 1_023;
    const count = Math.ceil((2 * recentBytesMax) / (dataBytes + 1));
    added(window, records(count, dataBytes), 0);
    const kept = Math.floor(recentBytesMax / (dataBytes + 1));
    assert.equal(window.slice(count - kept - 1, count, count, Infinity), undefined);
    assert.equal(window.slice(count - kept, count, count, Infinity)!.records.length, kept);
  });

  it('gives the append timing of the first record of a slice', () => {
    const window = new RecentRecords();
    added(window, records(2), 7);
    added(window, records(3), 9);
    assert.deepEqual(window.slice(7, 12, 100, 1_000_000)!.firstTiming, timing(7));
    assert.deepEqual(window.slice(8, 12, 100, 1_000_000)!.firstTiming, timing(7), 'the second record of the first append');
    assert.deepEqual(window.slice(9, 12, 100, 1_000_000)!.firstTiming, timing(9));
  });

  it('keeps each kept record\'s timing when older appends are dropped', () => {
    const window = new RecentRecords();
    const dataBytes = 1_023;
    const perAppend = Math.floor(recentBytesMax / (dataBytes + 1));
    added(window, records(perAppend, dataBytes), 0);
    added(window, records(perAppend, dataBytes), perAppend);
    assert.equal(window.slice(0, 2 * perAppend, 1, Infinity), undefined, 'the first append was dropped');
    assert.deepEqual(window.slice(perAppend, 2 * perAppend, 1, Infinity)!.firstTiming, timing(perAppend));
  });

  it('carries record attributes (encryption at rest) through', () => {
    const window = new RecentRecords();
    window.add([{ partitionKey: 'k', data: Buffer.from('x'), arrivalMs: 1, attributes: 'key-1' }], { firstCounter: 0, arrivalMs: [1] }, timing(0));
    assert.equal(window.slice(0, 1, 1, 1)!.records[0]!.attributes, 'key-1');
  });
});
