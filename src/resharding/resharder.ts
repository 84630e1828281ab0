/**
 * SplitShard, MergeShards and UpdateShardCount over the StreamService.
 *
 * How a reshard stays lossless under concurrent writers:
 * 1. Children's logs are created, then one commit closes the parents (closedAtMs) and adds the
 *    children; the stream shows UPDATING for `updateStreamMs`. From the moment that commit is in
 *    the StreamService cache, writers route to the children.
 * 2. Writers resolve the stream view and append in the same tick, and a log applies appends in
 *    call order, so once an empty append to a parent settles, every record routed to it has its
 *    counter. That counter becomes the parent's `endCounter` in a second commit. Until then a
 *    closed parent without endCounter is still draining: readers get a NextShardIterator.
 * `recover()` finishes step 2 for parents left without endCounter by a stop between the commits.
 *
 * Reshards of one stream are serialised here; the commit re-checks that the stream is still
 * ACTIVE and unchanged, so a concurrent stream change makes the later one fail with
 * ResourceInUseException instead of mixing.
 */
import { formatShardId, parseShardId } from '../domain/shard-id.js';
import type { ShardMeta, StreamMeta } from '../domain/stream.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../server/logger.js';
import type { MetaStore } from '../storage/types.js';
import { shardIdUnparseable, shardNotFound, streamNotActive } from '../streams/messages.js';
import type { ShardView, StreamIdentifier, StreamService, StreamView } from '../streams/stream-service.js';
import {
  badSplitKey,
  notAdjacent,
  onDemandNotSupported,
  scaleDownTooFar,
  scaleUpTooFar,
  scalingsPerDayExceeded,
  shardClosed,
  streamShardsMax,
} from './messages.js';
import { planMerge, planSplit, planUniformScaling, type OpenRange, type ReshardPlan } from './plan.js';
import { KeyedLock } from '../domain/keyed-lock.js';

/** AWS: UpdateShardCount at most 10 times per rolling 24 hours per stream, 10,000 shards per stream. */
export const scalingsPerDayMax = 10;
export const streamShardsMaxForScaling = 10_000;
const DAY_MS = 86_400_000;
const SCALING_HISTORY_PREFIX = 'kinesis/resharding/scalings/';

interface ScalingHistory {
  readonly uid: string;
  readonly atMs: readonly number[];
}

export interface ResharderDeps {
  readonly streams: StreamService;
  readonly meta: MetaStore;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface UpdateShardCountResult {
  readonly StreamName: string;
  readonly StreamARN: string;
  readonly CurrentShardCount: number;
  readonly TargetShardCount: number;
}

export class Resharder {
  private readonly locks = new KeyedLock();

  constructor(private readonly deps: ResharderDeps) {}

  private get streams(): StreamService { return this.deps.streams; }
  private get accountId(): string { return this.deps.streams.accountId; }

  async splitShard(input: StreamIdentifier & { ShardToSplit: string; NewStartingHashKey: string }): Promise<void> {
    const name = this.streams.resolveName(input);
    await this.locks.run(name, async () => {
      const stream = this.reshardable(input, 'SplitShard');
      const shard = this.openShard(stream, input.ShardToSplit);
      const key = BigInt(input.NewStartingHashKey);
      if (!(key > shard.start + 1n && key < shard.end)) {
        throw badSplitKey(input.NewStartingHashKey, shard.id, stream.name, this.accountId, shard.start, shard.end);
      }
      this.streams.checkShardLimit(1);
      await this.apply(stream, planSplit(openRanges(stream), shard.index, key, stream.meta.nextShardIndex));
    });
  }

  async mergeShards(input: StreamIdentifier & { ShardToMerge: string; AdjacentShardToMerge: string }): Promise<void> {
    const name = this.streams.resolveName(input);
    await this.locks.run(name, async () => {
      const stream = this.reshardable(input, 'MergeShards');
      const shard = this.openShard(stream, input.ShardToMerge);
      const adjacent = this.openShard(stream, input.AdjacentShardToMerge);
      const adjacentPair = shard.end + 1n === adjacent.start || adjacent.end + 1n === shard.start;
      if (!adjacentPair) throw notAdjacent(shard.id, adjacent.id, stream.name, this.accountId);
      await this.apply(stream, planMerge(openRanges(stream), shard.index, adjacent.index, stream.meta.nextShardIndex));
    });
  }

  async updateShardCount(input: StreamIdentifier & { TargetShardCount: number }): Promise<UpdateShardCountResult> {
    const name = this.streams.resolveName(input);
    return this.locks.run(name, async () => {
      const stream = this.reshardable(input, 'UpdateShardCount');
      const current = stream.openShards.length;
      const target = input.TargetShardCount;
      if (target > current * 2) throw scaleUpTooFar(stream.name, current, target);
      if (target * 2 < current) throw scaleDownTooFar(stream.name, current, target);
      // AWS: never up to more than 10,000 shards, and a stream above 10,000 may only scale down to fewer.
      const overMax = target > streamShardsMaxForScaling || (current > streamShardsMaxForScaling && target >= streamShardsMaxForScaling);
      if (overMax) throw streamShardsMax(stream.name, streamShardsMaxForScaling, target);
      if (target > current) this.streams.checkShardLimit(target - current);
      const history = await this.scalingHistory(stream);
      const nowMs = this.deps.clock.now();
      const recent = history.atMs.filter((atMs) => atMs > nowMs - DAY_MS);
      if (recent.length >= scalingsPerDayMax) throw scalingsPerDayExceeded(stream.name, scalingsPerDayMax);
      if (target !== current) {
        await this.apply(stream, planUniformScaling(openRanges(stream), target, stream.meta.nextShardIndex));
      }
      await this.deps.meta.commit([{
        op: 'put',
        key: SCALING_HISTORY_PREFIX + stream.name,
        value: { uid: stream.meta.uid, atMs: [...recent, nowMs] } satisfies ScalingHistory,
      }]);
      return { StreamName: stream.name, StreamARN: stream.arn, CurrentShardCount: current, TargetShardCount: target };
    });
  }

  /**
   * Reshards without the API's preconditions on status and mode (used by on-demand scaling, which
   * runs while the stream is ACTIVE). Serialised with the API calls.
   */
  async applyPlan(streamName: string, makePlan: (stream: StreamView) => ReshardPlan | undefined): Promise<boolean> {
    return this.locks.run(streamName, async () => {
      const stream = this.streams.get(streamName);
      if (stream === undefined || stream.status !== 'ACTIVE') return false;
      const plan = makePlan(stream);
      if (plan === undefined) return false;
      await this.apply(stream, plan);
      return true;
    });
  }

  /** Sets endCounter on closed shards that lack it (after a stop between the two commits). */
  async recover(): Promise<void> {
    for (const stream of this.streams.list()) {
      const draining = stream.shards.filter((shard) => !shard.open && shard.meta.endCounter === undefined);
      if (draining.length > 0) await this.locks.run(stream.name, () => this.sealParents(stream, draining));
    }
  }

  /** Forgets per-stream bookkeeping of a deleted stream. */
  async forgetStream(streamName: string): Promise<void> {
    await this.deps.meta.commit([{ op: 'delete', key: SCALING_HISTORY_PREFIX + streamName }]);
  }

  private reshardable(input: StreamIdentifier, operation: string): StreamView {
    const stream = this.streams.resolve(input);
    if (stream.status !== 'ACTIVE') throw streamNotActive(stream.name, this.accountId, stream.status);
    if (stream.meta.mode === 'ON_DEMAND') throw onDemandNotSupported(operation, stream.name, this.accountId);
    return stream;
  }

  private openShard(stream: StreamView, shardId: string): ShardView {
    const index = parseShardId(shardId);
    if (index === undefined) throw shardIdUnparseable(shardId, stream.name, this.accountId);
    const shard = stream.shard(index);
    if (shard === undefined) throw shardNotFound(index, stream.name, this.accountId);
    if (!shard.open) throw shardClosed(shard.id, stream.name, this.accountId);
    return shard;
  }

  private async apply(stream: StreamView, plan: ReshardPlan): Promise<void> {
    const created = await this.streams.newShardMetas(
      stream,
      plan.created.map((shard) => ({
        start: shard.start,
        end: shard.end,
        parentIndex: shard.parentIndex,
        ...(shard.adjacentParentIndex !== undefined ? { adjacentParentIndex: shard.adjacentParentIndex } : {}),
      })),
      plan.firstIndex,
    );
    const nowMs = this.deps.clock.now();
    const closing = new Set(plan.closes);
    const closedInPlan = new Set(plan.created.filter((shard) => shard.closedInPlan).map((shard) => shard.index));
    await this.streams.mutateWithUpdate(stream.name, (meta: StreamMeta): StreamMeta => {
      if (meta.uid !== stream.meta.uid || meta.nextShardIndex !== plan.firstIndex || meta.status !== 'ACTIVE') {
        throw streamNotActive(meta.name, this.accountId, meta.status);
      }
      const shards: ShardMeta[] = meta.shards.map((shard) => (closing.has(shard.index) ? { ...shard, closedAtMs: nowMs } : shard));
      for (const shard of created) {
        shards.push(closedInPlan.has(shard.index) ? { ...shard, closedAtMs: nowMs, endCounter: 0 } : shard);
      }
      return { ...meta, shards, nextShardIndex: plan.firstIndex + created.length };
    });
    const parents = plan.closes.map((index) => stream.shard(index)!);
    await this.sealParents(stream, parents);
    this.deps.log.info('stream resharded', {
      stream: stream.name,
      closed: plan.closes.map(formatShardId),
      opened: plan.created.filter((shard) => !shard.closedInPlan).map((shard) => formatShardId(shard.index)),
    });
  }

  /** Step 2: waits for appends routed to the parents before they closed, then records where each
   * parent ends. */
  private async sealParents(stream: StreamView, parents: readonly ShardView[]): Promise<void> {
    const endCounters = new Map<number, number>();
    for (const parent of parents) {
      const barrier = await this.streams.append(parent, []);
      endCounters.set(parent.index, barrier.firstCounter);
    }
    await this.streams.mutate(stream.name, (meta) => ({
      ...meta,
      shards: meta.shards.map((shard) => {
        const endCounter = endCounters.get(shard.index);
        return endCounter === undefined || shard.endCounter !== undefined ? shard : { ...shard, endCounter };
      }),
    }));
  }

  private async scalingHistory(stream: StreamView): Promise<ScalingHistory> {
    const entry = await this.deps.meta.get<ScalingHistory>(SCALING_HISTORY_PREFIX + stream.name);
    if (entry === undefined || entry.value.uid !== stream.meta.uid) return { uid: stream.meta.uid, atMs: [] };
    return entry.value;
  }
}

function openRanges(stream: StreamView): OpenRange[] {
  return stream.openShards.map((shard) => ({ index: shard.index, start: shard.start, end: shard.end }));
}
