/**
 * Consumers of one shard that are caught up all wake on the same append and ask for the same
 * records. SharedReads lets them share one read and one event message per shard position, and
 * the transport encodes a shared message once per protocol (wire/event-stream/respond.ts), so
 * fanning out to N consumers costs one read and one encoding instead of N.
 *
 * Subscribers that fell behind share too: an event that stopped at the read limits (not at the
 * shard's end at the time) holds what a read from its cursor gives at any later time, so a
 * subscriber that reaches that cursor later gets the same message. Subscribers behind the end all
 * step through the same cursors, so N lagging consumers also cost one read and one encoding per
 * event, instead of N (each encoding of a full event holds the event loop for milliseconds, and
 * every subscriber's HTTP/2 flow control waits behind it).
 *
 * The last sharedEventsMax events per shard are kept, and dropped when the shard has no
 * subscription left, so memory stays at a few events (each ≤ eventBytesMax of data) per
 * subscribed shard, plus the window of recent appends (RecentRecords, ≤ recentBytesMax) that
 * subscribers near the end are served from without a read from the log.
 */
import type { EventStreamMessage } from '../api/operation.js';
import type { ShardView, StreamView } from '../domain/stream.js';
import type { LogBounds } from '../storage/types.js';
import type { AppendTiming, StreamService } from '../streams/stream-service.js';
import { eventBytesMax, eventRecordsMax } from './limits.js';
import { RecentRecords, recordBytes } from './recent-records.js';
import { childShards, recordShape } from './records.js';

export const SUBSCRIBE_TO_SHARD_EVENT = 'SubscribeToShardEvent';

/** Events kept per subscribed shard: enough for consumers a few events apart to share them. */
export const sharedEventsMax = 8;

export interface ShardEvent {
  readonly message: EventStreamMessage;
  /** Where the next read starts. */
  readonly nextCursor: number;
  /** Sequence number of the last record in the event, if any. */
  readonly lastSequenceNumber: string | undefined;
  /** Data + partition key bytes, for the throughput budget. */
  readonly bytes: number;
  /** The last event of a sealed shard (ChildShards, no continuation). */
  readonly shardEnded: boolean;
  /** The append timing of its first record, for an event served from recent appends; undefined
   * when it was read from the log. */
  readonly firstTiming: AppendTiming | undefined;
}

interface Entry {
  readonly cursor: number;
  readonly end: number;
  readonly streamVersion: number;
  readonly continuation: string | undefined;
  readonly event: Promise<ShardEvent>;
  /** Set once read: the event stopped at the read limits before `end`, so it is what a read
   * from `cursor` gives whatever the shard's end is now. */
  limitBound: boolean;
}

interface Watched {
  readonly recent: RecentRecords;
  readonly stop: () => void;
}

export class SharedReads {
  /** Per shard log, the latest events, oldest first. */
  private readonly recentEvents = new Map<string, Entry[]>();
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly streams: StreamService) {}

  /** Called when a shard gets its first subscription: from now on its appends are kept in a
   * bounded window that caught-up subscribers are served from. */
  watch(shard: ShardView): void {
    if (this.watched.has(shard.logId)) return;
    const recent = new RecentRecords();
    const stop = this.streams.onAppended(shard, (records, result, timing) => recent.add(records, result, timing));
    this.watched.set(shard.logId, { recent, stop });
  }

  /**
   * The event holding the records from `cursor` (below `end`). `continuation` is what the event
   * carries when it has no records; a sealed shard read to its end carries ChildShards instead.
   */
  eventAt(stream: StreamView, shard: ShardView, cursor: number, end: number, bounds: LogBounds, continuation: string | undefined): Promise<ShardEvent> {
    let entries = this.recentEvents.get(shard.logId);
    const cached = entries?.find((entry) => entry.cursor === cursor && entry.streamVersion === stream.version
      && (entry.limitBound || (entry.end === end && entry.continuation === continuation)));
    if (cached) return cached.event;
    const event = this.read(stream, shard, cursor, end, bounds, continuation);
    const entry: Entry = { cursor, end, streamVersion: stream.version, continuation, event, limitBound: false };
    if (!entries) this.recentEvents.set(shard.logId, (entries = []));
    entries.push(entry);
    if (entries.length > sharedEventsMax) entries.shift();
    event.then(
      (read) => { entry.limitBound = read.nextCursor < end && !read.shardEnded; },
      () => {
        const current = this.recentEvents.get(shard.logId);
        const index = current?.indexOf(entry) ?? -1;
        if (index >= 0) current!.splice(index, 1);
      },
    );
    return event;
  }

  /** Called when the last subscription of a shard ends. */
  forget(shard: ShardView): void {
    this.recentEvents.delete(shard.logId);
    this.watched.get(shard.logId)?.stop();
    this.watched.delete(shard.logId);
  }

  private async read(stream: StreamView, shard: ShardView, cursor: number, end: number, bounds: LogBounds, continuation: string | undefined): Promise<ShardEvent> {
    const maxRecords = Math.min(eventRecordsMax, end - cursor);
    const recent = this.watched.get(shard.logId)?.recent.slice(cursor, end, maxRecords, eventBytesMax);
    const read = recent ? { records: recent.records, nextCounter: cursor + recent.records.length } : await this.streams.read(shard, cursor, { maxRecords, maxBytes: eventBytesMax });
    const codec = this.streams.recordCodec;
    const records = read.records.map((record) => recordShape(stream, shard, record, codec));
    const nextCursor = Math.min(read.nextCounter, end);
    const last = read.records.at(-1);
    const lastSequenceNumber = records.at(-1)?.SequenceNumber;
    const shardEnded = shard.meta.endCounter !== undefined && nextCursor >= end;
    const millisBehindLatest = nextCursor >= end || !last || bounds.lastArrivalMs === undefined ? 0 : Math.max(0, bounds.lastArrivalMs - last.arrivalMs);
    const carried = lastSequenceNumber ?? continuation;
    return {
      message: {
        kind: 'event',
        eventType: SUBSCRIBE_TO_SHARD_EVENT,
        payload: {
          Records: records,
          ...(!shardEnded && carried !== undefined ? { ContinuationSequenceNumber: carried } : {}),
          MillisBehindLatest: millisBehindLatest,
          ...(shardEnded ? { ChildShards: childShards(stream, shard) } : {}),
        },
      },
      nextCursor,
      lastSequenceNumber,
      bytes: read.records.reduce((sum, record) => sum + recordBytes(record), 0),
      shardEnded,
      firstTiming: recent?.firstTiming,
    };
  }
}
