/**
 * Throughput and rate limits as AWS enforces them, switchable by `config.limits`.
 *
 * Buckets are created on first use and keyed by stream name (and shard id); `forgetStream` drops
 * them when a stream is deleted. All buckets run on the injected clock.
 *
 * Rules (documented in docs/control-plane.md "Throughput limits"):
 * - Writes, per shard: a records bucket (1,000/s, holds 1,000) and a bytes bucket (1 MiB/s, holds
 *   1 MiB). A record is admitted when the records bucket holds one token and the bytes bucket holds
 *   min(record bytes, 1 MiB): a record above 1 MiB (up to 10 MiB) needs a full bucket and leaves it
 *   in debt, so the shard takes nothing more until the debt is paid at 1 MiB/s. Record bytes =
 *   data + UTF-8 partition key.
 * - Reads, per shard: a calls bucket (5/s, holds 5) and a bytes bucket (2 MiB/s, holds 2 MiB). A
 *   GetRecords call is admitted when a call token is there and the bytes bucket is not in debt;
 *   the reply's bytes are charged afterwards, so a 10 MiB reply blocks the shard for 4–5 s.
 * - Control plane: `controlPlaneQuotas` buckets holding one second's worth; GetShardIterator has a
 *   bucket per shard.
 */
import type { Clock } from '../domain/clock.js';
import { LimitExceededException, ProvisionedThroughputExceededException } from '../errors/kinesis.js';
import {
  controlPlaneQuotas,
  getShardIteratorCallsPerSecondPerShard,
  shardReadBytesPerSecond,
  shardReadCallsPerSecond,
  shardWriteBytesPerSecond,
  shardWriteRecordsPerSecond,
} from './aws-limits.js';
import { controlPlaneThrottledMessage, readThrottledMessage, writeThrottledMessage } from './messages.js';
import { TokenBucket } from './token-bucket.js';

export interface Limits {
  readonly enabled: boolean;
  /** Admits one record of PutRecord/PutRecords to a shard and charges it; false = throttled. */
  admitWrite(streamName: string, shardId: string, recordBytes: number): boolean;
  /** The PTE message for a throttled write (PutRecord error, PutRecords per-record ErrorMessage). */
  writeThrottledMessage(streamName: string, shardId: string): string;
  /** PutRecord: admits the record or throws ProvisionedThroughputExceededException. */
  checkWrite(streamName: string, shardId: string, recordBytes: number): void;
  /** GetRecords, before reading: admits the call or throws ProvisionedThroughputExceededException. */
  checkRead(streamName: string, shardId: string): void;
  /** GetRecords, after reading: charges the reply's data + partition key bytes. */
  chargeRead(streamName: string, shardId: string, bytes: number): void;
  /** GetShardIterator: 5 calls/s per shard, else LimitExceededException. */
  checkGetShardIterator(streamName: string, shardId: string): void;
  /** A control-plane operation with a TPS quota, else nothing; throws LimitExceededException. */
  checkControlPlane(operation: string, streamName: string | undefined): void;
  forgetStream(streamName: string): void;
  /** Calls `listener` for every throttled write record and every throttled GetRecords call. */
  onThrottle(listener: ThrottleListener): void;
}

export type ThrottleListener = (kind: 'write' | 'read', streamName: string, shardId: string) => void;

interface ShardWriteBuckets { readonly records: TokenBucket; readonly bytes: TokenBucket }
interface ShardReadBuckets { readonly calls: TokenBucket; readonly bytes: TokenBucket }

class AwsLimits implements Limits {
  readonly enabled = true;
  private readonly writes = new Map<string, Map<string, ShardWriteBuckets>>();
  private readonly reads = new Map<string, Map<string, ShardReadBuckets>>();
  private readonly shardIterators = new Map<string, Map<string, TokenBucket>>();
  private readonly accountOperations = new Map<string, TokenBucket>();
  private readonly streamOperations = new Map<string, Map<string, TokenBucket>>();

  private readonly throttleListeners: ThrottleListener[] = [];

  constructor(private readonly clock: Clock, private readonly accountId: string) {}

  onThrottle(listener: ThrottleListener): void {
    this.throttleListeners.push(listener);
  }

  admitWrite(streamName: string, shardId: string, recordBytes: number): boolean {
    const buckets = shardEntry(this.writes, streamName, shardId, () => ({
      records: new TokenBucket(shardWriteRecordsPerSecond, shardWriteRecordsPerSecond, this.clock),
      bytes: new TokenBucket(shardWriteBytesPerSecond, shardWriteBytesPerSecond, this.clock),
    }));
    if (buckets.records.tryTake(1)) {
      if (buckets.bytes.tryTakeBurst(recordBytes)) return true;
      buckets.records.giveBack(1);
    }
    for (const listener of this.throttleListeners) listener('write', streamName, shardId);
    return false;
  }

  writeThrottledMessage(streamName: string, shardId: string): string {
    return writeThrottledMessage(shardId, streamName, this.accountId);
  }

  checkWrite(streamName: string, shardId: string, recordBytes: number): void {
    if (!this.admitWrite(streamName, shardId, recordBytes)) {
      throw new ProvisionedThroughputExceededException(this.writeThrottledMessage(streamName, shardId));
    }
  }

  checkRead(streamName: string, shardId: string): void {
    const buckets = this.readBuckets(streamName, shardId);
    if (buckets.bytes.available() >= 0 && buckets.calls.tryTake(1)) return;
    for (const listener of this.throttleListeners) listener('read', streamName, shardId);
    throw new ProvisionedThroughputExceededException(readThrottledMessage(shardId, streamName, this.accountId));
  }

  chargeRead(streamName: string, shardId: string, bytes: number): void {
    this.readBuckets(streamName, shardId).bytes.force(bytes);
  }

  checkGetShardIterator(streamName: string, shardId: string): void {
    const bucket = shardEntry(this.shardIterators, streamName, shardId, () =>
      new TokenBucket(getShardIteratorCallsPerSecondPerShard, getShardIteratorCallsPerSecondPerShard, this.clock));
    if (!bucket.tryTake(1)) throw new LimitExceededException(controlPlaneThrottledMessage(streamName, this.accountId));
  }

  checkControlPlane(operation: string, streamName: string | undefined): void {
    const quota = controlPlaneQuotas.get(operation);
    if (quota === undefined) return;
    let bucket: TokenBucket;
    const make = () => new TokenBucket(quota.callsPerSecond, quota.callsPerSecond, this.clock);
    if (quota.scope === 'account') {
      bucket = this.accountOperations.get(operation) ?? make();
      this.accountOperations.set(operation, bucket);
    } else {
      if (streamName === undefined) return;
      bucket = shardEntry(this.streamOperations, streamName, operation, make);
    }
    if (!bucket.tryTake(1)) throw new LimitExceededException(controlPlaneThrottledMessage(streamName, this.accountId));
  }

  forgetStream(streamName: string): void {
    this.writes.delete(streamName);
    this.reads.delete(streamName);
    this.shardIterators.delete(streamName);
    this.streamOperations.delete(streamName);
  }

  private readBuckets(streamName: string, shardId: string): ShardReadBuckets {
    return shardEntry(this.reads, streamName, shardId, () => ({
      calls: new TokenBucket(shardReadCallsPerSecond, shardReadCallsPerSecond, this.clock),
      bytes: new TokenBucket(shardReadBytesPerSecond, shardReadBytesPerSecond, this.clock),
    }));
  }
}

/** `--limits off`: everything is admitted, nothing is tracked. */
class NoLimits implements Limits {
  readonly enabled = false;
  constructor(private readonly accountId: string) {}
  admitWrite(): boolean { return true; }
  writeThrottledMessage(streamName: string, shardId: string): string {
    return writeThrottledMessage(shardId, streamName, this.accountId);
  }
  checkWrite(): void {}
  checkRead(): void {}
  chargeRead(): void {}
  checkGetShardIterator(): void {}
  checkControlPlane(): void {}
  forgetStream(): void {}
  onThrottle(): void {}
}

export function createLimits(mode: 'aws' | 'off', clock: Clock, accountId: string): Limits {
  return mode === 'aws' ? new AwsLimits(clock, accountId) : new NoLimits(accountId);
}

function shardEntry<T>(byStream: Map<string, Map<string, T>>, streamName: string, key: string, make: () => T): T {
  let inner = byStream.get(streamName);
  if (inner === undefined) {
    inner = new Map();
    byStream.set(streamName, inner);
  }
  let entry = inner.get(key);
  if (entry === undefined) {
    entry = make();
    inner.set(key, entry);
  }
  return entry;
}
