/**
 * A Kinesis stream as persisted in the MetaStore (`kinesis/stream/<name>`), and the immutable
 * in-memory view built from it for the hot path.
 *
 * Everything about a stream lives in this one document (status, settings, tags, shard map), so
 * every change is one compare-and-set commit. Hash keys are stored as decimal strings because
 * the document is JSON.
 */
import { HASH_KEY_MAX, hashKeyToWords, partitionKeyHashWords, type HashKeyRange } from './hash-key.js';
import { formatShardId } from './shard-id.js';
import { ENDING_COUNTER, encodeSequenceNumber, shardSequenceBase } from './sequence-number.js';

export type StreamStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';
export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

export interface ShardMeta {
  readonly index: number;
  readonly parentIndex?: number;
  readonly adjacentParentIndex?: number;
  readonly startingHashKey: string;
  readonly endingHashKey: string;
  readonly createdAtMs: number;
  /** Set when the shard is closed by a split or merge. */
  readonly closedAtMs?: number;
  /** The log's nextCounter when the shard closed: reading stops there. */
  readonly endCounter?: number;
  readonly logId: string;
}

export interface StreamMeta {
  readonly name: string;
  /** Unique per incarnation: a stream deleted and created again under the same name gets a new
   * one, so its old shard iterators and logs never mix with the new stream. */
  readonly uid: string;
  readonly createdAtMs: number;
  readonly status: StreamStatus;
  readonly statusChangedAtMs: number;
  readonly mode: StreamMode;
  readonly modeChangedAtMs?: number;
  readonly retentionHours: number;
  readonly maxRecordSizeKiB: number;
  readonly encryptionType: 'NONE' | 'KMS';
  readonly keyId?: string;
  readonly shardLevelMetrics: readonly string[];
  readonly warmThroughputMiBps?: number;
  /** Set by UpdateStreamRecordDistributionStrategy; absent means USER_PARTITION_KEY. */
  readonly recordDistributionStrategy?: 'AUTO' | 'USER_PARTITION_KEY';
  /** Insertion order is kept; ListTagsForStream sorts. */
  readonly tags: Readonly<Record<string, string>>;
  readonly shards: readonly ShardMeta[];
  readonly nextShardIndex: number;
}

export class ShardView {
  readonly id: string;
  readonly index: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly createdSec: number;
  readonly sequenceBase: bigint;
  readonly open: boolean;

  constructor(readonly meta: ShardMeta) {
    this.id = formatShardId(meta.index);
    this.index = meta.index;
    this.start = BigInt(meta.startingHashKey);
    this.end = BigInt(meta.endingHashKey);
    this.createdSec = Math.floor(meta.createdAtMs / 1000);
    this.sequenceBase = shardSequenceBase(this.createdSec, meta.index);
    this.open = meta.closedAtMs === undefined;
  }

  get logId(): string { return this.meta.logId; }

  startingSequenceNumber(): string {
    return encodeSequenceNumber({ shardCreatedSec: this.createdSec, shardIndex: this.index, counter: 0n, arrivalSec: this.createdSec });
  }

  endingSequenceNumber(): string | undefined {
    if (this.open) return undefined;
    const closedSec = Math.floor(this.meta.closedAtMs! / 1000);
    return encodeSequenceNumber({ shardCreatedSec: this.createdSec, shardIndex: this.index, counter: ENDING_COUNTER, arrivalSec: closedSec });
  }

  /** The Shard shape of DescribeStream and ListShards. */
  describe(): Record<string, unknown> {
    const ending = this.endingSequenceNumber();
    return {
      ShardId: this.id,
      ...(this.meta.parentIndex !== undefined ? { ParentShardId: formatShardId(this.meta.parentIndex) } : {}),
      ...(this.meta.adjacentParentIndex !== undefined ? { AdjacentParentShardId: formatShardId(this.meta.adjacentParentIndex) } : {}),
      HashKeyRange: { StartingHashKey: this.meta.startingHashKey, EndingHashKey: this.meta.endingHashKey },
      SequenceNumberRange: {
        StartingSequenceNumber: this.startingSequenceNumber(),
        ...(ending !== undefined ? { EndingSequenceNumber: ending } : {}),
      },
    };
  }
}

export class StreamView {
  readonly shards: readonly ShardView[];
  /** Open shards ordered by starting hash key, for routing. */
  readonly openShards: readonly ShardView[];
  /** The starting hash keys of `openShards`, four 32-bit words each (most significant first). */
  private readonly openStartWords: Uint32Array;
  private readonly byIndex: Map<number, ShardView>;

  constructor(readonly meta: StreamMeta, readonly version: number, readonly arn: string) {
    this.shards = meta.shards.map((shard) => new ShardView(shard)).sort((a, b) => a.index - b.index);
    this.openShards = this.shards.filter((shard) => shard.open).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    this.openStartWords = new Uint32Array(this.openShards.length * 4);
    this.openShards.forEach((shard, i) => hashKeyToWords(shard.start, this.openStartWords, i * 4));
    this.byIndex = new Map(this.shards.map((shard) => [shard.index, shard]));
  }

  get name(): string { return this.meta.name; }
  get status(): StreamStatus { return this.meta.status; }
  get maxRecordBytes(): number { return this.meta.maxRecordSizeKiB * 1024; }

  shard(index: number): ShardView | undefined {
    return this.byIndex.get(index);
  }

  /** The open shard whose hash key range holds `hashKey` (ranges of open shards tile the space). */
  route(hashKey: bigint): ShardView {
    hashKeyToWords(hashKey, routedWords);
    return this.routeWords(routedWords);
  }

  /** The open shard a partition key's MD5 falls in. */
  routePartitionKey(partitionKey: string): ShardView {
    return this.routeWords(partitionKeyHashWords(partitionKey));
  }

  /** `route` for a hash key given as four 32-bit words, most significant first. */
  private routeWords(words: Uint32Array): ShardView {
    const starts = this.openStartWords;
    let lo = 0;
    let hi = this.openShards.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (startsAtOrBelow(starts, mid * 4, words)) lo = mid;
      else hi = mid - 1;
    }
    return this.openShards[lo]!;
  }

  /** Children of a shard (one after a merge, two after a split). */
  childrenOf(index: number): ShardView[] {
    return this.shards.filter((shard) => shard.meta.parentIndex === index || shard.meta.adjacentParentIndex === index);
  }
}

const routedWords = new Uint32Array(4);

/** Whether the hash key at `starts[at…at+3]` is at most `words`. */
function startsAtOrBelow(starts: Uint32Array, at: number, words: Uint32Array): boolean {
  for (let i = 0; i < 4; i++) {
    const start = starts[at + i]!;
    const word = words[i]!;
    if (start !== word) return start < word;
  }
  return true;
}

export function hashKeyRangeMeta(range: HashKeyRange): { startingHashKey: string; endingHashKey: string } {
  if (range.start < 0n || range.end > HASH_KEY_MAX || range.start > range.end) throw new Error('hash key range out of bounds');
  return { startingHashKey: range.start.toString(), endingHashKey: range.end.toString() };
}
