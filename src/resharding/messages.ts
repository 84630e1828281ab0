/** Error texts of the resharding operations. Those marked (k) are AWS's recorded wording; the
 * others are Runnel's (AWS does not document them), listed in docs/control-plane.md "Resharding". */
import { InvalidArgumentException, LimitExceededException } from '../errors/kinesis.js';
import { ValidationException } from '../errors/common.js';

/** (k) */
export function badSplitKey(key: string, shardId: string, stream: string, accountId: string, start: bigint, end: bigint): InvalidArgumentException {
  return new InvalidArgumentException(
    `NewStartingHashKey ${key} used in SplitShard() on shard ${shardId} in stream ${stream} under account ${accountId} ` +
    `is not both greater than one plus the shard's StartingHashKey ${start} and less than the shard's EndingHashKey ${end}.`,
  );
}

/** (k) */
export function notAdjacent(a: string, b: string, stream: string, accountId: string): InvalidArgumentException {
  return new InvalidArgumentException(
    `Shards ${a} and ${b} in stream ${stream} under account ${accountId} are not an adjacent pair of shards eligible for merging`,
  );
}

export function shardClosed(shardId: string, stream: string, accountId: string): InvalidArgumentException {
  return new InvalidArgumentException(
    `Shard ${shardId} in stream ${stream} under account ${accountId} has already been merged or split, and thus is not eligible for merging or splitting.`,
  );
}

export function onDemandNotSupported(operation: string, stream: string, accountId: string): ValidationException {
  return new ValidationException(`${operation} is not supported for stream ${stream} under account ${accountId} because it is in ON_DEMAND capacity mode.`);
}

export function scaleUpTooFar(stream: string, current: number, target: number): LimitExceededException {
  return new LimitExceededException(
    `UpdateShardCount cannot scale up stream ${stream} to more than double its current open shard count. Current open shard count: ${current}. Target shard count: ${target}.`,
  );
}

export function scaleDownTooFar(stream: string, current: number, target: number): LimitExceededException {
  return new LimitExceededException(
    `UpdateShardCount cannot scale down stream ${stream} below half its current open shard count. Current open shard count: ${current}. Target shard count: ${target}.`,
  );
}

export function streamShardsMax(stream: string, max: number, target: number): LimitExceededException {
  return new LimitExceededException(`UpdateShardCount cannot scale stream ${stream} to ${target} shards: a stream can have at most ${max} shards.`);
}

export function scalingsPerDayExceeded(stream: string, max: number): LimitExceededException {
  return new LimitExceededException(`UpdateShardCount can be called at most ${max} times per rolling 24-hour period on stream ${stream}.`);
}
