/**
 * StreamService: the one owner of Kinesis stream state.
 *
 * - Each stream is one MetaStore document (`kinesis/stream/<name>`, see domain/stream.ts),
 *   changed only through `mutate`, which serialises changes per stream and commits them with
 *   compare-and-set. A cache of immutable StreamViews serves the hot path without I/O.
 * - Status transitions (CREATING → ACTIVE, UPDATING → ACTIVE, DELETING → gone) run on timers with
 *   the configured delays. The status is persisted first, so a restart finishes what was pending:
 *   CREATING and UPDATING streams come back ACTIVE, DELETING ones are removed.
 * - Every shard has its own RecordLog. Appends to one shard are issued synchronously in request
 *   order and the log applies them in call order, which keeps per-partition-key order.
 * - A periodic retention pass trims every log to the stream's retention period and drops closed
 *   shards whose data has expired.
 *
 * Extensions (consumers, resharding, encryption) hook in with `addExtension` and `mutate`.
 */
import { randomBytes } from 'node:crypto';
import type { HistogramChild } from '../metrics/registry.js';
import type { Clock } from '../domain/clock.js';
import { evenHashKeyRanges } from '../domain/hash-key.js';
import { kinesisLimits } from '../domain/limits.js';
import { streamArn, parseStreamArn } from '../domain/arn.js';
import { ShardView, StreamView, hashKeyRangeMeta, type ShardMeta, type StreamMeta, type StreamMode } from '../domain/stream.js';
import type { ServerConfig } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import type { AppendRecord, AppendResult, LogBounds, MetaOp, ReadLimits, ReadResult, Storage, StoredRecord } from '../storage/types.js';
import { InvalidArgumentException } from '../errors/kinesis.js';
import { shardLimitExceeded, streamAlreadyExists, streamNotFound } from './messages.js';
import { KeyedLock } from '../domain/keyed-lock.js';

export const STREAM_KEY_PREFIX = 'kinesis/stream/';

export interface StreamServiceDeps {
  readonly storage: Storage;
  readonly config: ServerConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** How often the retention pass runs; 0 disables the timer (tests call runRetentionPass). */
  readonly retentionIntervalMs?: number;
  /** Where append durations are recorded, when given. */
  readonly appendLatency?: HistogramChild;
}

export interface CreateStreamOptions {
  readonly name: string;
  readonly shardCount: number;
  readonly mode: StreamMode;
  readonly tags?: Readonly<Record<string, string>>;
  readonly maxRecordSizeKiB?: number;
  readonly warmThroughputMiBps?: number;
  readonly recordDistributionStrategy?: 'AUTO' | 'USER_PARTITION_KEY';
}

/** Hooks for subsystems that keep state per stream (consumers, channels). */
export interface StreamExtension {
  /** Runs before a stream is marked DELETING; throw an AwsError to refuse the deletion. */
  beforeDelete?(stream: StreamView, enforceConsumerDeletion: boolean): Promise<void> | void;
  /** Runs once the stream and its logs are gone. */
  afterDelete?(stream: StreamView): Promise<void> | void;
  /** Counted into DescribeStreamSummary's ConsumerCount. */
  consumerCount?(stream: StreamView): number;
  /** A non-stream resource (e.g. a consumer ARN) for Tag/Untag/ListTagsForResource. */
  taggableResource?(arn: string): TaggableResource | undefined;
  /** Runs after every change to a stream's document (status, shard map, settings). */
  streamChanged?(stream: StreamView): void;
}

export interface TaggableResource {
  tags(): Readonly<Record<string, string>>;
  addTags(tags: Readonly<Record<string, string>>): Promise<void>;
  removeTags(keys: readonly string[]): Promise<void>;
}

/** Turns client data into stored data and back (encryption at rest plugs in here). */
export interface RecordCodec {
  /** Data it gives no attributes is returned unchanged: a stored record without attributes is
   * the client's data as it came (readers skip `decode` for those). */
  encode(stream: StreamView, data: Uint8Array): { readonly data: Uint8Array; readonly attributes?: string };
  /** The client's data of a stored record, and whether it was stored encrypted. */
  decode(stream: StreamView, record: StoredRecord): { readonly data: Uint8Array; readonly encrypted: boolean };
}

export interface StreamIdentifier {
  readonly StreamName?: string | undefined;
  readonly StreamARN?: string | undefined;
}

export type StreamChange = (meta: StreamMeta) => StreamMeta;

/** Records of one acknowledged append (as passed to `append`) and what the log assigned them. */
/** When an append was handed to storage and when storage acknowledged it (performance.now()). */
export interface AppendTiming {
  readonly startedAt: number;
  readonly acknowledgedAt: number;
}

/** Records of one acknowledged append (as passed to `append`), what the log assigned them, and its timing. */
export type AppendedListener = (records: readonly AppendRecord[], result: AppendResult, timing: AppendTiming) => void;

export class StreamService {
  readonly accountId: string;
  readonly region: string;
  private readonly streams = new Map<string, StreamView>();
  /** Streams being created right now, with their shard counts (they count against the limit). */
  private readonly creating = new Map<string, number>();
  private readonly locks = new KeyedLock();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly extensions: StreamExtension[] = [];
  private readonly appendedListeners = new Map<string, Set<AppendedListener>>();
  private codec: RecordCodec | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private retentionRunning: Promise<void> | undefined;
  private closed = false;

  private constructor(private readonly deps: StreamServiceDeps) {
    this.accountId = deps.config.accountId;
    this.region = deps.config.region;
  }

  /** Loads every stream, finishes transitions interrupted by a stop or crash, and starts the
   * retention timer. */
  static async open(deps: StreamServiceDeps): Promise<StreamService> {
    const service = new StreamService(deps);
    await service.load();
    const interval = deps.retentionIntervalMs ?? 60_000;
    if (interval > 0) {
      service.retentionTimer = setInterval(() => { void service.runRetentionPass(); }, interval);
      service.retentionTimer.unref();
    }
    return service;
  }

  private get log(): Logger { return this.deps.log; }
  private get storage(): Storage { return this.deps.storage; }

  private async load(): Promise<void> {
    const entries = await this.storage.meta.list<StreamMeta>(STREAM_KEY_PREFIX);
    for (const entry of entries) this.cache(entry.value, entry.version);
    for (const stream of [...this.streams.values()]) {
      if (stream.status === 'CREATING' || stream.status === 'UPDATING') {
        await this.mutate(stream.name, (meta) => ({ ...meta, status: 'ACTIVE', statusChangedAtMs: this.deps.clock.now() }));
      } else if (stream.status === 'DELETING') {
        await this.finishDelete(stream.name);
      }
    }
  }

  addExtension(extension: StreamExtension): void {
    this.extensions.push(extension);
  }

  /** Installs the codec every write and read goes through (one at a time). */
  setRecordCodec(codec: RecordCodec | undefined): void {
    this.codec = codec;
  }

  get recordCodec(): RecordCodec | undefined {
    return this.codec;
  }

  arnOf(name: string): string {
    return streamArn(this.region, this.accountId, name);
  }

  get(name: string): StreamView | undefined {
    return this.streams.get(name);
  }

  /** Every stream, ordered by name. */
  list(): StreamView[] {
    return [...this.streams.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The stream named by StreamName and/or StreamARN (at least one; they must agree), in any
   * state. */
  resolve(input: StreamIdentifier): StreamView {
    const name = this.resolveName(input);
    const stream = this.streams.get(name);
    if (!stream) throw streamNotFound(name, this.accountId);
    return stream;
  }

  /** The stream for data-plane calls: only ACTIVE and UPDATING streams take reads and writes;
   * AWS answers as if the stream did not exist otherwise. */
  resolveForIo(input: StreamIdentifier): StreamView {
    const stream = this.resolve(input);
    if (stream.status !== 'ACTIVE' && stream.status !== 'UPDATING') throw streamNotFound(stream.name, this.accountId);
    return stream;
  }

  resolveName(input: StreamIdentifier): string {
    const { StreamName: name, StreamARN: arn } = input;
    if (arn === undefined) {
      if (name === undefined) throw new InvalidArgumentException('Either StreamName or StreamARN should be provided.');
      return name;
    }
    const parsed = parseStreamArn(arn);
    if (!parsed) throw new InvalidArgumentException(`StreamARN ${arn} is invalid.`);
    if (parsed.accountId !== this.accountId || parsed.region !== this.region) {
      throw streamNotFound(parsed.streamName, parsed.accountId);
    }
    if (name !== undefined && name !== parsed.streamName) {
      throw new InvalidArgumentException(`StreamARN ${arn} and StreamName ${name} do not refer to the same stream.`);
    }
    return parsed.streamName;
  }

  /** Open shards of every stream that is not being deleted, as counted against the shard limit. */
  openShardCount(): number {
    let count = 0;
    for (const shards of this.creating.values()) count += shards;
    for (const stream of this.streams.values()) if (stream.status !== 'DELETING') count += stream.openShards.length;
    return count;
  }

  get onDemandStreamCountLimit(): number {
    return this.deps.config.onDemandStreamCountLimit;
  }

  onDemandStreamCount(): number {
    let count = 0;
    for (const stream of this.streams.values()) if (stream.meta.mode === 'ON_DEMAND') count += 1;
    return count;
  }

  /** The resource an extension knows by this ARN, if any. */
  taggableResource(arn: string): TaggableResource | undefined {
    for (const extension of this.extensions) {
      const resource = extension.taggableResource?.(arn);
      if (resource) return resource;
    }
    return undefined;
  }

  consumerCount(stream: StreamView): number {
    let count = 0;
    for (const extension of this.extensions) count += extension.consumerCount?.(stream) ?? 0;
    return count;
  }

  /** Throws LimitExceededException when `additional` more open shards would pass the limit. */
  checkShardLimit(additional: number): void {
    const current = this.openShardCount();
    const limit = this.deps.config.shardLimit;
    if (current + additional > limit) throw shardLimitExceeded(this.accountId, this.region, current, limit, additional);
  }

  async create(options: CreateStreamOptions): Promise<StreamView> {
    const { name } = options;
    if (this.streams.has(name) || this.creating.has(name)) throw streamAlreadyExists(name, this.accountId);
    this.checkShardLimit(options.shardCount);
    this.creating.set(name, options.shardCount);
    try {
      const now = this.deps.clock.now();
      const uid = randomBytes(8).toString('hex');
      const shards: ShardMeta[] = evenHashKeyRanges(options.shardCount).map((range, index) => ({
        index,
        ...hashKeyRangeMeta(range),
        createdAtMs: now,
        logId: shardLogId(uid, index),
      }));
      for (const shard of shards) await this.storage.log.createLog(shard.logId);
      const delayMs = this.deps.config.createStreamMs;
      const meta: StreamMeta = {
        name,
        uid,
        createdAtMs: now,
        status: delayMs > 0 ? 'CREATING' : 'ACTIVE',
        statusChangedAtMs: now,
        mode: options.mode,
        retentionHours: kinesisLimits.retentionHoursDefault,
        maxRecordSizeKiB: options.maxRecordSizeKiB ?? kinesisLimits.maxRecordSizeKiBDefault,
        encryptionType: 'NONE',
        shardLevelMetrics: [],
        ...(options.warmThroughputMiBps !== undefined ? { warmThroughputMiBps: options.warmThroughputMiBps } : {}),
        ...(options.recordDistributionStrategy !== undefined ? { recordDistributionStrategy: options.recordDistributionStrategy } : {}),
        tags: { ...options.tags },
        shards,
        nextShardIndex: shards.length,
      };
      await this.storage.meta.commit([{ op: 'put', key: streamKey(name), value: meta, expectVersion: 0 }]);
      const view = this.cache(meta, 1);
      this.log.info('stream created', { stream: name, shards: shards.length, mode: options.mode });
      if (delayMs > 0) this.later(delayMs, () => this.activate(name, uid));
      return view;
    } finally {
      this.creating.delete(name);
    }
  }

  /** Marks the stream DELETING and removes it after the configured delay. */
  async delete(name: string, enforceConsumerDeletion: boolean): Promise<void> {
    const stream = this.streams.get(name);
    if (!stream) throw streamNotFound(name, this.accountId);
    for (const extension of this.extensions) await extension.beforeDelete?.(stream, enforceConsumerDeletion);
    const delayMs = this.deps.config.deleteStreamMs;
    if (stream.status !== 'DELETING') {
      await this.mutate(name, (meta) => ({ ...meta, status: 'DELETING', statusChangedAtMs: this.deps.clock.now() }));
    }
    if (delayMs > 0) this.later(delayMs, () => this.finishDelete(name, stream.meta.uid));
    else await this.finishDelete(name, stream.meta.uid);
  }

  /**
   * Applies `change` to the stream's document under the per-stream lock and commits it with
   * compare-and-set. `change` gets the current document and returns the next one (or throws an
   * AwsError to refuse). Returns the new view.
   */
  mutate(name: string, change: StreamChange, extraOps: readonly MetaOp[] = []): Promise<StreamView> {
    return this.locks.run(name, async () => {
      const current = this.streams.get(name);
      if (!current) throw streamNotFound(name, this.accountId);
      const next = change(current.meta);
      if (next === current.meta) return current;
      await this.storage.meta.commit([{ op: 'put', key: streamKey(name), value: next, expectVersion: current.version }, ...extraOps]);
      return this.cache(next, current.version + 1);
    });
  }

  /**
   * A change that AWS performs asynchronously: the stream shows UPDATING for updateStreamMs and
   * becomes ACTIVE afterwards. `change` is applied at once (so a crash never loses it); only the
   * status lags. Requires the stream to be ACTIVE.
   */
  async mutateWithUpdate(name: string, change: StreamChange): Promise<StreamView> {
    const delayMs = this.deps.config.updateStreamMs;
    const view = await this.mutate(name, (meta) => {
      const next = change(meta);
      return delayMs > 0 ? { ...next, status: 'UPDATING', statusChangedAtMs: this.deps.clock.now() } : next;
    });
    if (delayMs > 0) this.later(delayMs, () => this.activate(name, view.meta.uid));
    return view;
  }

  /** Allocates the next shard indexes and creates their logs; the caller adds the shards to the
   * document with `mutate` (resharding). */
  async newShardMetas(stream: StreamView, ranges: readonly { start: bigint; end: bigint; parentIndex?: number; adjacentParentIndex?: number }[], firstIndex: number): Promise<ShardMeta[]> {
    const now = this.deps.clock.now();
    const shards = ranges.map((range, i): ShardMeta => ({
      index: firstIndex + i,
      ...(range.parentIndex !== undefined ? { parentIndex: range.parentIndex } : {}),
      ...(range.adjacentParentIndex !== undefined ? { adjacentParentIndex: range.adjacentParentIndex } : {}),
      ...hashKeyRangeMeta(range),
      createdAtMs: now,
      logId: shardLogId(stream.meta.uid, firstIndex + i),
    }));
    for (const shard of shards) await this.storage.log.createLog(shard.logId);
    return shards;
  }

  /** Appends to one shard. Call it synchronously in request order (no await before it) so
   * concurrent writers keep their order. */
  append(shard: ShardView, records: readonly AppendRecord[]): Promise<AppendResult> {
    const startedAt = performance.now();
    const appended = this.storage.log.append(shard.logId, records);
    const listeners = this.appendedListeners.get(shard.logId);
    const latency = this.deps.appendLatency;
    if (listeners || latency) {
      appended.then((result) => {
        const acknowledgedAt = performance.now();
        latency?.observe((acknowledgedAt - startedAt) / 1000);
        if (listeners) this.tellAppended(listeners, records, result, { startedAt, acknowledgedAt });
      }, () => undefined);
    }
    return appended;
  }

  /** Listener for the records of each acknowledged append to a shard, with the counters and
   * arrival times the log gave them, called before the appender resumes. Push delivery serves
   * caught-up subscribers from these instead of reading back what was just written. Returns an
   * unsubscribe function. */
  onAppended(shard: ShardView, listener: AppendedListener): () => void {
    let listeners = this.appendedListeners.get(shard.logId);
    if (!listeners) {
      listeners = new Set();
      this.appendedListeners.set(shard.logId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.appendedListeners.get(shard.logId) === listeners) this.appendedListeners.delete(shard.logId);
    };
  }

  private tellAppended(listeners: ReadonlySet<AppendedListener>, records: readonly AppendRecord[], result: AppendResult, timing: AppendTiming): void {
    for (const listener of listeners) {
      try {
        listener(records, result, timing);
      } catch (err) {
        this.log.error('onAppended listener failed', { error: String(err) });
      }
    }
  }

  read(shard: ShardView, fromCounter: number, limits: ReadLimits): Promise<ReadResult> {
    return this.storage.log.read(shard.logId, fromCounter, limits);
  }

  bounds(shard: ShardView): Promise<LogBounds> {
    return this.storage.log.bounds(shard.logId);
  }

  /** Counter of the first record that arrived at or after `timestampMs` (the tip when none). */
  findByTimestamp(shard: ShardView, timestampMs: number): Promise<number> {
    return this.storage.log.findByTimestamp(shard.logId, timestampMs);
  }

  /** Counter just past the newest record: where LATEST starts. A closed shard ends at its end. */
  async tipCounter(shard: ShardView): Promise<number> {
    if (shard.meta.endCounter !== undefined) return shard.meta.endCounter;
    return (await this.storage.log.bounds(shard.logId)).nextCounter;
  }

  /** Listener for new records on a shard (for push delivery). Returns an unsubscribe function. */
  onAppend(shard: ShardView, listener: (nextCounter: number) => void): () => void {
    return this.storage.log.onAppend(shard.logId, listener);
  }

  /** One retention pass: trims every shard's log to its stream's retention period and drops
   * closed shards whose records have all expired. Concurrent calls share one pass. */
  runRetentionPass(): Promise<void> {
    if (!this.retentionRunning) {
      this.retentionRunning = this.retentionPass().finally(() => { this.retentionRunning = undefined; });
    }
    return this.retentionRunning;
  }

  /** Retention for one stream (also run right after DecreaseStreamRetentionPeriod). */
  async applyRetention(name: string): Promise<void> {
    const stream = this.streams.get(name);
    if (!stream || stream.status === 'DELETING') return;
    const cutoffMs = this.deps.clock.now() - stream.meta.retentionHours * 3_600_000;
    const expired: number[] = [];
    for (const shard of stream.shards) {
      try {
        await this.storage.log.trim(shard.logId, cutoffMs);
      } catch (err) {
        this.log.warn('retention trim failed', { stream: name, shard: shard.id, error: String(err) });
        continue;
      }
      if (!shard.open && shard.meta.closedAtMs! < cutoffMs) expired.push(shard.index);
    }
    if (expired.length === 0) return;
    const removed = new Set(expired);
    await this.mutate(name, (meta) => ({ ...meta, shards: meta.shards.filter((shard) => !removed.has(shard.index)) }));
    for (const index of expired) {
      const shard = stream.shard(index)!;
      await this.storage.log.deleteLog(shard.logId).catch((err) => this.log.warn('deleting expired shard log failed', { shard: shard.id, error: String(err) }));
    }
    this.log.info('expired closed shards removed', { stream: name, shards: expired.length });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.retentionRunning;
    await this.locks.idle();
  }

  private async retentionPass(): Promise<void> {
    for (const stream of this.list()) {
      if (this.closed) return;
      try {
        await this.applyRetention(stream.name);
      } catch (err) {
        this.log.warn('retention pass failed', { stream: stream.name, error: String(err) });
      }
    }
  }

  private cache(meta: StreamMeta, version: number): StreamView {
    const view = new StreamView(meta, version, this.arnOf(meta.name));
    this.streams.set(meta.name, view);
    for (const extension of this.extensions) extension.streamChanged?.(view);
    return view;
  }

  private async activate(name: string, uid: string): Promise<void> {
    const stream = this.streams.get(name);
    if (!stream || stream.meta.uid !== uid) return;
    if (stream.status !== 'CREATING' && stream.status !== 'UPDATING') return;
    await this.mutate(name, (meta) => (meta.status === 'CREATING' || meta.status === 'UPDATING')
      ? { ...meta, status: 'ACTIVE', statusChangedAtMs: this.deps.clock.now() }
      : meta);
  }

  private async finishDelete(name: string, uid?: string): Promise<void> {
    await this.locks.run(name, async () => {
      const stream = this.streams.get(name);
      if (!stream || (uid !== undefined && stream.meta.uid !== uid)) return;
      await this.storage.meta.commit([{ op: 'delete', key: streamKey(name), expectVersion: stream.version }]);
      this.streams.delete(name);
      for (const shard of stream.shards) {
        await this.storage.log.deleteLog(shard.logId).catch((err) => this.log.warn('deleting shard log failed', { shard: shard.id, error: String(err) }));
      }
      for (const extension of this.extensions) {
        try {
          await extension.afterDelete?.(stream);
        } catch (err) {
          this.log.warn('stream extension afterDelete failed', { stream: name, error: String(err) });
        }
      }
      this.log.info('stream deleted', { stream: name });
    });
  }

  private later(delayMs: number, task: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      task().catch((err) => this.log.error('stream state transition failed', { error: String(err) }));
    }, delayMs);
    this.timers.add(timer);
  }
}

function streamKey(name: string): string {
  return STREAM_KEY_PREFIX + name;
}

function shardLogId(uid: string, index: number): string {
  return `kinesis/${uid}/${index}`;
}

export { ShardView, StreamView };
