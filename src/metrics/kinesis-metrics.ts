/**
 * The Kinesis Data Streams CloudWatch metrics, kept as Prometheus counters and gauges.
 *
 * Stream-level series are always kept (AWS always publishes basic stream metrics). Shard-level
 * series exist only for the metrics enabled by EnableEnhancedMonitoring on that stream, as on AWS.
 * Names: `runnel_kinesis_stream_<metric>` with label `stream`, and `runnel_kinesis_shard_<metric>`
 * with labels `stream` and `shard`; the HELP line names the CloudWatch metric.
 *
 * Operations call the record* methods on the hot path: a map lookup and a few additions.
 */
import { MetricRegistry, type MetricChild, type MetricFamily } from './registry.js';

export const SHARD_LEVEL_METRICS = [
  'IncomingBytes',
  'IncomingRecords',
  'OutgoingBytes',
  'OutgoingRecords',
  'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded',
  'IteratorAgeMilliseconds',
] as const;

export type ShardLevelMetric = (typeof SHARD_LEVEL_METRICS)[number];

const METRIC_INDEX: Readonly<Record<ShardLevelMetric, number>> = {
  IncomingBytes: 0,
  IncomingRecords: 1,
  OutgoingBytes: 2,
  OutgoingRecords: 3,
  WriteProvisionedThroughputExceeded: 4,
  ReadProvisionedThroughputExceeded: 5,
  IteratorAgeMilliseconds: 6,
};

const PROMETHEUS_SUFFIX: readonly string[] = [
  'incoming_bytes_total',
  'incoming_records_total',
  'outgoing_bytes_total',
  'outgoing_records_total',
  'write_provisioned_throughput_exceeded_total',
  'read_provisioned_throughput_exceeded_total',
  'iterator_age_milliseconds',
];

const HELP: readonly string[] = [
  'IncomingBytes: bytes (data + partition key) successfully put',
  'IncomingRecords: records successfully put',
  'OutgoingBytes: bytes returned by GetRecords',
  'OutgoingRecords: records returned by GetRecords',
  'WriteProvisionedThroughputExceeded: records rejected by write throttling',
  'ReadProvisionedThroughputExceeded: GetRecords calls rejected by read throttling',
  'IteratorAgeMilliseconds: age of the last record returned by GetRecords (stream: maximum over shards)',
];

const ITERATOR_AGE = METRIC_INDEX.IteratorAgeMilliseconds;

interface ShardState {
  /** One child per metric index, present only while that shard-level metric is enabled. */
  readonly children: Array<MetricChild | undefined>;
  iteratorAgeMs: number | undefined;
  /** Always kept (enhanced monitoring or not): what on-demand scaling looks at. */
  readonly writes: ShardWriteTotals;
}

/** Running totals of writes to one shard since the server started. */
export interface ShardWriteTotals {
  bytes: number;
  records: number;
  throttledRecords: number;
}

export type WriteObserver = (stream: string) => void;

interface StreamState {
  readonly streamChildren: MetricChild[];
  enabled: ReadonlySet<ShardLevelMetric>;
  readonly shards: Map<string, ShardState>;
}

export class KinesisMetrics {
  private readonly streamFamilies: MetricFamily[];
  private readonly shardFamilies: MetricFamily[];
  private readonly streams = new Map<string, StreamState>();
  private writeObserver: WriteObserver | undefined;

  constructor(readonly registry: MetricRegistry = new MetricRegistry()) {
    this.streamFamilies = PROMETHEUS_SUFFIX.map((suffix, i) =>
      i === ITERATOR_AGE
        ? registry.gauge(`runnel_kinesis_stream_${suffix}`, HELP[i]!, ['stream'])
        : registry.counter(`runnel_kinesis_stream_${suffix}`, HELP[i]!, ['stream']));
    this.shardFamilies = PROMETHEUS_SUFFIX.map((suffix, i) =>
      i === ITERATOR_AGE
        ? registry.gauge(`runnel_kinesis_shard_${suffix}`, HELP[i]!, ['stream', 'shard'])
        : registry.counter(`runnel_kinesis_shard_${suffix}`, HELP[i]!, ['stream', 'shard']));
    registry.onCollect(() => this.collectIteratorAges());
  }

  recordsWritten(stream: string, shardId: string, records: number, bytes: number): void {
    this.add(stream, shardId, METRIC_INDEX.IncomingRecords, records);
    this.add(stream, shardId, METRIC_INDEX.IncomingBytes, bytes);
    const totals = this.shard(this.stream(stream), stream, shardId).writes;
    totals.records += records;
    totals.bytes += bytes;
    this.writeObserver?.(stream);
  }

  writesThrottled(stream: string, shardId: string, records: number): void {
    this.add(stream, shardId, METRIC_INDEX.WriteProvisionedThroughputExceeded, records);
    this.shard(this.stream(stream), stream, shardId).writes.throttledRecords += records;
    this.writeObserver?.(stream);
  }

  /** Write totals per shard id of a stream (the live objects; callers copy what they keep). */
  shardWriteTotals(stream: string): ReadonlyMap<string, Readonly<ShardWriteTotals>> {
    const totals = new Map<string, ShardWriteTotals>();
    for (const [shardId, shard] of this.streams.get(stream)?.shards ?? []) totals.set(shardId, shard.writes);
    return totals;
  }

  /** One observer called after every write or throttled write (on-demand scaling). */
  observeWrites(observer: WriteObserver): void {
    this.writeObserver = observer;
  }

  /** A GetRecords reply; `iteratorAgeMs` is now minus the arrival time of its last record (0 when
   * it returned none), as CloudWatch's IteratorAgeMilliseconds. */
  recordsRead(stream: string, shardId: string, records: number, bytes: number, iteratorAgeMs: number): void {
    this.add(stream, shardId, METRIC_INDEX.OutgoingRecords, records);
    this.add(stream, shardId, METRIC_INDEX.OutgoingBytes, bytes);
    const shard = this.shard(this.stream(stream), stream, shardId);
    shard.iteratorAgeMs = iteratorAgeMs;
    shard.children[ITERATOR_AGE]?.set(iteratorAgeMs);
  }

  readsThrottled(stream: string, shardId: string): void {
    this.add(stream, shardId, METRIC_INDEX.ReadProvisionedThroughputExceeded, 1);
  }

  /** The stream's enabled shard-level metrics (after Enable/DisableEnhancedMonitoring). */
  setShardLevelMetrics(stream: string, metrics: Iterable<ShardLevelMetric>): void {
    const state = this.stream(stream);
    state.enabled = new Set(metrics);
    for (const [shardId, shard] of state.shards) this.syncShardChildren(state, stream, shardId, shard);
  }

  /** Drops the series of shards that no longer exist (closed shards past retention). */
  retainShards(stream: string, shardIds: ReadonlySet<string>): void {
    const state = this.streams.get(stream);
    if (state === undefined) return;
    for (const shardId of state.shards.keys()) {
      if (shardIds.has(shardId)) continue;
      state.shards.delete(shardId);
      for (const family of this.shardFamilies) family.remove(stream, shardId);
    }
  }

  forgetStream(stream: string): void {
    this.streams.delete(stream);
    this.registry.removeWhere('stream', stream);
  }

  private add(stream: string, shardId: string, index: number, amount: number): void {
    const state = this.stream(stream);
    state.streamChildren[index]!.inc(amount);
    if (state.enabled.size > 0) this.shard(state, stream, shardId).children[index]?.inc(amount);
  }

  private stream(stream: string): StreamState {
    let state = this.streams.get(stream);
    if (state === undefined) {
      state = {
        streamChildren: this.streamFamilies.map((family) => family.labels(stream)),
        enabled: new Set(),
        shards: new Map(),
      };
      this.streams.set(stream, state);
    }
    return state;
  }

  private shard(state: StreamState, stream: string, shardId: string): ShardState {
    let shard = state.shards.get(shardId);
    if (shard === undefined) {
      shard = { children: new Array(SHARD_LEVEL_METRICS.length).fill(undefined), iteratorAgeMs: undefined, writes: { bytes: 0, records: 0, throttledRecords: 0 } };
      state.shards.set(shardId, shard);
      this.syncShardChildren(state, stream, shardId, shard);
    }
    return shard;
  }

  private syncShardChildren(state: StreamState, stream: string, shardId: string, shard: ShardState): void {
    for (const metric of SHARD_LEVEL_METRICS) {
      const index = METRIC_INDEX[metric];
      if (state.enabled.has(metric)) {
        const child = this.shardFamilies[index]!.labels(stream, shardId);
        if (index === ITERATOR_AGE && shard.iteratorAgeMs !== undefined) child.set(shard.iteratorAgeMs);
        shard.children[index] = child;
      } else {
        shard.children[index] = undefined;
        this.shardFamilies[index]!.remove(stream, shardId);
      }
    }
  }

  private collectIteratorAges(): void {
    for (const state of this.streams.values()) {
      let maxAgeMs = 0;
      for (const shard of state.shards.values()) {
        if (shard.iteratorAgeMs !== undefined && shard.iteratorAgeMs > maxAgeMs) maxAgeMs = shard.iteratorAgeMs;
      }
      state.streamChildren[ITERATOR_AGE]!.set(maxAgeMs);
    }
  }
}
