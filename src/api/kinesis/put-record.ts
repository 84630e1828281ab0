import { decodeSequenceNumber, sequenceNumberFromBase } from '../../domain/sequence-number.js';
import { InvalidArgumentException } from '../../errors/kinesis.js';
import { checkRecordSize, recordBytes, routeRecord, toAppendRecord, translateLogError, type RecordEntry } from './record-input.js';
import type { KinesisOperation } from './deps.js';

interface PutRecordInput extends RecordEntry {
  StreamName?: string;
  StreamARN?: string;
  SequenceNumberForOrdering?: string;
}

export const putRecord: KinesisOperation = ({ streams, clock, limits, controlPlane }) => async (input: PutRecordInput) => {
  const stream = streams.resolveForIo(input);
  const shard = routeRecord(stream, input);
  const now = clock.now();
  if (input.SequenceNumberForOrdering !== undefined) {
    const parts = decodeSequenceNumber(input.SequenceNumberForOrdering);
    if (!parts || parts.arrivalSec * 1000 > now) {
      throw new InvalidArgumentException(
        `ExclusiveMinimumSequenceNumber ${input.SequenceNumberForOrdering} used in PutRecord on stream ${stream.name} under account ${streams.accountId} is invalid.`,
      );
    }
  }
  const bytes = recordBytes(input);
  checkRecordSize(stream, bytes, streams.accountId);
  limits.checkWrite(stream.name, shard.id, bytes);
  const record = toAppendRecord(streams, stream, input, now);
  let appended;
  try {
    appended = await streams.append(shard, [record]);
  } catch (err) {
    throw translateLogError(err, stream, streams.accountId);
  }
  controlPlane.metrics.recordsWritten(stream.name, shard.id, 1, bytes);
  return {
    ShardId: shard.id,
    SequenceNumber: sequenceNumberFromBase(shard.sequenceBase, appended.firstCounter, appended.arrivalMs[0]!),
    ...(record.attributes !== undefined ? { EncryptionType: 'KMS' } : {}),
  };
};
