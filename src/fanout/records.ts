/** Shapes of SubscribeToShardEvent members built from stored records and the shard map. */
import { sequenceNumberFromBase } from '../domain/sequence-number.js';
import { formatShardId } from '../domain/shard-id.js';
import type { ShardView, StreamView } from '../domain/stream.js';
import type { StoredRecord } from '../storage/types.js';
import type { RecordCodec } from '../streams/stream-service.js';

export interface RecordShape {
  readonly SequenceNumber: string;
  readonly ApproximateArrivalTimestamp: Date;
  readonly Data: Uint8Array;
  readonly PartitionKey: string;
  readonly EncryptionType?: string;
}

/** Like GetRecords: data goes back through the stream's record codec (encryption at rest). */
export function recordShape(stream: StreamView, shard: ShardView, record: StoredRecord, codec: RecordCodec | undefined): RecordShape {
  const decoded = codec?.decode(stream, record);
  return {
    SequenceNumber: sequenceNumberFromBase(shard.sequenceBase, record.counter, record.arrivalMs),
    ApproximateArrivalTimestamp: new Date(record.arrivalMs),
    Data: decoded ? decoded.data : record.data,
    PartitionKey: record.partitionKey,
    ...(decoded?.encrypted ? { EncryptionType: 'KMS' } : {}),
  };
}

export interface ChildShardShape {
  readonly ShardId: string;
  readonly ParentShards: string[];
  readonly HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
}

/** Children of a closed shard: two for a split, one naming both parents for a merge. */
export function childShards(stream: StreamView, parent: ShardView): ChildShardShape[] {
  return stream.childrenOf(parent.index).map((child) => ({
    ShardId: child.id,
    ParentShards: [child.meta.parentIndex, child.meta.adjacentParentIndex]
      .filter((index): index is number => index !== undefined)
      .map(formatShardId),
    HashKeyRange: { StartingHashKey: child.meta.startingHashKey, EndingHashKey: child.meta.endingHashKey },
  }));
}
