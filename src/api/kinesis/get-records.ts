import { javaDateString } from '../../domain/java-date.js';
import { kinesisLimits } from '../../domain/limits.js';
import { sequenceNumbersOfRecords } from '../../domain/sequence-number.js';
import type { ShardView, StreamView } from '../../domain/stream.js';
import { formatShardId } from '../../domain/shard-id.js';
import { ExpiredIteratorException, InvalidArgumentException } from '../../errors/kinesis.js';
import { shardNotFound } from '../../streams/messages.js';
import { translateLogError } from './record-input.js';
import type { KinesisOperation } from './deps.js';

interface GetRecordsInput {
  ShardIterator: string;
  Limit?: number;
  StreamARN?: string;
}

/**
 * Reads from the iterator's position up to Limit records and 10 MiB. An open shard always gives
 * a NextShardIterator; a closed shard read to its end gives none and names its children instead.
 */
export const getRecords: KinesisOperation = ({ streams, clock, iterators, limits, controlPlane }) => async (input: GetRecordsInput) => {
  const now = clock.now();
  const position = iterators.decode(input.ShardIterator);
  if (!position || position.issuedAtMs > now) throw new InvalidArgumentException('Invalid ShardIterator.');
  if (now - position.issuedAtMs > kinesisLimits.shardIteratorAgeMsMax) {
    throw new ExpiredIteratorException(
      `Iterator expired. The iterator was created at time ${javaDateString(position.issuedAtMs)} while right now it is ${javaDateString(now)} ` +
      `which is further in the future than the tolerated delay of ${kinesisLimits.shardIteratorAgeMsMax} milliseconds.`,
    );
  }
  const stream = streams.get(position.streamName);
  const shard = stream && stream.meta.uid === position.streamUid ? stream.shard(position.shardIndex) : undefined;
  if (!stream || !shard) throw shardNotFound(position.shardIndex, position.streamName, streams.accountId);
  limits.checkRead(stream.name, shard.id);

  const endCounter = shard.meta.endCounter;
  if (endCounter !== undefined && position.counter >= endCounter) {
    return { Records: [], MillisBehindLatest: 0, ChildShards: childShards(stream, shard) };
  }
  const maxRecords = Math.min(input.Limit ?? kinesisLimits.getRecordsRecordsMax, endCounter === undefined ? Infinity : endCounter - position.counter);
  let read;
  let bounds;
  try {
    read = await streams.read(shard, position.counter, { maxRecords, maxBytes: kinesisLimits.getRecordsBytesMax });
    bounds = await streams.bounds(shard);
  } catch (err) {
    throw translateLogError(err, stream, streams.accountId);
  }

  const codec = streams.recordCodec;
  let bytes = 0;
  // Records of one PutRecords share their arrival time: they share one Date too.
  let arrival = new Date(NaN);
  let arrivalMs = Number.NaN;
  const stored = read.records;
  const sequenceNumbers = sequenceNumbersOfRecords(shard.sequenceBase, stored);
  const records = stored.map((record, k): Record<string, unknown> => {
    bytes += record.data.byteLength + Buffer.byteLength(record.partitionKey, 'utf8');
    if (record.arrivalMs !== arrivalMs) {
      arrivalMs = record.arrivalMs;
      arrival = new Date(arrivalMs);
    }
    const decoded = codec !== undefined && record.attributes !== undefined ? codec.decode(stream, record) : undefined;
    const out: Record<string, unknown> = {
      SequenceNumber: sequenceNumbers[k],
      ApproximateArrivalTimestamp: arrival,
      Data: decoded ? decoded.data : record.data,
      PartitionKey: record.partitionKey,
    };
    if (decoded?.encrypted) out['EncryptionType'] = 'KMS';
    return out;
  });
  limits.chargeRead(stream.name, shard.id, bytes);

  const last = read.records[read.records.length - 1];
  const caughtUp = read.nextCounter >= bounds.nextCounter;
  const millisBehindLatest = caughtUp || !last || bounds.lastArrivalMs === undefined ? 0 : Math.max(0, bounds.lastArrivalMs - last.arrivalMs);
  controlPlane.metrics.recordsRead(stream.name, shard.id, records.length, bytes, last ? Math.max(0, now - last.arrivalMs) : 0);
  if (endCounter !== undefined && read.nextCounter >= endCounter) {
    return { Records: records, MillisBehindLatest: millisBehindLatest, ChildShards: childShards(stream, shard) };
  }
  return {
    Records: records,
    NextShardIterator: iterators.encode({ ...position, counter: read.nextCounter, issuedAtMs: now }),
    MillisBehindLatest: millisBehindLatest,
  };
};

function childShards(stream: StreamView, shard: ShardView): Record<string, unknown>[] {
  return stream.childrenOf(shard.index).map((child) => ({
    ShardId: child.id,
    ParentShards: [child.meta.parentIndex, child.meta.adjacentParentIndex].filter((index): index is number => index !== undefined).map(formatShardId),
    HashKeyRange: { StartingHashKey: child.meta.startingHashKey, EndingHashKey: child.meta.endingHashKey },
  }));
}
