import { kinesisLimits } from '../../domain/limits.js';
import { sequenceNumbersOfAppend } from '../../domain/sequence-number.js';
import type { ShardView } from '../../domain/stream.js';
import { InvalidArgumentException } from '../../errors/kinesis.js';
import type { AppendRecord, AppendResult } from '../../storage/types.js';
import { checkRecordSize, recordBytes, routeRecord, toAppendRecord, translateLogError, type RecordEntry } from './record-input.js';
import type { KinesisOperation } from './deps.js';

interface PutRecordsInput {
  StreamName?: string;
  StreamARN?: string;
  Records: RecordEntry[];
}

interface ShardBatch {
  readonly shard: ShardView;
  /** Positions in the request of the records in `records`, in the same order. */
  readonly positions: number[];
  readonly records: AppendRecord[];
}

type ResultEntry =
  | { SequenceNumber: string; ShardId: string }
  | { ErrorCode: string; ErrorMessage: string };

/**
 * Records are grouped per shard and each group is appended as one batch; the groups are issued
 * synchronously, in shard order, so concurrent callers keep per-key order. Results come back in
 * request order. A record the throughput limit refuses fails alone (AWS's partial failure shape).
 */
export const putRecords: KinesisOperation = ({ streams, clock, limits, controlPlane }) => async (input: PutRecordsInput) => {
  const stream = streams.resolveForIo(input);
  const entries = input.Records;
  const shards: ShardView[] = new Array(entries.length);
  const sizes: number[] = new Array(entries.length);
  let totalBytes = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    shards[i] = routeRecord(stream, entry);
    const bytes = recordBytes(entry);
    sizes[i] = bytes;
    totalBytes += bytes;
  }
  if (totalBytes > kinesisLimits.putRecordsBytesMax) throw new InvalidArgumentException('Records size exceeds 10 MB limit');
  for (let i = 0; i < entries.length; i++) checkRecordSize(stream, sizes[i]!, streams.accountId);

  const now = clock.now();
  const results: ResultEntry[] = new Array(entries.length);
  const batches = new Map<ShardView, ShardBatch>();
  let failed = 0;
  for (let i = 0; i < entries.length; i++) {
    const shard = shards[i]!;
    if (limits.enabled && !limits.admitWrite(stream.name, shard.id, sizes[i]!)) {
      results[i] = { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: limits.writeThrottledMessage(stream.name, shard.id) };
      failed += 1;
      continue;
    }
    let batch = batches.get(shard);
    if (!batch) {
      batch = { shard, positions: [], records: [] };
      batches.set(shard, batch);
    }
    batch.positions.push(i);
    batch.records.push(toAppendRecord(streams, stream, entries[i]!, now));
  }

  const groups = [...batches.values()];
  const appends: Promise<AppendResult>[] = groups.map((batch) => streams.append(batch.shard, batch.records));
  const settled = await Promise.allSettled(appends);
  let encrypted = false;
  for (let g = 0; g < groups.length; g++) {
    const { shard, positions, records } = groups[g]!;
    const outcome = settled[g]!;
    if (outcome.status === 'rejected') {
      const error = translateLogError(outcome.reason, stream, streams.accountId);
      if (error !== outcome.reason) throw error;
      for (const position of positions) results[position] = { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' };
      failed += positions.length;
      continue;
    }
    const { firstCounter, arrivalMs } = outcome.value;
    controlPlane.metrics.recordsWritten(stream.name, shard.id, positions.length, positions.reduce((sum, position) => sum + sizes[position]!, 0));
    const sequenceNumbers = sequenceNumbersOfAppend(shard.sequenceBase, firstCounter, arrivalMs);
    for (let k = 0; k < positions.length; k++) {
      results[positions[k]!] = { SequenceNumber: sequenceNumbers[k]!, ShardId: shard.id };
    }
    if (records[0]!.attributes !== undefined) encrypted = true;
  }
  return {
    FailedRecordCount: failed,
    Records: results,
    ...(encrypted ? { EncryptionType: 'KMS' } : {}),
  };
};
