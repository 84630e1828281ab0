/**
 * Turning PutRecord/PutRecords entries into log appends: hash key, shard routing, size limits and
 * the record codec. Everything here is synchronous so that appends are issued in request order.
 */
import { randomBytes } from 'node:crypto';
import { HASH_KEY_MAX } from '../../domain/hash-key.js';
import type { ShardView, StreamView } from '../../domain/stream.js';
import { InvalidArgumentException } from '../../errors/kinesis.js';
import { LogNotFoundError, type AppendRecord } from '../../storage/types.js';
import { streamNotFound } from '../../streams/messages.js';
import type { StreamService } from '../../streams/stream-service.js';

export interface RecordEntry {
  readonly Data: Uint8Array;
  readonly PartitionKey: string;
  readonly ExplicitHashKey?: string;
}

function explicitHashKey(text: string): bigint {
  const hashKey = BigInt(text);
  if (hashKey > HASH_KEY_MAX) {
    throw new InvalidArgumentException(
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${text}`,
    );
  }
  return hashKey;
}

/** The open shard a record goes to: by its own hash key (ExplicitHashKey, else MD5 of the
 * partition key), or by a random one when the stream's record distribution strategy is AUTO (AWS
 * then ignores PartitionKey and ExplicitHashKey, but still checks ExplicitHashKey's range). */
export function routeRecord(stream: StreamView, entry: RecordEntry): ShardView {
  const explicit = entry.ExplicitHashKey === undefined ? undefined : explicitHashKey(entry.ExplicitHashKey);
  if (stream.meta.recordDistributionStrategy === 'AUTO') {
    const random = randomBytes(16);
    return stream.route((random.readBigUInt64BE(0) << 64n) | random.readBigUInt64BE(8));
  }
  return explicit === undefined ? stream.routePartitionKey(entry.PartitionKey) : stream.route(explicit);
}

/** Data plus UTF-8 partition key: what AWS counts against record and request size limits. */
export function recordBytes(entry: RecordEntry): number {
  return entry.Data.byteLength + Buffer.byteLength(entry.PartitionKey, 'utf8');
}

export function checkRecordSize(stream: StreamView, bytes: number, accountId: string): void {
  if (bytes > stream.maxRecordBytes) {
    throw new InvalidArgumentException(
      `Record size ${bytes} bytes (data and partition key) exceeds the maximum record size of ${stream.meta.maxRecordSizeKiB} KiB ` +
      `for stream ${stream.name} under account ${accountId}.`,
    );
  }
}

export function toAppendRecord(streams: StreamService, stream: StreamView, entry: RecordEntry, arrivalMs: number): AppendRecord {
  const codec = streams.recordCodec;
  if (!codec) return { partitionKey: entry.PartitionKey, data: entry.Data, arrivalMs };
  const encoded = codec.encode(stream, entry.Data);
  return {
    partitionKey: entry.PartitionKey,
    data: encoded.data,
    arrivalMs,
    ...(encoded.attributes !== undefined ? { attributes: encoded.attributes } : {}),
  };
}

/** A log that vanished under a write or read means the stream was deleted meanwhile. */
export function translateLogError(err: unknown, stream: StreamView, accountId: string): unknown {
  return err instanceof LogNotFoundError ? streamNotFound(stream.name, accountId) : err;
}
