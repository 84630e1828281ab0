/**
 * The embedded durable RecordLog: one directory of segment files per log under
 * `<dataDir>/logs/`. Logs are opened (and recovered) on first use, so start-up time does not
 * grow with the number of logs.
 */
import { writevSync } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import type { Logger } from '../../server/logger.js';
import { AppendListeners } from '../listeners.js';
import { assertValidLogId } from '../log-id.js';
import {
  LogNotFoundError,
  type AppendRecord,
  type AppendResult,
  type FsyncPolicy,
  type LogBounds,
  type LogId,
  type ReadLimits,
  type ReadResult,
  type RecordLog,
} from '../types.js';
import { ReadHandleCache } from './fd-cache.js';
import { syncDirectory } from './files.js';
import { LogHandle, type LogTuning } from './log-handle.js';
import { SYNC_WRITE_MAX_BYTES, SyncWriteGate } from './sync-write-gate.js';
import { WriteHandleBudget } from './write-handle-budget.js';

export interface EmbeddedRecordLogOptions {
  readonly logsDir: string;
  readonly fsync: FsyncPolicy;
  readonly fsyncIntervalMs: number;
  readonly log: Logger;
  readonly tuning?: Partial<LogTuning>;
}

export const DEFAULT_TUNING: LogTuning = {
  segmentBytes: 64 * 1024 * 1024,
  indexSpacing: { bytes: 64 * 1024, records: 1024 },
  checkpointBytes: 8 * 1024 * 1024,
  // Half the common 1,024-descriptor default soft limit, leaving room for read handles and sockets.
  maxOpenWriteFiles: 512,
  openWriteFile: (path, flags) => open(path, flags),
  syncWriteMaxBytes: SYNC_WRITE_MAX_BYTES,
  writevSync,
  writeClock: { now: () => performance.now() },
};

/** A log not written for this long gives its segment write handle back. */
const IDLE_RELEASE_MS = 30_000;

interface Waiter {
  run(handle: LogHandle): void;
  fail(err: unknown): void;
}

/** A log is either being opened (callers queue, in call order) or open. */
interface Slot {
  handle: LogHandle | undefined;
  waiters: Waiter[];
  opening: Promise<LogHandle>;
}

/** `/` in a log id becomes `+` in the directory name, which keeps one flat directory per log. */
export function logDirectoryName(id: LogId): string {
  return id.replaceAll('/', '+');
}

export class EmbeddedRecordLog implements RecordLog {
  private readonly slots = new Map<LogId, Slot>();
  /** Logs whose removal is in progress: they count as absent. */
  private readonly deleting = new Map<LogId, Promise<void>>();
  private readonly listeners: AppendListeners;
  private readonly readHandles = new ReadHandleCache();
  private readonly tuning: LogTuning;
  private readonly writeHandles: WriteHandleBudget;
  private readonly syncWrites: SyncWriteGate;
  private readonly syncTimer: NodeJS.Timeout | undefined;
  private readonly idleTimer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: EmbeddedRecordLogOptions) {
    this.listeners = new AppendListeners(options.log);
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.writeHandles = new WriteHandleBudget(this.tuning.maxOpenWriteFiles, options.log);
    this.syncWrites = new SyncWriteGate(this.tuning.syncWriteMaxBytes, this.tuning.writeClock);
    if (options.fsync === 'interval') {
      this.syncTimer = setInterval(() => {
        for (const slot of this.slots.values()) slot.handle?.requestSync();
      }, options.fsyncIntervalMs);
      this.syncTimer.unref();
    }
    this.idleTimer = setInterval(() => void this.releaseIdleFiles(IDLE_RELEASE_MS), IDLE_RELEASE_MS / 3);
    this.idleTimer.unref();
  }

  static async open(options: EmbeddedRecordLogOptions): Promise<EmbeddedRecordLog> {
    await mkdir(options.logsDir, { recursive: true });
    return new EmbeddedRecordLog(options);
  }

  async createLog(id: LogId): Promise<void> {
    assertValidLogId(id);
    this.assertOpen();
    await this.deleting.get(id);
    const dir = this.dirOf(id);
    const created = await mkdir(dir, { recursive: true });
    if (created !== undefined) await syncDirectory(this.options.logsDir);
  }

  append(id: LogId, records: readonly AppendRecord[]): Promise<AppendResult> {
    const slot = this.slots.get(id);
    if (slot?.handle) return slot.handle.append(records);
    // The log opens asynchronously; the records are encoded later, so copy the caller's bytes now.
    const copied = records.map((record) => ({ ...record, data: Uint8Array.from(record.data) }));
    return new Promise((resolve, reject) => {
      this.enqueue(id, { run: (handle) => handle.append(copied).then(resolve, reject), fail: reject });
    });
  }

  async read(id: LogId, fromCounter: number, limits: ReadLimits): Promise<ReadResult> {
    return (await this.handle(id)).read(fromCounter, limits);
  }

  async bounds(id: LogId): Promise<LogBounds> {
    return (await this.handle(id)).bounds();
  }

  async findByTimestamp(id: LogId, timestampMs: number): Promise<number> {
    return (await this.handle(id)).findByTimestamp(timestampMs);
  }

  async trim(id: LogId, olderThanMs: number): Promise<number> {
    return (await this.handle(id)).trim(olderThanMs);
  }

  async deleteLog(id: LogId): Promise<void> {
    assertValidLogId(id);
    this.assertOpen();
    const earlier = this.deleting.get(id);
    if (earlier) return earlier;
    const deletion = this.removeLog(id).finally(() => this.deleting.delete(id));
    this.deleting.set(id, deletion);
    return deletion;
  }

  private async removeLog(id: LogId): Promise<void> {
    const slot = this.slots.get(id);
    let handle: LogHandle | undefined;
    if (slot) {
      handle = await slot.opening.catch(() => undefined);
      if (this.slots.get(id) === slot) this.slots.delete(id);
    }
    if (handle) await handle.destroy();
    else await rm(this.dirOf(id), { recursive: true, force: true });
    await syncDirectory(this.options.logsDir);
  }

  /** Closes the write handles of logs not written for `idleMs` (run on a timer; public for tests). */
  async releaseIdleFiles(idleMs: number): Promise<void> {
    await Promise.all([...this.slots.values()].map((slot) => slot.handle?.releaseIfIdle(idleMs)));
  }

  /** Segment write handles open right now, across all logs (for tests and diagnostics). */
  get openWriteFiles(): number {
    return this.writeHandles.openCount;
  }

  onAppend(id: LogId, listener: (nextCounter: number) => void): () => void {
    return this.listeners.add(id, listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.syncTimer) clearInterval(this.syncTimer);
    clearInterval(this.idleTimer);
    const entries = [...this.slots];
    const handles = await Promise.all(entries.map(([, slot]) => slot.opening.catch(() => undefined)));
    const outcomes = await Promise.allSettled(handles.map((handle) => handle?.close()));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') this.options.log.error('closing a record log failed', { logId: entries[i]![0], error: String(outcome.reason) });
    });
    this.slots.clear();
    await this.readHandles.closeAll();
  }

  private handle(id: LogId): Promise<LogHandle> {
    const slot = this.slots.get(id);
    if (slot?.handle) return Promise.resolve(slot.handle);
    return new Promise((resolve, reject) => this.enqueue(id, { run: resolve, fail: reject }));
  }

  /** Runs `waiter` once the log is open; waiters run in the order they were queued, before any
   * later caller can reach the open handle. */
  private enqueue(id: LogId, waiter: Waiter): void {
    try {
      assertValidLogId(id);
      this.assertOpen();
      if (this.deleting.has(id)) throw new LogNotFoundError(id);
    } catch (err) {
      waiter.fail(err);
      return;
    }
    const existing = this.slots.get(id);
    if (existing) {
      if (existing.handle) waiter.run(existing.handle);
      else existing.waiters.push(waiter);
      return;
    }
    const slot: Slot = { handle: undefined, waiters: [waiter], opening: undefined as unknown as Promise<LogHandle> };
    slot.opening = this.openLog(id);
    this.slots.set(id, slot);
    slot.opening.then(
      (handle) => {
        slot.handle = handle;
        for (const w of slot.waiters.splice(0)) w.run(handle);
      },
      (err) => {
        if (this.slots.get(id) === slot) this.slots.delete(id);
        for (const w of slot.waiters.splice(0)) w.fail(err);
      },
    );
  }

  private async openLog(id: LogId): Promise<LogHandle> {
    const dir = this.dirOf(id);
    try {
      if (!(await stat(dir)).isDirectory()) throw new LogNotFoundError(id);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new LogNotFoundError(id);
      throw err;
    }
    return LogHandle.open({
      id,
      dir,
      fsync: this.options.fsync,
      tuning: this.tuning,
      readHandles: this.readHandles,
      writeHandles: this.writeHandles,
      syncWrites: this.syncWrites,
      log: this.options.log,
      onDurable: (logId, nextCounter) => this.listeners.notify(logId, nextCounter),
    });
  }

  private dirOf(id: LogId): string {
    return join(this.options.logsDir, logDirectoryName(id));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('storage is closed');
  }
}
