/** SharedReads: which subscribers of one shard get the same event (one read, one encoding). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ShardView, StreamView } from '../../../src/domain/stream.js';
import { eventBytesMax } from '../../../src/fanout/limits.js';
import { SharedReads } from '../../../src/fanout/shared-reads.js';
import type { ReadLimits, StoredRecord } from '../../../src/storage/types.js';
import type { StreamService } from '../../../src/streams/stream-service.js';

/** Each record is half an event's byte limit, so a read from anywhere holds at most two. */
const RECORD_BYTES = eventBytesMax / 2 - 1;

/** A shard log of `count` records and the number of reads it served; no recent-appends window
 * (nothing is appended while watched), so every event is a read. */
function shardLog(count: number) {
  const records: StoredRecord[] = Array.from({ length: count }, (_, counter) => ({ counter, partitionKey: 'k', data: Buffer.alloc(RECORD_BYTES, counter), arrivalMs: 1_000 + counter }));
  const log = { reads: 0 };
  const streams = {
    recordCodec: undefined,
    onAppended: () => () => undefined,
    read: async (_shard: ShardView, from: number, limits: ReadLimits) => {
      log.reads += 1;
      const taken: StoredRecord[] = [];
      let bytes = 0;
      for (const record of records.slice(from, from + limits.maxRecords)) {
        const size = record.data.byteLength + 1;
        if (taken.length > 0 && bytes + size > limits.maxBytes) break;
        taken.push(record);
        bytes += size;
      }
      return { records: taken, nextCounter: from + taken.length };
    },
  } as unknown as StreamService;
  return { streams, log };
}

const stream = { version: 1, childrenOf: () => [] } as unknown as StreamView;
const shard = { logId: 'log-0', sequenceBase: 0n, meta: { endCounter: undefined } } as unknown as ShardView;
const bounds = (end: number) => ({ trimHorizon: 0, nextCounter: end, lastArrivalMs: 1_000 + end - 1 });

describe('shared events', () => {
  it('gives a subscriber behind the end the event another one got at the same cursor, though the end moved on', async () => {
    const { streams, log } = shardLog(8);
    const reads = new SharedReads(streams);
    reads.watch(shard);
    const first = await reads.eventAt(stream, shard, 0, 6, bounds(6), undefined);
    assert.equal(first.nextCursor, 2, 'the read stopped at the byte limit');
    const later = await reads.eventAt(stream, shard, 0, 8, bounds(8), undefined);
    assert.equal(later, first);
    assert.equal(log.reads, 1);
    const next = await reads.eventAt(stream, shard, 2, 8, bounds(8), undefined);
    assert.equal(next.nextCursor, 4);
    assert.equal(log.reads, 2);
  });

  it('reads again for a later end when the event stopped at the end it was read up to', async () => {
    const { streams, log } = shardLog(8);
    const reads = new SharedReads(streams);
    reads.watch(shard);
    const atTheEnd = await reads.eventAt(stream, shard, 0, 1, bounds(1), undefined);
    assert.equal(atTheEnd.nextCursor, 1);
    const later = await reads.eventAt(stream, shard, 0, 8, bounds(8), undefined);
    assert.notEqual(later, atTheEnd);
    assert.equal(later.nextCursor, 2, 'the records written since are in the new event');
    assert.equal(log.reads, 2);
  });
});
