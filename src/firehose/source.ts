/**
 * Where a delivery stream's records come from, and how delivered progress is remembered.
 *
 * Every record a source hands out is identified by the log it was read from and its counter in
 * that log. After a batch is delivered the worker calls `commit`, which persists, per log, the
 * counter up to which everything was delivered; after a restart reading resumes there, so every
 * acknowledged record is delivered at least once.
 */
import type { MetaStore, RecordLog } from '../storage/types.js';

export interface SourceRecord {
  readonly logId: string;
  readonly counter: number;
  readonly arrivalMs: number;
  readonly data: Uint8Array;
}

export interface RecordSource {
  /** Calls `onAvailable` whenever new records may be readable. */
  start(onAvailable: () => void): Promise<void>;
  /** The next chunk of records after the ones returned before, oldest first; empty when there
   * are none yet. */
  readNew(): Promise<SourceRecord[]>;
  /** Marks `delivered` (a prefix of what was read, in order) as delivered. */
  commit(delivered: readonly SourceRecord[]): Promise<void>;
  stop(): void;
}

interface BufferCheckpoint {
  readonly nextCounter: number;
}

const READ_MAX_RECORDS = 10_000;
const READ_MAX_BYTES = 16 * 1024 * 1024;

/**
 * DirectPut: the delivery stream's own buffer log, appended by PutRecord/PutRecordBatch before
 * they acknowledge. Delivered records are trimmed from the log.
 */
export class BufferLogSource implements RecordSource {
  private cursor = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly log: RecordLog,
    private readonly meta: MetaStore,
    private readonly logId: string,
    private readonly checkpointKey: string,
  ) {}

  async start(onAvailable: () => void): Promise<void> {
    const checkpoint = await this.meta.get<BufferCheckpoint>(this.checkpointKey);
    const bounds = await this.log.bounds(this.logId);
    this.cursor = Math.max(checkpoint?.value.nextCounter ?? 0, bounds.trimHorizon);
    this.unsubscribe = this.log.onAppend(this.logId, () => onAvailable());
    onAvailable();
  }

  async readNew(): Promise<SourceRecord[]> {
    const result = await this.log.read(this.logId, this.cursor, { maxRecords: READ_MAX_RECORDS, maxBytes: READ_MAX_BYTES });
    this.cursor = result.nextCounter;
    return result.records.map((record) => ({ logId: this.logId, counter: record.counter, arrivalMs: record.arrivalMs, data: record.data }));
  }

  async commit(delivered: readonly SourceRecord[]): Promise<void> {
    const last = delivered[delivered.length - 1];
    if (!last) return;
    await this.meta.commit([{ op: 'put', key: this.checkpointKey, value: { nextCounter: last.counter + 1 } satisfies BufferCheckpoint }]);
    // Arrival times never decrease within a log, so everything that arrived before the last
    // delivered record is delivered too.
    await this.log.trim(this.logId, last.arrivalMs);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
