/** Enhanced fan-out limits and timings (AWS-FACTS §2.4, §2.7), units in the names. */
const MiB = 1024 * 1024;

/** Each subscription ends after this long; the client resubscribes from ContinuationSequenceNumber. */
export const subscriptionLifetimeMs = 5 * 60_000;
/** A second subscription of one consumer to one shard is refused this long after the previous
 * one started; after that it takes over and the previous one ends with ResourceInUseException. */
export const subscriptionTakeoverAfterMs = 5_000;
/** Push throughput per consumer per shard (`--limits aws`). */
export const consumerShardBytesPerSecond = 2 * MiB;
/** SubscribeToShard calls per consumer per shard per second (`--limits aws`). */
export const subscribeCallsPerSecond = 1;
/**
 * An idle subscription sends an empty event (with the current ContinuationSequenceNumber) this
 * often. AWS does not document the cadence; clients only need events often enough to checkpoint
 * and to notice a dead connection, and 5 s matches the takeover window.
 */
export const heartbeatIntervalMsDefault = 5_000;
/** One event carries at most this many records and bytes (data + partition keys), so a frame
 * stays far below the 16 MiB event-stream limit even with base64 and one 10 MiB record. */
export const eventRecordsMax = 10_000;
export const eventBytesMax = 1 * MiB;
