/**
 * Hash keys: the 128-bit space records are routed by. A record's hash key is MD5 of its partition
 * key (UTF-8) read as a big-endian unsigned integer, or the ExplicitHashKey it carries.
 */
import * as crypto from 'node:crypto';

export const HASH_KEY_MAX = (1n << 128n) - 1n;

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'hex') => string;

/** `crypto.hash` (Node ≥ 20.12) hashes without building a Hash object, about twice as fast on
 * this hot path; older Node 20 releases fall back to createHash. */
const oneShotHash = (crypto as unknown as { hash?: OneShotHash }).hash;

export const partitionKeyHash: (partitionKey: string) => bigint = oneShotHash
  ? (partitionKey) => BigInt('0x' + oneShotHash('md5', partitionKey, 'hex'))
  : (partitionKey) => BigInt('0x' + crypto.createHash('md5').update(partitionKey, 'utf8').digest('hex'));

export interface HashKeyRange {
  readonly start: bigint;
  readonly end: bigint;
}

/** AWS's split of the space over `shardCount` new shards: shard i starts at i·⌊2^128/n⌋ and the
 * last one absorbs the remainder up to 2^128−1. */
export function evenHashKeyRanges(shardCount: number): HashKeyRange[] {
  const n = BigInt(shardCount);
  const width = (HASH_KEY_MAX + 1n) / n;
  const ranges: HashKeyRange[] = [];
  for (let i = 0n; i < n; i++) {
    const start = i * width;
    const end = i === n - 1n ? HASH_KEY_MAX : start + width - 1n;
    ranges.push({ start, end });
  }
  return ranges;
}
