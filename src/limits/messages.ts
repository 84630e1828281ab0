/** AWS's wording for throttling errors (see docs/control-plane.md "Throughput limits"). */

/** PutRecord, and the per-record ErrorMessage of PutRecords. */
export function writeThrottledMessage(shardId: string, streamName: string, accountId: string): string {
  return `Rate exceeded for shard ${shardId} in stream ${streamName} under account ${accountId}.`;
}

/** GetRecords, in the form AWS has used since 2023. */
export function readThrottledMessage(shardId: string, streamName: string, accountId: string): string {
  return `Rate exceeded for Shard - ${accountId}/${streamName}/${shardId}`;
}

/** Control-plane LimitExceededException. AWS names the stream when the call names one; for
 * calls without a stream (ListStreams, DescribeLimits) Runnel names the account only. */
export function controlPlaneThrottledMessage(streamName: string | undefined, accountId: string): string {
  return streamName === undefined
    ? `Rate exceeded for account ${accountId}.`
    : `Rate exceeded for stream ${streamName} under account ${accountId}.`;
}
