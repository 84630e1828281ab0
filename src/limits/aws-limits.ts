/**
 * AWS Kinesis Data Streams quotas enforced by Runnel when `--limits aws` is on. Units are in the
 * names. Sources: the AWS "Quotas and limits" page and the API reference of each operation.
 */
export const MiB = 1024 * 1024;

/** Per shard, writes: 1 MiB/s and 1,000 records/s. */
export const shardWriteBytesPerSecond = 1 * MiB;
export const shardWriteRecordsPerSecond = 1000;
/** A single large record may burst up to this size; the shard then pays it back at 1 MiB/s. */
export const shardWriteBurstBytesMax = 10 * MiB;

/** Per shard, reads shared by all polling consumers: 5 GetRecords calls/s and 2 MiB/s. */
export const shardReadCallsPerSecond = 5;
export const shardReadBytesPerSecond = 2 * MiB;

/** GetShardIterator: 5 calls/s per open shard. */
export const getShardIteratorCallsPerSecondPerShard = 5;

export type ControlPlaneScope = 'account' | 'stream';

export interface ControlPlaneQuota {
  readonly callsPerSecond: number;
  /** `account`: one bucket per operation for the whole account; `stream`: one per stream. */
  readonly scope: ControlPlaneScope;
}

/** Operations with a documented transactions-per-second quota; the others are not rate limited. */
export const controlPlaneQuotas: ReadonlyMap<string, ControlPlaneQuota> = new Map<string, ControlPlaneQuota>([
  ['CreateStream', { callsPerSecond: 5, scope: 'account' }],
  ['DeleteStream', { callsPerSecond: 5, scope: 'account' }],
  ['ListStreams', { callsPerSecond: 5, scope: 'account' }],
  ['AddTagsToStream', { callsPerSecond: 5, scope: 'account' }],
  ['RemoveTagsFromStream', { callsPerSecond: 5, scope: 'account' }],
  ['ListTagsForStream', { callsPerSecond: 5, scope: 'account' }],
  ['TagResource', { callsPerSecond: 5, scope: 'account' }],
  ['UntagResource', { callsPerSecond: 5, scope: 'account' }],
  ['ListTagsForResource', { callsPerSecond: 5, scope: 'account' }],
  ['SplitShard', { callsPerSecond: 5, scope: 'account' }],
  ['MergeShards', { callsPerSecond: 5, scope: 'account' }],
  ['RegisterStreamConsumer', { callsPerSecond: 5, scope: 'account' }],
  ['DescribeStream', { callsPerSecond: 10, scope: 'account' }],
  ['UpdateShardCount', { callsPerSecond: 10, scope: 'account' }],
  ['DescribeStreamSummary', { callsPerSecond: 20, scope: 'account' }],
  ['DescribeLimits', { callsPerSecond: 1, scope: 'account' }],
  ['ListShards', { callsPerSecond: 1000, scope: 'stream' }],
  ['DescribeStreamConsumer', { callsPerSecond: 20, scope: 'stream' }],
  ['ListStreamConsumers', { callsPerSecond: 5, scope: 'stream' }],
  ['DeregisterStreamConsumer', { callsPerSecond: 5, scope: 'stream' }],
]);
