/**
 * In-memory RecordLog, for `--in-memory` and fast tests of higher layers. Not durable: everything
 * is lost when the process ends, and retained data lives in the heap.
 */
import type { Logger } from '../../server/logger.js';
import { AppendListeners } from '../listeners.js';
import { assertValidLogId } from '../log-id.js';
import {
  LogNotFoundError,
  type AppendRecord,
  type AppendResult,
  type LogBounds,
  type LogId,
  type ReadLimits,
  type ReadResult,
  type RecordLog,
  type StoredRecord,
} from '../types.js';

interface MemoryRecord extends StoredRecord {
  readonly size: number;
}

interface MemoryLogState {
  /** records[i] has counter trimHorizon + i. */
  records: MemoryRecord[];
  trimHorizon: number;
}

export class MemoryRecordLog implements RecordLog {
  private readonly logs = new Map<LogId, MemoryLogState>();
  private readonly listeners: AppendListeners;

  constructor(log: Logger) {
    this.listeners = new AppendListeners(log);
  }

  async createLog(id: LogId): Promise<void> {
    assertValidLogId(id);
    if (!this.logs.has(id)) this.logs.set(id, { records: [], trimHorizon: 0 });
  }

  async append(id: LogId, records: readonly AppendRecord[]): Promise<AppendResult> {
    const state = this.state(id);
    const firstCounter = state.trimHorizon + state.records.length;
    let floor = state.records.length > 0 ? state.records[state.records.length - 1]!.arrivalMs : -Infinity;
    const arrivals: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const input = records[i]!;
      const arrivalMs = Math.max(floor, input.arrivalMs);
      floor = arrivalMs;
      arrivals.push(arrivalMs);
      state.records.push({
        counter: firstCounter + i,
        partitionKey: input.partitionKey,
        data: Uint8Array.from(input.data),
        arrivalMs,
        ...(input.attributes !== undefined ? { attributes: input.attributes } : {}),
        size: Buffer.byteLength(input.partitionKey) + input.data.byteLength,
      });
    }
    if (records.length > 0) this.listeners.notify(id, firstCounter + records.length);
    return { firstCounter, arrivalMs: arrivals };
  }

  async read(id: LogId, fromCounter: number, limits: ReadLimits): Promise<ReadResult> {
    const state = this.state(id);
    const start = Math.max(fromCounter, state.trimHorizon);
    const out: StoredRecord[] = [];
    let bytes = 0;
    for (let i = start - state.trimHorizon; i < state.records.length && out.length < limits.maxRecords; i++) {
      const record = state.records[i]!;
      if (out.length > 0 && bytes + record.size > limits.maxBytes) break;
      bytes += record.size;
      out.push(toStored(record));
    }
    return { records: out, nextCounter: start + out.length };
  }

  async bounds(id: LogId): Promise<LogBounds> {
    const state = this.state(id);
    const last = state.records[state.records.length - 1];
    return {
      trimHorizon: state.trimHorizon,
      nextCounter: state.trimHorizon + state.records.length,
      lastArrivalMs: last?.arrivalMs,
    };
  }

  async findByTimestamp(id: LogId, timestampMs: number): Promise<number> {
    const state = this.state(id);
    return state.trimHorizon + firstAtOrAfter(state.records, timestampMs);
  }

  async trim(id: LogId, olderThanMs: number): Promise<number> {
    const state = this.state(id);
    const drop = firstAtOrAfter(state.records, olderThanMs);
    if (drop > 0) {
      state.records = state.records.slice(drop);
      state.trimHorizon += drop;
    }
    return state.trimHorizon;
  }

  async deleteLog(id: LogId): Promise<void> {
    this.logs.delete(id);
  }

  onAppend(id: LogId, listener: (nextCounter: number) => void): () => void {
    return this.listeners.add(id, listener);
  }

  async close(): Promise<void> {
    this.logs.clear();
  }

  private state(id: LogId): MemoryLogState {
    const state = this.logs.get(id);
    if (!state) throw new LogNotFoundError(id);
    return state;
  }
}

/** Index of the first record with arrivalMs >= timestampMs (arrivals never decrease). */
function firstAtOrAfter(records: readonly MemoryRecord[], timestampMs: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.arrivalMs < timestampMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toStored(record: MemoryRecord): StoredRecord {
  return {
    counter: record.counter,
    partitionKey: record.partitionKey,
    data: record.data,
    arrivalMs: record.arrivalMs,
    ...(record.attributes !== undefined ? { attributes: record.attributes } : {}),
  };
}
