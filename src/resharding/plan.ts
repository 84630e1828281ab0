/**
 * Resharding plans: which open shards close and which shards are created, computed on plain
 * ranges so the rules are testable without storage.
 *
 * New shards are listed in creation order; the i-th gets shard index `firstIndex + i`, so ids keep
 * counting up. A shard created and closed by the same plan (UpdateShardCount's intermediate
 * shards) has `closedInPlan` set: it never receives records.
 */
import { evenHashKeyRanges } from '../domain/hash-key.js';

export interface OpenRange {
  readonly index: number;
  readonly start: bigint;
  readonly end: bigint;
}

export interface PlannedShard {
  readonly index: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly parentIndex: number;
  readonly adjacentParentIndex?: number;
  closedInPlan: boolean;
}

export interface ReshardPlan {
  readonly firstIndex: number;
  /** Shards open before the plan that it closes. */
  readonly closes: number[];
  readonly created: PlannedShard[];
}

/** Applies splits and merges to a working set of open shards, recording what they do. */
export class PlanBuilder {
  private readonly open = new Map<number, OpenRange>();
  private readonly existing: ReadonlySet<number>;
  private readonly plan: ReshardPlan;

  constructor(openShards: readonly OpenRange[], firstIndex: number) {
    for (const shard of openShards) this.open.set(shard.index, shard);
    this.existing = new Set(openShards.map((shard) => shard.index));
    this.plan = { firstIndex, closes: [], created: [] };
  }

  /** Children [start, key−1] and [key, end]; returns their indexes. */
  split(index: number, key: bigint): [number, number] {
    const parent = this.take(index);
    const left = this.add({ start: parent.start, end: key - 1n, parentIndex: index });
    const right = this.add({ start: key, end: parent.end, parentIndex: index });
    return [left, right];
  }

  /** One child over both ranges, ParentShardId = `index`, AdjacentParentShardId = `adjacentIndex`. */
  merge(index: number, adjacentIndex: number): number {
    const a = this.take(index);
    const b = this.take(adjacentIndex);
    return this.add({ start: a.start < b.start ? a.start : b.start, end: a.end > b.end ? a.end : b.end, parentIndex: index, adjacentParentIndex: adjacentIndex });
  }

  openShards(): OpenRange[] {
    return [...this.open.values()].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  }

  build(): ReshardPlan {
    return this.plan;
  }

  private take(index: number): OpenRange {
    const shard = this.open.get(index);
    if (shard === undefined) throw new Error(`shard ${index} is not open in the plan`);
    this.open.delete(index);
    if (this.existing.has(index)) this.plan.closes.push(index);
    else this.plan.created[index - this.plan.firstIndex]!.closedInPlan = true;
    return shard;
  }

  private add(shard: { start: bigint; end: bigint; parentIndex: number; adjacentParentIndex?: number }): number {
    const index = this.plan.firstIndex + this.plan.created.length;
    this.plan.created.push({ index, ...shard, closedInPlan: false });
    this.open.set(index, { index, start: shard.start, end: shard.end });
    return index;
  }
}

export function planSplit(openShards: readonly OpenRange[], index: number, newStartingHashKey: bigint, firstIndex: number): ReshardPlan {
  const builder = new PlanBuilder(openShards, firstIndex);
  builder.split(index, newStartingHashKey);
  return builder.build();
}

export function planMerge(openShards: readonly OpenRange[], index: number, adjacentIndex: number, firstIndex: number): ReshardPlan {
  const builder = new PlanBuilder(openShards, firstIndex);
  builder.merge(index, adjacentIndex);
  return builder.build();
}

/**
 * UNIFORM_SCALING to `target` shards: the result has the ranges a new stream of `target` shards
 * would have. Each open shard is first split at every target boundary inside it; then the pieces
 * of each target range are merged left to right. Like AWS, this leaves short-lived intermediate
 * shards in the stream's history.
 */
export function planUniformScaling(openShards: readonly OpenRange[], target: number, firstIndex: number): ReshardPlan {
  const builder = new PlanBuilder(openShards, firstIndex);
  const targets = evenHashKeyRanges(target);
  const boundaries = targets.slice(1).map((range) => range.start);
  // Shards and boundaries are both in hash-key order, so one pass over each keeps this linear
  // (a 10,000-shard stream is scaled in one synchronous step).
  let next = 0;
  for (const shard of builder.openShards()) {
    while (next < boundaries.length && boundaries[next]! <= shard.start) next++;
    let current = shard.index;
    for (; next < boundaries.length && boundaries[next]! <= shard.end; next++) {
      [, current] = builder.split(current, boundaries[next]!);
    }
  }
  const pieces = builder.openShards();
  let piece = 0;
  for (const range of targets) {
    let merged = pieces[piece++]!.index;
    while (piece < pieces.length && pieces[piece]!.end <= range.end) merged = builder.merge(merged, pieces[piece++]!.index);
  }
  return builder.build();
}
