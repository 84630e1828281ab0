/**
 * The storage interface every backend implements (embedded, memory, and later JetStream).
 *
 * Two parts:
 * - RecordLog: per-shard append-only logs. A record's position is its `counter`, a per-log
 *   integer that starts at 0 and increases by one per record, never reused (also not after a
 *   restart or a trim). Sequence numbers are built from it by the domain layer.
 * - MetaStore: small JSON documents under string keys with versions, changed atomically in
 *   batches with compare-and-set. Each subsystem owns a key prefix (`kinesis/stream/`,
 *   `kinesis/consumer/`, `firehose/streams/`, …; ARCHITECTURE.md lists them).
 *
 * A log is named by a `LogId` chosen by the caller (e.g. `<streamUid>/<shardIndex>`), made of
 * `[A-Za-z0-9_.-]` and `/`.
 */

export type LogId = string;

export interface AppendRecord {
  readonly partitionKey: string;
  readonly data: Uint8Array;
  /** Caller's arrival time. Stored arrival times never go backwards within a log: the store
   * raises a smaller value to the last stored one, so timestamp lookups can bisect. */
  readonly arrivalMs: number;
  /** Opaque per-record attributes for higher layers (e.g. encryption key id); small. */
  readonly attributes?: string;
}

export interface StoredRecord {
  readonly counter: number;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  readonly arrivalMs: number;
  readonly attributes?: string;
}

export interface AppendResult {
  /** Counter of the first record of the batch; the batch holds consecutive counters. */
  readonly firstCounter: number;
  /** Arrival times as stored (after the non-decreasing adjustment), one per record. */
  readonly arrivalMs: readonly number[];
}

export interface ReadLimits {
  readonly maxRecords: number;
  /** Stop before the record that would take the total of data + partition key bytes past this;
   * at least one record is always returned when one is available. */
  readonly maxBytes: number;
}

export interface ReadResult {
  readonly records: StoredRecord[];
  /** Counter to read from next time (one past the last returned, or the start position when
   * nothing was returned; raised to the trim horizon when the start was already trimmed). */
  readonly nextCounter: number;
}

export interface LogBounds {
  /** Oldest counter still stored (equals nextCounter when the log is empty). */
  readonly trimHorizon: number;
  /** Counter the next appended record will get. */
  readonly nextCounter: number;
  /** Arrival time of the newest stored record, if any. */
  readonly lastArrivalMs: number | undefined;
}

export interface RecordLog {
  /** Creates the log if needed. Idempotent. */
  createLog(id: LogId): Promise<void>;
  /** Durable per the configured fsync policy once the promise resolves. Batches from concurrent
   * callers to one log are applied in call order. */
  append(id: LogId, records: readonly AppendRecord[]): Promise<AppendResult>;
  read(id: LogId, fromCounter: number, limits: ReadLimits): Promise<ReadResult>;
  bounds(id: LogId): Promise<LogBounds>;
  /** Counter of the first stored record whose arrival is at or after `timestampMs`, or
   * `nextCounter` when there is none. An index lookup, not a scan. */
  findByTimestamp(id: LogId, timestampMs: number): Promise<number>;
  /** Drops records that arrived before `olderThanMs`. May keep a few older ones when they
   * share storage units with newer ones, but never returns them from read(). Returns the new
   * trim horizon. */
  trim(id: LogId, olderThanMs: number): Promise<number>;
  /** Removes a log and reclaims its storage. */
  deleteLog(id: LogId): Promise<void>;
  /** Calls `listener` with the new nextCounter after each durable append to `id`.
   * Returns a function that removes the listener. */
  onAppend(id: LogId, listener: (nextCounter: number) => void): () => void;
  close(): Promise<void>;
}

export interface MetaEntry<T = unknown> {
  readonly key: string;
  readonly value: T;
  /** Starts at 1 and grows by one on each put. */
  readonly version: number;
}

export type MetaOp =
  /** `expectVersion` 0 means the key must not exist; undefined means no check. */
  | { readonly op: 'put'; readonly key: string; readonly value: unknown; readonly expectVersion?: number }
  | { readonly op: 'delete'; readonly key: string; readonly expectVersion?: number };

export class MetaConflictError extends Error {
  constructor(readonly key: string, readonly expected: number, readonly actual: number) {
    super(`meta key ${key}: expected version ${expected}, found ${actual}`);
    this.name = 'MetaConflictError';
  }
}

export interface MetaStore {
  get<T>(key: string): Promise<MetaEntry<T> | undefined>;
  /** Entries whose key starts with `prefix`, ordered by key. */
  list<T>(prefix: string, options?: { startAfter?: string; limit?: number }): Promise<MetaEntry<T>[]>;
  /** Applies every op or none; throws MetaConflictError when a version check fails. */
  commit(ops: readonly MetaOp[]): Promise<void>;
  close(): Promise<void>;
}

export type FsyncPolicy = 'always' | 'interval' | 'never';

export interface Storage {
  readonly log: RecordLog;
  readonly meta: MetaStore;
  close(): Promise<void>;
}

/** Raised by append/read/bounds/findByTimestamp/trim for a log that was never created or was
 * deleted. */
export class LogNotFoundError extends Error {
  constructor(readonly logId: LogId) {
    super(`record log ${logId} does not exist`);
    this.name = 'LogNotFoundError';
  }
}

/** Raised by read() when stored bytes fail their checksum; the API layer answers InternalFailure.
 * The store never skips a corrupt record silently. */
export class LogCorruptError extends Error {
  constructor(readonly logId: LogId, readonly counter: number, detail: string) {
    super(`record log ${logId} is corrupt at counter ${counter}: ${detail}`);
    this.name = 'LogCorruptError';
  }
}
