/**
 * KinesisStreamAsSource: a delivery stream reading a Runnel Kinesis stream in process.
 *
 * - It starts at LATEST as of the delivery stream's creation: the first start records every open
 *   shard's tip as its checkpoint.
 * - Each shard is read from its checkpoint; a record's ApproximateArrivalTimestamp is its arrival
 *   time for prefixes and buffering.
 * - Resharding is followed: a closed shard is read to its end; a child shard is read from its
 *   beginning once every parent has been read to the end.
 * - The checkpoint document (`firehose/checkpoints/<uid>`) holds the delivered-up-to counter per
 *   shard and is written after each delivered batch, so a restart resumes where delivery stopped.
 * Records stay in the Kinesis stream (its retention applies); nothing is trimmed here.
 */
import { InvalidArgumentException } from '../errors/firehose.js';
import { parseStreamArn } from '../domain/arn.js';
import type { ShardView, StreamView } from '../domain/stream.js';
import type { MetaStore } from '../storage/types.js';
import type { StreamService } from '../streams/stream-service.js';
import type { KinesisSourceFactory, StoredDeliveryStream } from './service.js';
import type { RecordSource, SourceRecord } from './source.js';

interface ShardCheckpoints {
  /** Shard index → counter up to which records are delivered. */
  readonly shards: Readonly<Record<string, number>>;
}

const READ_MAX_RECORDS = 10_000;
const READ_MAX_BYTES = 16 * 1024 * 1024;

/** Exported for Kinesis stream channels (src/channels/), which read a stream the same way. */
export class KinesisStreamSource implements RecordSource {
  /** Shard index → next counter to read. */
  private readonly cursors = new Map<number, number>();
  /** Shard index → counter up to which records are delivered. */
  private readonly delivered = new Map<number, number>();
  private readonly subscriptions = new Map<number, () => void>();
  private onAvailable: () => void = () => undefined;
  private stopped = false;

  constructor(
    private readonly streams: StreamService,
    private readonly meta: MetaStore,
    private readonly streamName: string,
    private readonly checkpointKey: string,
    private readonly unregister: () => void,
  ) {}

  private stream(): StreamView | undefined {
    return this.streams.get(this.streamName);
  }

  async start(onAvailable: () => void): Promise<void> {
    this.onAvailable = onAvailable;
    const saved = await this.meta.get<ShardCheckpoints>(this.checkpointKey);
    const stream = this.stream();
    if (saved) {
      for (const [index, counter] of Object.entries(saved.value.shards)) {
        this.cursors.set(Number(index), counter);
        this.delivered.set(Number(index), counter);
      }
    } else if (stream) {
      for (const shard of stream.openShards) {
        const tip = await this.streams.tipCounter(shard);
        this.cursors.set(shard.index, tip);
        this.delivered.set(shard.index, tip);
      }
      await this.save();
    }
    this.refreshShards();
    onAvailable();
  }

  /** Subscribes to the shards being read and adds children whose parents are delivered to the
   * end. Returns whether shards were added. */
  refreshShards(): boolean {
    const stream = this.stream();
    if (!stream || this.stopped) return false;
    let added = false;
    for (const shard of stream.shards) {
      if (!this.cursors.has(shard.index) && this.parentsFinished(stream, shard)) {
        this.cursors.set(shard.index, 0);
        this.delivered.set(shard.index, 0);
        added = true;
      }
      if (this.cursors.has(shard.index) && !this.subscriptions.has(shard.index)) {
        this.subscriptions.set(shard.index, this.streams.onAppend(shard, () => this.onAvailable()));
      }
    }
    return added;
  }

  private parentsFinished(stream: StreamView, shard: ShardView): boolean {
    const parents = [shard.meta.parentIndex, shard.meta.adjacentParentIndex].filter((index): index is number => index !== undefined);
    if (parents.length === 0) return false;
    return parents.every((index) => {
      const end = stream.shard(index)?.meta.endCounter;
      return end !== undefined && (this.delivered.get(index) ?? -1) >= end;
    });
  }

  async readNew(): Promise<SourceRecord[]> {
    const stream = this.stream();
    if (!stream) return [];
    const out: SourceRecord[] = [];
    const codec = this.streams.recordCodec;
    do {
      for (const [index, cursor] of this.cursors) {
        const shard = stream.shard(index);
        if (!shard) continue;
        const result = await this.streams.read(shard, cursor, { maxRecords: READ_MAX_RECORDS, maxBytes: READ_MAX_BYTES });
        this.cursors.set(index, result.nextCounter);
        if (result.records.length === 0 && this.delivered.get(index) === cursor) {
          // Nothing of this shard waits for delivery: skip past records the stream trimmed.
          this.delivered.set(index, result.nextCounter);
        }
        for (const record of result.records) {
          out.push({ logId: String(index), counter: record.counter, arrivalMs: record.arrivalMs, data: codec ? codec.decode(stream, record).data : record.data });
        }
      }
    } while (out.length === 0 && this.refreshShards());
    return out;
  }

  async commit(delivered: readonly SourceRecord[]): Promise<void> {
    for (const record of delivered) {
      const index = Number(record.logId);
      this.delivered.set(index, Math.max(this.delivered.get(index) ?? 0, record.counter + 1));
    }
    await this.save();
    if (this.refreshShards()) this.onAvailable();
  }

  private async save(): Promise<void> {
    await this.meta.commit([{ op: 'put', key: this.checkpointKey, value: { shards: Object.fromEntries(this.delivered) } satisfies ShardCheckpoints }]);
  }

  stop(): void {
    this.stopped = true;
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    this.unregister();
  }
}

/** KinesisStreamAsSource support on top of the Runnel Kinesis engine. */
export function kinesisSourceFactory(streams: StreamService, meta: MetaStore): KinesisSourceFactory {
  const active = new Set<KinesisStreamSource>();
  streams.addExtension({
    streamChanged: () => {
      for (const source of active) source.refreshShards();
    },
  });
  return {
    async check(streamArn: string): Promise<void> {
      const parsed = parseStreamArn(streamArn);
      const stream = parsed && parsed.accountId === streams.accountId && parsed.region === streams.region ? streams.get(parsed.streamName) : undefined;
      if (!stream) throw new InvalidArgumentException(`Stream ${parsed?.streamName ?? streamArn} under account ${streams.accountId} not found.`);
      if (stream.status !== 'ACTIVE' && stream.status !== 'UPDATING') {
        throw new InvalidArgumentException(`Stream ${stream.name} under account ${streams.accountId} is not ACTIVE.`);
      }
    },
    create(stored: StoredDeliveryStream, checkpointPrefix: string): RecordSource {
      const streamName = parseStreamArn(stored.kinesisSource!.KinesisStreamARN)?.streamName ?? '';
      const source: KinesisStreamSource = new KinesisStreamSource(streams, meta, streamName, checkpointPrefix, () => active.delete(source));
      active.add(source);
      return source;
    },
  };
}
