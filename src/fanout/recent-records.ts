/**
 * The records of the latest acknowledged appends to one shard that has subscribers, kept so that
 * caught-up subscribers get what was just appended without reading it back from the log: on the
 * push path that read was a trip through the thread pool and one more event-loop turn per append.
 *
 * The window is contiguous by counter and bounded (recentBytesMax, eventRecordsMax). A subscriber
 * that is further behind, or an append the window has not seen (it started watching later), is
 * read from the log as before. Record data is held as the appender passed it (no copy); the
 * window's bound also bounds what those buffers keep alive.
 */
import type { AppendRecord, AppendResult, StoredRecord } from '../storage/types.js';
import type { AppendTiming } from '../streams/stream-service.js';
import { eventRecordsMax } from './limits.js';

/** Per subscribed shard. More than one full event (eventBytesMax) plus a large PutRecords batch,
 * so that subscribers an event or two behind the end, or at the start of a batch larger than
 * the window used to be, are not sent back to the log. */
export const recentBytesMax = 4 * 1024 * 1024;

export class RecentRecords {
  private records: StoredRecord[] = [];
  /** Each record's append timing, parallel to `records`. */
  private timings: AppendTiming[] = [];
  /** Counter of records[0]. */
  private first = 0;
  private bytes = 0;

  /** Adds an acknowledged append; one that does not follow the window replaces it. */
  add(appended: readonly AppendRecord[], result: AppendResult, timing: AppendTiming): void {
    if (appended.length === 0) return;
    if (result.firstCounter !== this.first + this.records.length) this.clear(result.firstCounter);
    for (let i = 0; i < appended.length; i++) {
      const record = appended[i]!;
      const counter = result.firstCounter + i;
      const arrivalMs = result.arrivalMs[i]!;
      this.records.push(record.attributes !== undefined
        ? { counter, partitionKey: record.partitionKey, data: record.data, arrivalMs, attributes: record.attributes }
        : { counter, partitionKey: record.partitionKey, data: record.data, arrivalMs });
      this.timings.push(timing);
      this.bytes += recordBytes(record);
    }
    let drop = 0;
    let bytes = this.bytes;
    while (drop < this.records.length && (bytes > recentBytesMax || this.records.length - drop > eventRecordsMax)) {
      bytes -= recordBytes(this.records[drop]!);
      drop++;
    }
    if (drop > 0) {
      this.records = this.records.slice(drop);
      this.timings = this.timings.slice(drop);
      this.first += drop;
      this.bytes = bytes;
    }
  }

  /**
   * The records from `cursor` up to `end` within the limits, exactly as a log read with those
   * limits would return them (at least one record, then stop before exceeding `maxBytes`), or
   * undefined when the window does not hold `cursor`. May stop early at the window's end.
   */
  slice(cursor: number, end: number, maxRecords: number, maxBytes: number): { records: StoredRecord[]; firstTiming: AppendTiming } | undefined {
    const from = cursor - this.first;
    if (from < 0 || from >= this.records.length || cursor >= end) return undefined;
    const stop = Math.min(this.records.length, end - this.first, from + maxRecords);
    let bytes = 0;
    let to = from;
    for (; to < stop; to++) {
      const size = recordBytes(this.records[to]!);
      if (to > from && bytes + size > maxBytes) break;
      bytes += size;
    }
    return { records: this.records.slice(from, to), firstTiming: this.timings[from]! };
  }

  clear(nextCounter = 0): void {
    this.records = [];
    this.timings = [];
    this.first = nextCounter;
    this.bytes = 0;
  }
}

/** Data and partition key bytes: what read and event limits count. */
export function recordBytes(record: { readonly data: Uint8Array; readonly partitionKey: string }): number {
  return record.data.byteLength + Buffer.byteLength(record.partitionKey);
}
