/**
 * Where a subscription starts in its shard: the counter of the first record to push. Mirrors
 * GetShardIterator's rules (AWS-FACTS §2.6): TRIM_HORIZON = oldest kept, LATEST = after the
 * newest, AT_/AFTER_SEQUENCE_NUMBER need a sequence number of this shard, AT_TIMESTAMP = first
 * record that arrived at or after the time (not in the future).
 *
 * Before a shard's first record there is no record to resume after, so a subscription's
 * ContinuationSequenceNumber is then `beforeFirstRecord(shard)`: counter 0 with an arrival second
 * just before the shard's creation, a number no record can have (records arrive after their shard
 * exists). AFTER it means "from the first record".
 */
import { decodeSequenceNumber, encodeSequenceNumber, type SequenceNumberParts } from '../domain/sequence-number.js';
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
      const parts = partsOf(sequenceNumber, context);
      const counter = Number(parts.counter);
      const first = position.Type === 'AT_SEQUENCE_NUMBER' || isBeforeFirstRecord(parts, shard) ? counter : counter + 1;
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

export function beforeFirstRecord(shard: ShardView): string {
  return encodeSequenceNumber({ shardCreatedSec: shard.createdSec, shardIndex: shard.index, counter: 0n, arrivalSec: shard.createdSec - 1 });
}

function isBeforeFirstRecord(parts: SequenceNumberParts, shard: ShardView): boolean {
  return parts.counter === 0n && parts.arrivalSec < shard.createdSec;
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

function partsOf(sequenceNumber: string, { shard, streamName, accountId }: ShardContext): SequenceNumberParts {
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
  return parts;
}

