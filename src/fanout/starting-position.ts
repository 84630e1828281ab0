/**
 * Where a subscription starts in its shard: the counter of the first record to push. Mirrors
 * GetShardIterator's rules (AWS-FACTS §2.6): TRIM_HORIZON = oldest kept, LATEST = after the
 * newest, AT_/AFTER_SEQUENCE_NUMBER need a sequence number of this shard, AT_TIMESTAMP = first
 * record that arrived at or after the time (not in the future).
 *
 * A shard's StartingSequenceNumber is a "before every record" marker here: AFTER it starts at the
 * shard's first record. That is what a subscription's ContinuationSequenceNumber holds while the
 * shard has never had a record, so resuming from it never skips one.
 */
import { decodeSequenceNumber } from '../domain/sequence-number.js';
import { formatShardId } from '../domain/shard-id.js';
import type { ShardView } from '../domain/stream.js';
import { InvalidArgumentException } from '../errors/kinesis.js';
import type { LogBounds } from '../storage/types.js';
import type { StreamService } from '../streams/stream-service.js';

export type StartingPositionType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'AT_TIMESTAMP';

export interface StartingPosition {
  readonly Type: StartingPositionType;
  readonly SequenceNumber?: string | undefined;
  readonly Timestamp?: Date | undefined;
}

export interface ShardContext {
  readonly shard: ShardView;
  readonly streamName: string;
  readonly accountId: string;
}

export async function resolveStartingCounter(position: StartingPosition, context: ShardContext, streams: StreamService, nowMs: number): Promise<number> {
  const { shard } = context;
  const bounds = await streams.bounds(shard);
  const end = shardEndCounter(shard, bounds);
  switch (position.Type) {
    case 'TRIM_HORIZON':
      requireNoSequenceNumber(position);
      return bounds.trimHorizon;
    case 'LATEST':
      requireNoSequenceNumber(position);
      return end;
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      const sequenceNumber = position.SequenceNumber;
      if (sequenceNumber === undefined) {
        throw new InvalidArgumentException(
          `Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified ${position.Type} and no StartingSequenceNumber.`,
        );
      }
      const counter = counterOf(sequenceNumber, context);
      const isShardStart = sequenceNumber === shard.startingSequenceNumber();
      const first = position.Type === 'AT_SEQUENCE_NUMBER' || isShardStart ? counter : counter + 1;
      return Math.min(Math.max(first, bounds.trimHorizon), end);
    }
    case 'AT_TIMESTAMP': {
      const timestamp = position.Timestamp;
      if (timestamp === undefined) {
        throw new InvalidArgumentException('Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.');
      }
      const timestampMs = timestamp.getTime();
      if (timestampMs > nowMs) {
        throw new InvalidArgumentException(`The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${timestampMs}, currentTimestampInMillis: ${nowMs}`);
      }
      return Math.min(await streams.findByTimestamp(shard, timestampMs), end);
    }
  }
}

/** Where reading stops: the log's end for an open shard, the closing counter for a closed one. */
export function shardEndCounter(shard: ShardView, bounds: LogBounds): number {
  return shard.meta.endCounter ?? bounds.nextCounter;
}

function requireNoSequenceNumber(position: StartingPosition): void {
  if (position.SequenceNumber !== undefined) {
    throw new InvalidArgumentException(
      `Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified ${position.Type} and also a StartingSequenceNumber.`,
    );
  }
}

function counterOf(sequenceNumber: string, { shard, streamName, accountId }: ShardContext): number {
  const parts = decodeSequenceNumber(sequenceNumber);
  if (!parts) {
    throw new InvalidArgumentException(`StartingSequenceNumber ${sequenceNumber} used in SubscribeToShard on shard ${shard.id} in stream ${streamName} under account ${accountId} is invalid.`);
  }
  if (parts.shardIndex !== shard.index) {
    throw new InvalidArgumentException(`Invalid StartingSequenceNumber. It encodes ${formatShardId(parts.shardIndex)}, while it was used in a call to a shard with ${shard.id}`);
  }
  if (parts.shardCreatedSec !== shard.createdSec) {
    throw new InvalidArgumentException(`StartingSequenceNumber ${sequenceNumber} used in SubscribeToShard on shard ${shard.id} in stream ${streamName} under account ${accountId} is invalid because it did not come from this stream.`);
  }
  return Number(parts.counter);
}

