/**
 * On-demand capacity: ON_DEMAND streams split hot shards and merge cold ones by themselves.
 *
 * Rules (docs/control-plane.md "On-demand scaling"), evaluated per stream at most once per `intervalMs` of the
 * injected clock, over the writes since the previous evaluation:
 * - A shard's utilisation is the larger of its write bytes/s ÷ 1 MiB/s and records/s ÷ 1,000/s.
 * - Every open shard at ≥ 80 % utilisation, or with throttled writes, is split at the middle of
 *   its hash range (within the account shard limit).
 * - Otherwise, if the stream has more open shards than its floor, the adjacent pair with the lowest
 *   combined utilisation, if below 25 %, is merged (one merge per evaluation).
 * - The floor is max(4, ⌈WarmThroughputMiBps ÷ 1 MiB/s⌉) open shards; a stream below it is split
 *   (widest shards first) up to it, which is how UpdateStreamWarmThroughput takes effect.
 * Evaluations run when the stream is written to and on a slow background check (for idle
 * streams), and only while the stream is ACTIVE.
 */
import type { Clock } from '../domain/clock.js';
import { kinesisLimits } from '../domain/limits.js';
import type { KinesisMetrics, ShardWriteTotals } from '../metrics/index.js';
import type { Logger } from '../server/logger.js';
import type { StreamService, StreamView } from '../streams/stream-service.js';
import { shardWriteBytesPerSecond, shardWriteRecordsPerSecond } from '../limits/aws-limits.js';
import { PlanBuilder, type ReshardPlan } from './plan.js';
import type { Resharder } from './resharder.js';

export const onDemandScaling = {
  intervalMs: 10_000,
  splitUtilisation: 0.8,
  mergeUtilisation: 0.25,
  backgroundCheckMs: 5_000,
} as const;

export interface OnDemandScalerDeps {
  readonly streams: StreamService;
  readonly resharder: Resharder;
  readonly metrics: KinesisMetrics;
  readonly clock: Clock;
  readonly log: Logger;
  readonly intervalMs?: number;
  /** Real-time period of the background check; 0 disables it. */
  readonly backgroundCheckMs?: number;
}

interface Baseline {
  readonly atMs: number;
  readonly totals: Map<string, ShardWriteTotals>;
}

export class OnDemandScaler {
  private readonly baselines = new Map<string, Baseline>();
  private readonly running = new Set<string>();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;

  constructor(private readonly deps: OnDemandScalerDeps) {
    this.intervalMs = deps.intervalMs ?? onDemandScaling.intervalMs;
    deps.metrics.observeWrites((stream) => this.maybeEvaluate(stream));
    const checkMs = deps.backgroundCheckMs ?? onDemandScaling.backgroundCheckMs;
    if (checkMs > 0) {
      this.timer = setInterval(() => {
        for (const stream of deps.streams.list()) this.maybeEvaluate(stream.name);
      }, checkMs);
      this.timer.unref();
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Starts an evaluation of `streamName` when one is due; never throws. */
  maybeEvaluate(streamName: string): void {
    const stream = this.deps.streams.get(streamName);
    if (stream === undefined || stream.meta.mode !== 'ON_DEMAND' || this.running.has(streamName)) return;
    const nowMs = this.deps.clock.now();
    const baseline = this.baselines.get(streamName);
    if (baseline === undefined) {
      this.baselines.set(streamName, this.snapshot(streamName, nowMs));
      if (stream.openShards.length >= floorShards(stream)) return;
    } else if (nowMs - baseline.atMs < this.intervalMs) {
      return;
    }
    this.running.add(streamName);
    this.evaluate(streamName)
      .catch((err) => this.deps.log.warn('on-demand scaling failed', { stream: streamName, error: String(err) }))
      .finally(() => this.running.delete(streamName));
  }

  /** One evaluation (exposed for tests); true when the stream was resharded. */
  async evaluate(streamName: string): Promise<boolean> {
    const nowMs = this.deps.clock.now();
    const baseline = this.baselines.get(streamName) ?? this.snapshot(streamName, nowMs);
    const current = this.snapshot(streamName, nowMs);
    this.baselines.set(streamName, current);
    const seconds = Math.max((nowMs - baseline.atMs) / 1000, 1e-3);
    const resharded = await this.deps.resharder.applyPlan(streamName, (stream) => this.plan(stream, baseline, current, seconds));
    if (resharded) {
      this.deps.log.info('on-demand stream rescaled', { stream: streamName, openShards: this.deps.streams.get(streamName)?.openShards.length });
    }
    return resharded;
  }

  forgetStream(streamName: string): void {
    this.baselines.delete(streamName);
  }

  private plan(stream: StreamView, before: Baseline, after: Baseline, seconds: number): ReshardPlan | undefined {
    if (stream.meta.mode !== 'ON_DEMAND') return undefined;
    const open = stream.openShards.map((shard) => ({ index: shard.index, start: shard.start, end: shard.end }));
    const usage = new Map<number, { utilisation: number; throttled: boolean }>();
    for (const shard of stream.openShards) {
      const now = after.totals.get(shard.id);
      const then = before.totals.get(shard.id);
      const bytes = (now?.bytes ?? 0) - (then?.bytes ?? 0);
      const records = (now?.records ?? 0) - (then?.records ?? 0);
      const throttled = (now?.throttledRecords ?? 0) - (then?.throttledRecords ?? 0);
      const utilisation = Math.max(bytes / seconds / shardWriteBytesPerSecond, records / seconds / shardWriteRecordsPerSecond);
      usage.set(shard.index, { utilisation, throttled: throttled > 0 });
    }
    const builder = new PlanBuilder(open, stream.meta.nextShardIndex);
    const hot = open.filter((shard) => {
      const use = usage.get(shard.index)!;
      return (use.throttled || use.utilisation >= onDemandScaling.splitUtilisation) && shard.end > shard.start + 1n;
    });
    const floor = floorShards(stream);
    const toSplit = [...hot];
    if (open.length + toSplit.length < floor) {
      const widest = open.filter((shard) => !toSplit.includes(shard)).sort((a, b) => (b.end - b.start > a.end - a.start ? 1 : -1));
      toSplit.push(...widest.slice(0, floor - open.length - toSplit.length));
    }
    if (toSplit.length > 0) {
      const allowed = this.allowedNewShards(toSplit.length);
      if (allowed === 0) return undefined;
      for (const shard of toSplit.slice(0, allowed)) builder.split(shard.index, shard.start + (shard.end - shard.start + 1n) / 2n);
      return builder.build();
    }
    if (open.length <= floor) return undefined;
    let best: { left: number; right: number; utilisation: number } | undefined;
    for (let i = 0; i + 1 < open.length; i++) {
      const utilisation = usage.get(open[i]!.index)!.utilisation + usage.get(open[i + 1]!.index)!.utilisation;
      if (utilisation < onDemandScaling.mergeUtilisation && (best === undefined || utilisation < best.utilisation)) {
        best = { left: open[i]!.index, right: open[i + 1]!.index, utilisation };
      }
    }
    if (best === undefined) return undefined;
    builder.merge(best.left, best.right);
    return builder.build();
  }

  private allowedNewShards(wanted: number): number {
    for (let count = wanted; count > 0; count--) {
      try {
        this.deps.streams.checkShardLimit(count);
        return count;
      } catch {
        continue;
      }
    }
    return 0;
  }

  private snapshot(streamName: string, atMs: number): Baseline {
    const totals = new Map<string, ShardWriteTotals>();
    for (const [shardId, shard] of this.deps.metrics.shardWriteTotals(streamName)) totals.set(shardId, { ...shard });
    return { atMs, totals };
  }
}

/** Open shards an on-demand stream keeps at least: its initial 4, or its warm throughput. */
export function floorShards(stream: StreamView): number {
  const warmMiBps = stream.meta.warmThroughputMiBps ?? 0;
  return Math.max(kinesisLimits.onDemandShardCount, Math.ceil(warmMiBps * (1024 * 1024) / shardWriteBytesPerSecond));
}
