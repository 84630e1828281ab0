/**
 * Record validation of S3 channels *(AWS)*: with RecordFormatType `STRING` every record must be
 * valid UTF-8, with `JSON` a valid JSON document; `BYTE_ARRAY` takes anything. Records that fail
 * go to the dead-letter queue instead of the destination.
 *
 * `ScreenedSource` wraps the stream source the delivery worker reads: rejected records are
 * written to the dead-letter queue (retried until they are stored) before the accepted ones are
 * handed on. A rejected record's position is committed only once every accepted record of its
 * shard read before it is delivered, so a checkpoint never passes a record still waiting for
 * delivery, and a closed parent shard still counts as read to its end when its last records were
 * rejected.
 */
import type { RecordSource, SourceRecord } from '../firehose/source.js';

export type S3RecordFormat = 'JSON' | 'STRING' | 'BYTE_ARRAY';

export interface RecordFailure {
  readonly errorCode: string;
  readonly message: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why `data` is not a record of `format`, or undefined when it is one. */
export function recordFailure(format: S3RecordFormat, data: Uint8Array): RecordFailure | undefined {
  if (format === 'BYTE_ARRAY') return undefined;
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return { errorCode: 'InvalidRecordFormat', message: `The record is not valid UTF-8, as RecordFormatType ${format} requires.` };
  }
  if (format === 'STRING') return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return { errorCode: 'InvalidRecordFormat', message: `The record is not a valid JSON document: ${(err as Error).message}` };
  }
}

export interface RejectedRecord {
  readonly record: SourceRecord;
  readonly failure: RecordFailure;
}

export interface ScreenOptions {
  readonly format: () => S3RecordFormat;
  /** Stores rejected records in the dead-letter queue; resolves false once delivery stopped. */
  readonly deadLetter: (rejected: readonly RejectedRecord[]) => Promise<boolean>;
}

export class ScreenedSource implements RecordSource {
  /** Shard → counters of accepted records handed out and not yet committed, oldest first. */
  private readonly outstanding = new Map<string, number[]>();
  /** Shard → rejected records stored in the dead-letter queue, not yet committed. */
  private readonly rejectedWaiting = new Map<string, SourceRecord[]>();

  constructor(private readonly inner: RecordSource, private readonly options: ScreenOptions) {}

  start(onAvailable: () => void): Promise<void> {
    return this.inner.start(onAvailable);
  }

  async readNew(): Promise<SourceRecord[]> {
    for (;;) {
      const chunk = await this.inner.readNew();
      if (chunk.length === 0) return [];
      const format = this.options.format();
      const accepted: SourceRecord[] = [];
      const rejected: RejectedRecord[] = [];
      for (const record of chunk) {
        const failure = recordFailure(format, record.data);
        if (failure) rejected.push({ record, failure });
        else accepted.push(record);
      }
      if (rejected.length > 0) {
        // Stopped before the dead-letter write: nothing is committed, so these records are read
        // again after a restart.
        if (!(await this.options.deadLetter(rejected))) return [];
        for (const { record } of rejected) listFor(this.rejectedWaiting, record.logId).push(record);
      }
      for (const record of accepted) listFor(this.outstanding, record.logId).push(record.counter);
      if (rejected.length > 0) {
        const committable = this.takeCommittableRejected();
        if (committable.length > 0) await this.inner.commit(committable);
      }
      if (accepted.length > 0) return accepted;
    }
  }

  async commit(delivered: readonly SourceRecord[]): Promise<void> {
    // The worker delivers in read order, so each shard's delivered records are its oldest
    // outstanding ones.
    const deliveredPerShard = new Map<string, number>();
    for (const record of delivered) deliveredPerShard.set(record.logId, (deliveredPerShard.get(record.logId) ?? 0) + 1);
    for (const [logId, count] of deliveredPerShard) this.outstanding.get(logId)?.splice(0, count);
    await this.inner.commit([...delivered, ...this.takeCommittableRejected()]);
  }

  /** Rejected records with no accepted record of their shard before them still undelivered. */
  private takeCommittableRejected(): SourceRecord[] {
    const out: SourceRecord[] = [];
    for (const [logId, waiting] of this.rejectedWaiting) {
      const firstOutstanding = this.outstanding.get(logId)?.[0] ?? Infinity;
      let taken = 0;
      while (taken < waiting.length && waiting[taken]!.counter < firstOutstanding) taken++;
      out.push(...waiting.splice(0, taken));
      if (waiting.length === 0) this.rejectedWaiting.delete(logId);
    }
    return out;
  }

  stop(): void {
    this.inner.stop();
  }
}

function listFor<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
