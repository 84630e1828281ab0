import { decodeSequenceNumber } from '../../domain/sequence-number.js';
import { formatShardId, parseShardId } from '../../domain/shard-id.js';
import { InvalidArgumentException } from '../../errors/kinesis.js';
import { shardIdUnparseable, shardNotFound } from '../../streams/messages.js';
import { translateLogError } from './record-input.js';
import type { KinesisOperation } from './deps.js';

type ShardIteratorType = 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

interface GetShardIteratorInput {
  StreamName?: string;
  StreamARN?: string;
  ShardId: string;
  ShardIteratorType: ShardIteratorType;
  StartingSequenceNumber?: string;
  Timestamp?: Date;
}

const TYPE_RULE = 'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
  '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified';

/** Checks in AWS's order: shard id spelling, stream and shard existence, then the type and its
 * position argument. */
export const getShardIterator: KinesisOperation = ({ streams, clock, iterators, limits }) => async (input: GetShardIteratorInput) => {
  const accountId = streams.accountId;
  const name = streams.resolveName(input);
  const shardIndex = parseShardId(input.ShardId);
  if (shardIndex === undefined) throw shardIdUnparseable(input.ShardId, name, accountId);
  const stream = streams.get(name);
  const shard = stream?.shard(shardIndex);
  if (!stream || !shard) throw shardNotFound(shardIndex, name, accountId);
  limits.checkGetShardIterator(stream.name, shard.id);

  const type = input.ShardIteratorType;
  const sequenceNumber = input.StartingSequenceNumber;
  const now = clock.now();
  let counter: number;
  try {
    if (type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') {
      if (sequenceNumber === undefined) throw new InvalidArgumentException(`${TYPE_RULE} ${type} and no StartingSequenceNumber.`);
      const invalid = `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard ${shard.id} in stream ${name} under account ${accountId} is invalid`;
      const parts = decodeSequenceNumber(sequenceNumber);
      if (!parts) throw new InvalidArgumentException(`${invalid}.`);
      if (parts.shardIndex !== shard.index) {
        throw new InvalidArgumentException(
          `Invalid StartingSequenceNumber. It encodes ${formatShardId(parts.shardIndex)}, while it was used in a call to a shard with ${shard.id}`,
        );
      }
      if (parts.shardCreatedSec !== shard.createdSec) throw new InvalidArgumentException(`${invalid} because it did not come from this stream.`);
      const position = parts.counter + (type === 'AFTER_SEQUENCE_NUMBER' ? 1n : 0n);
      counter = position > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(position);
    } else if (type === 'AT_TIMESTAMP') {
      const timestamp = input.Timestamp;
      if (timestamp === undefined) {
        throw new InvalidArgumentException('Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.');
      }
      const timestampMs = timestamp.getTime();
      if (timestampMs > now) {
        throw new InvalidArgumentException(
          `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${timestampMs}, currentTimestampInMillis: ${now}`,
        );
      }
      counter = await streams.findByTimestamp(shard, timestampMs);
    } else {
      if (sequenceNumber !== undefined) throw new InvalidArgumentException(`${TYPE_RULE} ${type} and also a StartingSequenceNumber.`);
      counter = type === 'TRIM_HORIZON' ? 0 : await streams.tipCounter(shard);
    }
  } catch (err) {
    throw translateLogError(err, stream, accountId);
  }
  if (shard.meta.endCounter !== undefined) counter = Math.min(counter, shard.meta.endCounter);
  return {
    ShardIterator: iterators.encode({ streamName: stream.name, streamUid: stream.meta.uid, shardIndex: shard.index, counter, issuedAtMs: now }),
  };
};
