/**
 * One open log of the embedded backend: its segments, the group-commit write loop, reads,
 * timestamp lookups and retention.
 *
 * Appends get their counters and are encoded (one Buffer per append call) synchronously, in call
 * order. A single write loop per log then takes every append waiting at that moment, writes them
 * with one writev, fsyncs once when the policy is `always`, and only then makes them visible to
 * readers and resolves them. Readers never see a record that has not been acknowledged, so a
 * counter a reader saw is never handed out again after a crash. A small write while no other log
 * has anything to write runs synchronously on the event loop (sync-write-gate.ts); the others go
 * through the thread pool.
 */
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../server/logger.js';
import {
  LogCorruptError,
  LogNotFoundError,
  type AppendRecord,
  type AppendResult,
  type FsyncPolicy,
  type LogBounds,
  type LogId,
  type ReadLimits,
  type ReadResult,
  type StoredRecord,
} from '../types.js';
import { crc32c } from './crc32c.js';
import type { ReadHandleCache } from './fd-cache.js';
import { decodeLogState, encodeLogState, readAt, replaceFile, syncDirectory, type LogState } from './files.js';
import {
  BODY_FIXED_BYTES,
  checkFrame,
  FrameHeader,
  checkSegmentHeader,
  encodeSegmentHeader,
  FRAME_OVERHEAD_BYTES,
  FRAME_PREFIX_BYTES,
  MAX_ATTRIBUTES_BYTES,
  parseSegmentFileName,
  readU32,
  SEGMENT_HEADER_BYTES,
  segmentFileName,
  writeU64,
} from './format.js';
import { scanSegment } from './recovery.js';
import { Segment, type IndexSpacing } from './segment.js';
import { decodeIndexFile, encodeIndexFile } from './sparse-index.js';
import type { SyncWriteGate } from './sync-write-gate.js';
import type { WriteHandleBudget, WriteHandleHolder } from './write-handle-budget.js';

export interface LogTuning {
  readonly segmentBytes: number;
  readonly indexSpacing: IndexSpacing;
  /** Rewrite the active segment's index file after this many new bytes, so a restart scans at
   * most this much. */
  readonly checkpointBytes: number;
  /** Segment write handles held open at once across all logs; idle logs past it close theirs. */
  readonly maxOpenWriteFiles: number;
  /** Opens a segment file for writing (replaceable so tests can simulate running out of descriptors). */
  readonly openWriteFile: (path: string, flags: number) => Promise<FileHandle>;
  /** Largest batch written synchronously on the event loop when no other log is writing
   * (`always` with O_DSYNC only; see sync-write-gate.ts); 0 sends every write to the thread pool. */
  readonly syncWriteMaxBytes: number;
  /** The synchronous positional writev (replaceable so tests can see which path a write took and
   * make it fail). */
  readonly writevSync: (fd: number, buffers: readonly NodeJS.ArrayBufferView[], position: number) => number;
  /** Monotonic milliseconds, timing synchronous writes to notice a slow disk. */
  readonly writeClock: Clock;
}

export interface LogHandleOptions {
  readonly id: LogId;
  readonly dir: string;
  readonly fsync: FsyncPolicy;
  readonly tuning: LogTuning;
  readonly readHandles: ReadHandleCache;
  readonly writeHandles: WriteHandleBudget;
  /** Shared by the logs of one storage instance: whether a write may skip the thread pool. */
  readonly syncWrites: SyncWriteGate;
  readonly log: Logger;
  readonly onDurable: (id: LogId, nextCounter: number) => void;
}

interface PendingAppend {
  /** The append's frames, back to back; each frame's size is read back from its length prefix. */
  readonly buffer: Buffer;
  readonly firstCounter: number;
  readonly arrivals: number[];
  /** The arrival floor before this append, restored when its batch is refused unwritten. */
  readonly arrivalFloorBefore: number;
  resolve(result: AppendResult): void;
  reject(err: unknown): void;
}

interface ExclusiveTask {
  run(): Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

const STATE_FILE = 'state';
const MAX_KEY_BYTES = 0xffff;
const MIN_READ_BYTES = 64 * 1024;
const MAX_READ_BYTES = 8 * 1024 * 1024;
/** Undefined on platforms without it (Windows); writes are then followed by an fdatasync. */
const O_DSYNC: number | undefined = fsConstants.O_DSYNC;
/** Attempts at a descriptor-needing write step while the process is out of descriptors. */
const OPEN_ATTEMPTS = 6;
/** Idle write handles of other logs closed before each retry. */
const HANDLES_FREED_PER_RETRY = 8;
const RETRY_BACKOFF_MS = 10;

/** Key and attribute byte lengths of the append being encoded, two per record. append() runs
 * synchronously, so one scratch array serves every log. */
let lengthScratch = new Uint32Array(2 * 512);

/** Opening a segment for writing failed for lack of descriptors; nothing of the batch was written. */
export class SegmentOpenError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'SegmentOpenError';
  }
}

function outOfDescriptors(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EMFILE' || code === 'ENFILE';
}

export class LogHandle implements WriteHandleHolder {
  private readonly id: LogId;
  private readonly dir: string;
  private readonly log: Logger;
  private segments: Segment[] = [];
  private active: Segment | undefined;
  private activeFile: FileHandle | undefined;
  private lastWriteMs = Date.now();
  /** Seeds every frame CRC of this log (kept in the state file and every segment header). */
  private salt = 0;
  private trimHorizon = 0;
  /** Counter the next append gets (includes appends not yet durable). */
  private assignedCounter = 0;
  private lastAssignedArrival = -Infinity;
  /** Counters below this are durable per the policy and visible to readers. */
  private visibleCounter = 0;
  private visibleLastArrival = Number.NaN;
  private pending: PendingAppend[] = [];
  private tasks: ExclusiveTask[] = [];
  private running = false;
  /** Counted in the sync-write gate: appends are waiting or the write loop is writing them. */
  private busy = false;
  private syncRequested = false;
  /** Set once the current flush may have put bytes into a segment; until then a failure leaves
   * the log as it was. */
  private flushWroteBytes = false;
  private dirty = false;
  private failure: Error | undefined;
  private state: 'open' | 'closed' | 'deleted' = 'open';
  private trimChain: Promise<unknown> = Promise.resolve();
  /**
   * Under `always`, segment write handles are opened with O_DSYNC: a write then returns once its
   * data is durable, the same guarantee as a write followed by fdatasync, in one trip to the
   * thread pool instead of two (or none, for a synchronous write).
   */
  private readonly writeSyncs: boolean;

  private constructor(private readonly options: LogHandleOptions) {
    this.id = options.id;
    this.dir = options.dir;
    this.log = options.log.child({ logId: options.id });
    this.writeSyncs = options.fsync === 'always' && O_DSYNC !== undefined;
  }

  static async open(options: LogHandleOptions): Promise<LogHandle> {
    const handle = new LogHandle(options);
    await handle.recover();
    // Counted only now: the budget must not close the handle while recovery still uses it.
    if (handle.activeFile) options.writeHandles.opened(handle);
    return handle;
  }

  // ---------------------------------------------------------------- append

  append(records: readonly AppendRecord[]): Promise<AppendResult> {
    if (this.state === 'deleted') return Promise.reject(new LogNotFoundError(this.id));
    if (this.state === 'closed') return Promise.reject(new Error('storage is closed'));
    if (this.failure) return Promise.reject(this.failure);
    const count = records.length;
    if (count === 0) return Promise.resolve({ firstCounter: this.assignedCounter, arrivalMs: [] });

    if (lengthScratch.length < 2 * count) lengthScratch = new Uint32Array(2 * count);
    const lengths = lengthScratch;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      const keyLength = Buffer.byteLength(record.partitionKey);
      const attributeLength = record.attributes === undefined ? 0 : Buffer.byteLength(record.attributes);
      if (keyLength > MAX_KEY_BYTES) return Promise.reject(new RangeError(`partition key of ${keyLength} bytes is too long to store`));
      if (attributeLength > MAX_ATTRIBUTES_BYTES) return Promise.reject(new RangeError(`record attributes of ${attributeLength} bytes are too long to store`));
      lengths[2 * i] = keyLength;
      lengths[2 * i + 1] = attributeLength;
      total += FRAME_OVERHEAD_BYTES + keyLength + attributeLength + record.data.byteLength;
    }

    const firstCounter = this.assignedCounter;
    const arrivalFloorBefore = this.lastAssignedArrival;
    const buffer = Buffer.allocUnsafe(total);
    const arrivals = new Array<number>(count);
    let floor = this.assignedCounter > this.trimHorizon ? this.lastAssignedArrival : -Infinity;
    let at = 0;
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      const keyLength = lengths[2 * i]!;
      const attributeLength = lengths[2 * i + 1]!;
      const dataLength = record.data.byteLength;
      const arrivalMs = record.arrivalMs > floor ? record.arrivalMs : floor;
      floor = arrivalMs;
      arrivals[i] = arrivalMs;
      const body = at + FRAME_PREFIX_BYTES;
      const bodyLength = BODY_FIXED_BYTES + keyLength + attributeLength + dataLength;
      buffer.writeUInt32LE(bodyLength, at);
      writeU64(buffer, firstCounter + i, body);
      buffer.writeDoubleLE(arrivalMs, body + 8);
      buffer.writeUInt16LE(keyLength, body + 16);
      buffer.writeUInt16LE(attributeLength, body + 18);
      buffer.writeUInt32LE(dataLength, body + 20);
      let field = body + BODY_FIXED_BYTES;
      field = writeKey(buffer, record.partitionKey, keyLength, field);
      if (attributeLength > 0) field += buffer.write(record.attributes!, field, attributeLength, 'utf8');
      buffer.set(record.data, field);
      buffer.writeUInt32LE(crc32c(buffer, body, body + bodyLength, this.salt), at + 4);
      at = body + bodyLength;
    }
    this.assignedCounter = firstCounter + count;
    this.lastAssignedArrival = floor;

    return new Promise<AppendResult>((resolve, reject) => {
      // The write starts in a microtask rather than at once: appends issued in the same turn of
      // the event loop (several requests parsed from one read) then share one durable write.
      if (this.pending.push({ buffer, firstCounter, arrivals, arrivalFloorBefore, resolve, reject }) !== 1) return;
      // Counted now rather than when the write starts: a log whose write is still a microtask
      // away must already keep the others off the synchronous path.
      if (!this.busy) {
        this.busy = true;
        this.options.syncWrites.logBusy();
      }
      if (!this.running) queueMicrotask(this.kickCallback);
    });
  }

  /** Asks the write loop to fsync what was written since the last fsync (`interval` policy). */
  requestSync(): void {
    if (!this.dirty || this.state !== 'open') return;
    this.syncRequested = true;
    this.kick();
  }

  private readonly kickCallback = (): void => this.kick();

  private kick(): void {
    if (this.running) return;
    this.running = true;
    void this.runLoop();
  }

  private async runLoop(): Promise<void> {
    try {
      for (;;) {
        if (this.pending.length > 0) {
          const batch = this.pending;
          this.pending = [];
          await this.flush(batch);
        } else if (this.syncRequested) {
          this.syncRequested = false;
          await this.syncActive();
        } else if (this.tasks.length > 0) {
          const task = this.tasks.shift()!;
          try {
            await task.run();
            task.resolve();
          } catch (err) {
            task.reject(err);
          }
        } else {
          return;
        }
      }
    } finally {
      this.running = false;
      if (this.busy) {
        this.busy = false;
        this.options.syncWrites.logIdle();
      }
      this.options.writeHandles.idle();
    }
  }

  /** Runs `run` between flushes, when no write is in progress. */
  private exclusive(run: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.tasks.push({ run, resolve, reject });
      this.kick();
    });
  }

  private async flush(batch: PendingAppend[]): Promise<void> {
    if (this.failure) {
      for (const append of batch) append.reject(this.failure);
      return;
    }
    this.flushWroteBytes = false;
    try {
      await this.write(batch);
    } catch (err) {
      if (err instanceof SegmentOpenError && !this.flushWroteBytes) {
        this.refuseUnwritten(batch, err);
        return;
      }
      this.failure = new Error(`record log ${this.id}: write failed, appends refused until restart: ${String(err)}`, { cause: err });
      this.log.error('append write failed; log refuses appends until restart', { error: String(err) });
      for (const append of batch) append.reject(this.failure);
      for (const append of this.pending.splice(0)) append.reject(this.failure);
      return;
    }
    const last = batch[batch.length - 1]!;
    this.visibleCounter = last.firstCounter + last.arrivals.length;
    this.visibleLastArrival = last.arrivals[last.arrivals.length - 1]!;
    this.options.onDurable(this.id, this.visibleCounter);
    for (const append of batch) append.resolve({ firstCounter: append.firstCounter, arrivalMs: append.arrivals });
    const active = this.active;
    if (active && active.endOffset - active.indexedOffset >= this.options.tuning.checkpointBytes) {
      await this.writeIndex(active).catch((err) => this.log.warn('index checkpoint failed', { error: String(err) }));
    }
  }

  /**
   * Rejects a batch that could not be written at all, and every append queued behind it: their
   * counters follow the batch's, so they are handed out again rather than leave a gap. No reader
   * saw them (readers see only written, acknowledged counters) and no append was acknowledged
   * with them, so reuse is safe.
   */
  private refuseUnwritten(batch: PendingAppend[], err: SegmentOpenError): void {
    const refused = [...batch, ...this.pending.splice(0)];
    this.assignedCounter = batch[0]!.firstCounter;
    this.lastAssignedArrival = batch[0]!.arrivalFloorBefore;
    this.log.warn('append refused: no file descriptor to open the segment; the log stays writable', { error: String(err.cause), nextCounter: this.assignedCounter, refusedAppends: refused.length });
    for (const append of refused) append.reject(err);
  }

  private async write(batch: PendingAppend[]): Promise<void> {
    const { segmentBytes } = this.options.tuning;
    let group: PendingAppend[] = [];
    let groupBytes = 0;
    for (const append of batch) {
      const active = this.active;
      if (!active) {
        await this.createSegment(append.firstCounter);
      } else if (active.endOffset + groupBytes > SEGMENT_HEADER_BYTES && active.endOffset + groupBytes + append.buffer.length > segmentBytes) {
        if (group.length > 0) await this.writeGroup(group);
        group = [];
        groupBytes = 0;
        await this.roll(append.firstCounter);
      }
      group.push(append);
      groupBytes += append.buffer.length;
    }
    if (group.length > 0) await this.writeGroup(group);
    if (this.options.fsync !== 'always') this.dirty = true;
    else if (!this.writeSyncs) await (await this.openActiveFile()).datasync();
  }

  private async writeGroup(group: PendingAppend[]): Promise<void> {
    const segment = this.active!;
    // Awaited only when the handle has to be reopened: an await costs a turn of the microtask queue.
    const file = this.activeFile ?? await this.openActiveFile();
    this.lastWriteMs = Date.now();
    let position = segment.endOffset;
    let buffers: Buffer[] = new Array<Buffer>(group.length);
    let remaining = 0;
    for (let i = 0; i < group.length; i++) {
      buffers[i] = group[i]!.buffer;
      remaining += buffers[i]!.length;
    }
    this.flushWroteBytes = true;
    // Decided once per group; an O_DSYNC write returns only once durable on either path, and an
    // error from either rejects this write, which fails the log in flush().
    const writeSync = this.writeSyncs && this.options.syncWrites.allows(remaining);
    while (remaining > 0) {
      const bytesWritten = writeSync ? this.writeNowAt(file.fd, buffers, position) : (await file.writev(buffers, position)).bytesWritten;
      position += bytesWritten;
      remaining -= bytesWritten;
      if (remaining > 0) buffers = dropBytes(buffers, bytesWritten);
    }
    this.options.writeHandles.written(this);
    let offset = segment.endOffset;
    for (const append of group) {
      const { buffer, arrivals, firstCounter } = append;
      for (let i = 0, at = 0; i < arrivals.length; i++) {
        const frameBytes = FRAME_PREFIX_BYTES + readU32(buffer, at);
        segment.recordFrame(firstCounter + i, offset, frameBytes, arrivals[i]!);
        offset += frameBytes;
        at += frameBytes;
      }
    }
  }

  private writeNowAt(fd: number, buffers: Buffer[], position: number): number {
    return this.options.syncWrites.timed(() => this.options.tuning.writevSync(fd, buffers, position));
  }

  private writeFlags(): number {
    return fsConstants.O_RDWR | (this.writeSyncs ? O_DSYNC! : 0);
  }

  /** The active segment's write handle, reopened if it was released while the log was idle. */
  private async openActiveFile(): Promise<FileHandle> {
    if (!this.activeFile) {
      const path = this.active!.path;
      const file = await this.options.writeHandles.withSlot(() => this.withDescriptors(`open segment ${path}`, () => this.options.tuning.openWriteFile(path, this.writeFlags())));
      this.setActiveFile(file);
    }
    this.lastWriteMs = Date.now();
    return this.activeFile!;
  }

  /**
   * Runs `attempt`, a step of the write path that needs a file descriptor before any record byte
   * is written. When descriptors run out, closes idle handles (other logs' write handles, unused
   * read handles) and tries again a few times before giving up with a SegmentOpenError.
   */
  private async withDescriptors<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (err) {
        if (!outOfDescriptors(err)) throw err;
        if (tries >= OPEN_ATTEMPTS) throw new SegmentOpenError(`record log ${this.id}: no file descriptor to ${what}: ${String(err)}`, { cause: err });
        this.options.readHandles.closeIdle();
        const freed = await this.options.writeHandles.releaseIdle(HANDLES_FREED_PER_RETRY, this);
        // Nothing idle to close: descriptors are held by writes in flight, which finish soon.
        if (freed === 0) await new Promise((resolve) => setTimeout(resolve, RETRY_BACKOFF_MS * tries));
      }
    }
  }

  /** Every change of the active write handle goes through here, so the budget's count stays exact. */
  private setActiveFile(file: FileHandle | undefined): void {
    this.activeFile = file;
    if (file) this.options.writeHandles.opened(this);
    else this.options.writeHandles.closed(this);
  }

  canRelease(): boolean {
    return this.state === 'open' && this.activeFile !== undefined && !this.running && this.pending.length === 0;
  }

  /** Closes the write handle (the budget asked for it); a write arriving first keeps it open. */
  releaseWriteFile(): Promise<void> {
    // No index checkpoint: the write path already keeps the unindexed tail under checkpointBytes,
    // and writing one would need two more descriptors exactly when they are scarce.
    return this.exclusive(() => this.closeIdleFile(false));
  }

  private async closeIdleFile(checkpoint: boolean): Promise<void> {
    const file = this.activeFile;
    const active = this.active;
    if (!file || !active || this.pending.length > 0 || this.state !== 'open') return;
    await file.datasync();
    this.dirty = false;
    if (checkpoint && active.endOffset !== active.indexedOffset) {
      // The index only shortens a restart's scan; a failure here must not keep the descriptor.
      await this.writeIndex(active).catch((err) => this.log.warn('index checkpoint failed', { error: String(err) }));
    }
    try {
      await file.close();
    } finally {
      // Only now: the budget hands the slot to a waiting open as soon as it hears of it.
      this.setActiveFile(undefined);
    }
  }

  /** Closes the write handle of a log that has not been written for `idleMs`, so thousands of
   * quiet shards do not hold thousands of descriptors. The next append reopens it. */
  async releaseIfIdle(idleMs: number): Promise<void> {
    if (this.state !== 'open' || !this.activeFile || this.running || this.pending.length > 0) return;
    if (Date.now() - this.lastWriteMs < idleMs) return;
    await this.exclusive(() => this.closeIdleFile(true)).catch((err) => this.log.warn('releasing an idle segment handle failed', { error: String(err) }));
  }

  private async syncActive(): Promise<void> {
    if (!this.dirty || !this.activeFile) return;
    this.dirty = false;
    await this.activeFile.datasync();
  }

  /** Seals the active segment (fsynced and indexed, whatever the policy) and starts the next. */
  private async roll(nextFirstCounter: number): Promise<void> {
    const sealed = this.active!;
    const file = await this.openActiveFile();
    await file.datasync();
    this.dirty = false;
    await this.withDescriptors(`index segment ${sealed.path}`, () => this.writeIndex(sealed));
    // Only now may retention delete it: a deletion during writeIndex would leave the index behind.
    sealed.sealed = true;
    await file.close();
    this.setActiveFile(undefined);
    this.active = undefined;
    this.log.debug('segment sealed', { segment: sealed.path, records: sealed.nextCounter - sealed.firstCounter, bytes: sealed.endOffset });
    await this.createSegment(nextFirstCounter);
  }

  private async createSegment(firstCounter: number): Promise<void> {
    const segment = new Segment(this.dir, firstCounter, this.options.tuning.indexSpacing);
    const file = await this.options.writeHandles.withSlot(() => this.withDescriptors(`create segment ${segment.path}`, () => this.createSegmentFile(segment.path, firstCounter)));
    this.segments.push(segment);
    this.active = segment;
    this.setActiveFile(file);
  }

  /** Creates a segment file holding only its header, durably. On failure the file is removed
   * again (it holds no record and no one knows of it), so a retry can create it afresh. */
  private async createSegmentFile(path: string, firstCounter: number): Promise<FileHandle> {
    const file = await this.options.tuning.openWriteFile(path, this.writeFlags() | fsConstants.O_CREAT | fsConstants.O_EXCL);
    try {
      await file.write(encodeSegmentHeader(firstCounter, this.salt), 0, SEGMENT_HEADER_BYTES, 0);
      await file.datasync();
      await syncDirectory(this.dir);
      return file;
    } catch (err) {
      await file.close().catch(() => undefined);
      await unlink(path).catch((unlinkErr) => this.log.warn('removing a half-created segment failed', { segment: path, error: String(unlinkErr) }));
      throw err;
    }
  }

  private async writeIndex(segment: Segment): Promise<void> {
    const endOffset = segment.endOffset;
    await replaceFile(segment.indexPath, encodeIndexFile(segment.summary(), segment.index), this.dir, false);
    segment.indexedOffset = endOffset;
  }

  // ---------------------------------------------------------------- read

  bounds(): LogBounds {
    this.assertReadable();
    return {
      trimHorizon: this.trimHorizon,
      nextCounter: this.visibleCounter,
      lastArrivalMs: this.visibleCounter > this.trimHorizon ? this.visibleLastArrival : undefined,
    };
  }

  async read(fromCounter: number, limits: ReadLimits): Promise<ReadResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.readOnce(fromCounter, limits);
      } catch (err) {
        // A trim may delete a segment between finding it and opening it; start over from the
        // new horizon.
        if (attempt < 3 && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
    }
  }

  private async readOnce(fromCounter: number, limits: ReadLimits): Promise<ReadResult> {
    this.assertReadable();
    const start = Math.max(fromCounter, this.trimHorizon);
    const end = this.visibleCounter;
    const records: StoredRecord[] = [];
    const header = new FrameHeader();
    let counter = start;
    let bytes = 0;
    while (counter < end && records.length < limits.maxRecords) {
      const segment = this.segmentFor(counter);
      const stopAt = Math.min(end, segment.nextCounter);
      const entry = segment.index.floorByCounter(counter);
      if (entry < 0) throw this.corrupt(counter, 'no index entry covers this counter');
      let expected = segment.index.counters[entry]!;
      let position = segment.index.offsets[entry]!;
      const lease = await this.options.readHandles.acquire(segment.path);
      try {
        const wanted = (counter - expected + Math.min(limits.maxRecords - records.length, stopAt - counter)) * segment.averageFrameBytes();
        let chunkSize = Math.ceil(clamp(Math.min(wanted, (counter - expected) * segment.averageFrameBytes() + limits.maxBytes + MIN_READ_BYTES), MIN_READ_BYTES, MAX_READ_BYTES));
        let chunk = await readAt(lease.handle, position, Math.min(chunkSize, segment.endOffset - position));
        let chunkStart = position;
        let full = false;
        while (expected < stopAt && !full) {
          const returning = expected >= counter;
          let check = checkFrame(chunk, position - chunkStart, chunk.length, returning, this.salt, header);
          if (check === 'short') {
            chunkSize = Math.min(chunkSize * 2, MAX_READ_BYTES);
            chunk = await readAt(lease.handle, position, Math.min(Math.max(chunkSize, header.frameBytes), segment.endOffset - position));
            chunkStart = position;
            check = checkFrame(chunk, 0, chunk.length, returning, this.salt, header);
          }
          if (check !== 'ok') throw this.corrupt(expected, check === 'short' ? 'frame runs past the end of the segment' : header.problem);
          if (header.counter !== expected) throw this.corrupt(expected, `frame holds counter ${header.counter}`);
          if (returning) {
            const size = header.keyLength + header.dataLength;
            if (records.length > 0 && bytes + size > limits.maxBytes) {
              full = true;
              break;
            }
            bytes += size;
            const keyStart = position - chunkStart + FRAME_OVERHEAD_BYTES;
            const attributesStart = keyStart + header.keyLength;
            const dataStart = attributesStart + header.attributesLength;
            const partitionKey = chunk.toString('utf8', keyStart, attributesStart);
            // A view, not a copy: the chunk was sized from these limits, so holding the records
            // keeps alive at most about twice their bytes plus the stretch skipped to reach them.
            // Buffer.from(arrayBuffer, …) skips the species lookup of Buffer#subarray.
            const data = Buffer.from(chunk.buffer, chunk.byteOffset + dataStart, header.dataLength);
            records.push(header.attributesLength > 0
              ? { counter: expected, partitionKey, data, arrivalMs: header.arrivalMs, attributes: chunk.toString('utf8', attributesStart, dataStart) }
              : { counter: expected, partitionKey, data, arrivalMs: header.arrivalMs });
            counter = expected + 1;
            if (records.length >= limits.maxRecords) full = true;
          }
          position += header.frameBytes;
          expected++;
        }
        if (full) break;
      } finally {
        lease.release();
      }
    }
    return { records, nextCounter: counter };
  }

  findByTimestamp(timestampMs: number): Promise<number> {
    this.assertReadable();
    return this.findFirstAtOrAfter(timestampMs);
  }

  private async findFirstAtOrAfter(timestampMs: number): Promise<number> {
    const end = this.visibleCounter;
    if (this.trimHorizon >= end) return end;
    // Arrival times never decrease, so segments are ordered by them too.
    let lo = 0;
    let hi = this.segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const segment = this.segments[mid]!;
      if (segment.isEmpty || segment.lastArrivalMs < timestampMs) lo = mid + 1;
      else hi = mid;
    }
    const segment = this.segments[lo];
    if (!segment) return end;
    const entry = segment.index.lastBeforeArrival(timestampMs);
    let found: number;
    if (entry < 0) {
      found = segment.index.length > 0 ? segment.index.counters[0]! : segment.firstCounter;
    } else {
      found = await this.scanForArrival(segment, entry, timestampMs);
    }
    return Math.min(Math.max(found, this.trimHorizon), end);
  }

  /** From index entry `entry` (arrival < timestampMs) walks frame headers to the first record
   * arriving at or after `timestampMs`; there is one in this segment. */
  private async scanForArrival(segment: Segment, entry: number, timestampMs: number): Promise<number> {
    let expected = segment.index.counters[entry]!;
    let position = segment.index.offsets[entry]!;
    const stopOffset = entry + 1 < segment.index.length ? segment.index.offsets[entry + 1]! : segment.endOffset;
    if (stopOffset === position) return segment.index.counters[entry + 1] ?? segment.nextCounter;
    const lease = await this.options.readHandles.acquire(segment.path);
    try {
      let chunk = await readAt(lease.handle, position, Math.min(stopOffset - position + FRAME_OVERHEAD_BYTES, segment.endOffset - position));
      let chunkStart = position;
      const header = new FrameHeader();
      while (position < stopOffset) {
        let check = checkFrame(chunk, position - chunkStart, chunk.length, false, this.salt, header);
        if (check === 'short') {
          chunk = await readAt(lease.handle, position, Math.min(Math.max(header.frameBytes, MIN_READ_BYTES), segment.endOffset - position));
          chunkStart = position;
          check = checkFrame(chunk, 0, chunk.length, false, this.salt, header);
        }
        if (check !== 'ok') throw this.corrupt(expected, check === 'short' ? 'frame runs past the end of the segment' : header.problem);
        if (header.counter !== expected) throw this.corrupt(expected, `frame holds counter ${header.counter}`);
        if (header.arrivalMs >= timestampMs) return expected;
        position += header.frameBytes;
        expected++;
      }
      return entry + 1 < segment.index.length ? segment.index.counters[entry + 1]! : segment.nextCounter;
    } finally {
      lease.release();
    }
  }

  private segmentFor(counter: number): Segment {
    let lo = 0;
    let hi = this.segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid]!.firstCounter <= counter) lo = mid + 1;
      else hi = mid;
    }
    const segment = this.segments[lo - 1];
    if (!segment || counter >= segment.nextCounter) throw this.corrupt(counter, 'no segment holds this counter');
    return segment;
  }

  private corrupt(counter: number, detail: string): LogCorruptError {
    this.log.error('refusing to serve a damaged record', { counter, detail });
    return new LogCorruptError(this.id, counter, detail);
  }

  private assertReadable(): void {
    if (this.state === 'deleted') throw new LogNotFoundError(this.id);
    if (this.state === 'closed') throw new Error('storage is closed');
  }

  // ---------------------------------------------------------------- retention

  trim(olderThanMs: number): Promise<number> {
    this.assertReadable();
    const run = this.trimChain.then(() => this.trimNow(olderThanMs));
    this.trimChain = run.catch(() => undefined);
    return run;
  }

  private async trimNow(olderThanMs: number): Promise<number> {
    this.assertReadable();
    const horizon = Math.max(this.trimHorizon, await this.findFirstAtOrAfter(olderThanMs));
    if (horizon > this.trimHorizon) {
      // Persisted before any segment goes, so trimmed counters can never come back.
      await replaceFile(join(this.dir, STATE_FILE), encodeLogState({ trimHorizon: horizon, salt: this.salt }), this.dir, true);
      this.trimHorizon = horizon;
    }
    let removed = 0;
    while (this.segments.length > 0 && this.segments[0]!.sealed && this.segments[0]!.nextCounter <= this.trimHorizon) {
      await this.removeSegment(this.segments.shift()!);
      removed++;
    }
    const active = this.active;
    if (active && this.segments.length === 1 && !active.isEmpty && active.nextCounter <= this.trimHorizon) {
      await this.exclusive(async () => {
        // Re-checked: appends may have landed while this task waited.
        if (this.active !== active || this.assignedCounter > this.trimHorizon) return;
        await this.activeFile?.close();
        this.setActiveFile(undefined);
        this.active = undefined;
        this.dirty = false;
        this.segments = [];
        await this.removeSegment(active);
        removed++;
      });
    }
    if (removed > 0) {
      await syncDirectory(this.dir);
      this.log.info('retention removed segments', { segments: removed, trimHorizon: this.trimHorizon });
    }
    return this.trimHorizon;
  }

  private async removeSegment(segment: Segment): Promise<void> {
    this.options.readHandles.forget(segment.path);
    await unlink(segment.path);
    await unlink(segment.indexPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  // ---------------------------------------------------------------- lifecycle

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    await this.exclusive(async () => {
      const active = this.active;
      if (!this.activeFile || !active) return;
      await this.activeFile.datasync();
      if (active.endOffset !== active.indexedOffset) await this.writeIndex(active);
      await this.activeFile.close();
      this.setActiveFile(undefined);
    });
    await this.trimChain;
    for (const segment of this.segments) this.options.readHandles.forget(segment.path);
  }

  /** Removes the log's files; appends already accepted are written (and discarded) first. */
  async destroy(): Promise<void> {
    if (this.state === 'deleted') return;
    const wasOpen = this.state === 'open';
    this.state = 'deleted';
    if (wasOpen) {
      await this.exclusive(async () => {
        if (!this.activeFile) return;
        await this.activeFile.close();
        this.setActiveFile(undefined);
      });
    }
    await this.trimChain;
    for (const segment of this.segments) this.options.readHandles.forget(segment.path);
    await rm(this.dir, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- recovery

  private async recover(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const names = await readdir(this.dir);
    for (const name of names.filter((n) => n.endsWith('.tmp'))) await unlink(join(this.dir, name));
    const firsts = names.map(parseSegmentFileName).filter((n): n is number => n !== undefined).sort((a, b) => a - b);
    const state = await this.readState() ?? await this.createState(firsts);
    const stateHorizon = state.trimHorizon;
    this.salt = state.salt;
    // An index whose segment is gone is left from a deletion cut short between the two unlinks.
    const segmentNames = new Set(firsts.map(segmentFileName));
    for (const name of names.filter((n) => n.endsWith('.idx') && !segmentNames.has(n.replace(/\.idx$/, '.seg')))) {
      await unlink(join(this.dir, name));
      this.log.info('recovery removed an index file without its segment', { file: name });
    }
    const spacing = this.options.tuning.indexSpacing;
    for (let i = 0; i < firsts.length; i++) {
      const segment = new Segment(this.dir, firsts[i]!, spacing);
      if (i < firsts.length - 1) {
        await this.loadSealed(segment);
        this.segments.push(segment);
      } else {
        await this.recoverActive(segment);
      }
    }
    const last = this.segments[this.segments.length - 1];
    this.assignedCounter = Math.max(last?.nextCounter ?? 0, stateHorizon);
    this.visibleCounter = this.assignedCounter;
    this.trimHorizon = Math.max(stateHorizon, this.segments[0]?.firstCounter ?? stateHorizon);
    const withRecords = [...this.segments].reverse().find((s) => !s.isEmpty);
    this.visibleLastArrival = withRecords?.lastArrivalMs ?? Number.NaN;
    this.lastAssignedArrival = withRecords?.lastArrivalMs ?? -Infinity;

    const active = this.active;
    if (active && active.nextCounter < this.assignedCounter) {
      // The state file is ahead of the data (records lost under `fsync: never`): new counters
      // start past the horizon, so they go to a fresh segment rather than leave a gap in this one.
      this.log.warn('recovery: trim horizon is past the last stored record; sealing the segment', { segment: active.path, nextCounter: active.nextCounter, trimHorizon: this.trimHorizon });
      active.sealed = true;
      await this.writeIndex(active);
      await this.activeFile!.close();
      this.activeFile = undefined;
      this.active = undefined;
    }

    // Segments wholly below the horizon are left over from a trim cut short by a crash.
    let removed = 0;
    while (this.segments.length > 0 && this.segments[0] !== this.active && this.segments[0]!.nextCounter <= this.trimHorizon) {
      await this.removeSegment(this.segments.shift()!);
      removed++;
    }
    if (removed > 0) {
      await syncDirectory(this.dir);
      this.log.info('recovery removed segments below the trim horizon', { segments: removed, trimHorizon: this.trimHorizon });
    }
  }

  private async readState(): Promise<LogState | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.dir, STATE_FILE));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const state = decodeLogState(bytes);
    if (!state) {
      // The file is replaced atomically, so this is damage, not a torn write.
      throw new LogCorruptError(this.id, 0, `log state file ${join(this.dir, STATE_FILE)} is damaged; the trim horizon is unknown`);
    }
    return state;
  }

  /** A new log gets a fresh random salt, written before its first frame. A log whose state file
   * never got written (a crash right after the directory was made) takes the salt from its
   * segment headers. */
  private async createState(firsts: readonly number[]): Promise<LogState> {
    let salt: number | undefined;
    for (const first of firsts) {
      const file = await open(join(this.dir, segmentFileName(first)), 'r');
      try {
        const header = checkSegmentHeader(await readAt(file, 0, SEGMENT_HEADER_BYTES), first);
        if (header.problem === undefined) {
          salt = header.salt;
          break;
        }
      } finally {
        await file.close();
      }
    }
    if (salt === undefined && firsts.length > 0) {
      throw new LogCorruptError(this.id, firsts[0]!, 'the state file is missing and no segment header is readable; the checksum salt is unknown');
    }
    const state = { trimHorizon: 0, salt: salt ?? randomBytes(4).readUInt32LE(0) };
    await replaceFile(join(this.dir, STATE_FILE), encodeLogState(state), this.dir, true);
    return state;
  }

  private async loadIndexFile(segment: Segment): Promise<ReturnType<typeof decodeIndexFile>> {
    try {
      const decoded = decodeIndexFile(await readFile(segment.indexPath));
      return decoded && decoded.summary.firstCounter === segment.firstCounter ? decoded : undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private async loadSealed(segment: Segment): Promise<void> {
    segment.sealed = true;
    const size = (await stat(segment.path)).size;
    const indexed = await this.loadIndexFile(segment);
    if (indexed && indexed.summary.endOffset === size) {
      segment.adopt(indexed.summary, indexed.index);
      return;
    }
    this.log.warn('rebuilding the index of a sealed segment', { segment: segment.path, reason: indexed ? 'index does not match the file size' : 'index file missing or damaged' });
    const file = await open(segment.path, 'r');
    try {
      await this.checkHeader(file, segment, size);
      const outcome = await scanSegment(file, segment, SEGMENT_HEADER_BYTES, segment.firstCounter, size, this.salt, this.log);
      if (outcome.tornAt !== undefined) {
        this.log.error('sealed segment ends in a damaged frame: its last records will not be served', {
          segment: segment.path, offset: outcome.tornAt, reason: outcome.tornReason, lastGoodCounter: segment.nextCounter - 1,
        });
      }
    } finally {
      await file.close();
    }
    await this.writeIndex(segment);
  }

  private async recoverActive(segment: Segment): Promise<void> {
    const file = await open(segment.path, this.writeFlags());
    try {
      let size = (await file.stat()).size;
      if (size < SEGMENT_HEADER_BYTES) {
        this.log.warn('recovery: rewriting the header of a segment cut short at creation', { segment: segment.path, bytes: size });
        await file.truncate(0);
        await file.write(encodeSegmentHeader(segment.firstCounter, this.salt), 0, SEGMENT_HEADER_BYTES, 0);
        await file.datasync();
        size = SEGMENT_HEADER_BYTES;
      } else {
        await this.checkHeader(file, segment, size);
      }
      let from = SEGMENT_HEADER_BYTES;
      let expected = segment.firstCounter;
      const checkpoint = await this.loadIndexFile(segment);
      if (checkpoint && await this.checkpointHolds(file, checkpoint.summary, size)) {
        segment.adopt(checkpoint.summary, checkpoint.index);
        from = checkpoint.summary.endOffset;
        expected = checkpoint.summary.nextCounter;
      }
      const outcome = await scanSegment(file, segment, from, expected, size, this.salt, this.log);
      if (outcome.tornAt !== undefined) {
        this.log.warn('recovery: truncating a torn tail', {
          segment: segment.path, offset: outcome.tornAt, discardedBytes: size - outcome.tornAt, reason: outcome.tornReason, nextCounter: segment.nextCounter,
        });
        await file.truncate(outcome.tornAt);
        await file.datasync();
      }
      if (outcome.tornAt !== undefined || segment.endOffset !== from) {
        this.log.info('recovered active segment', { segment: segment.path, scannedFrom: from, scannedTo: segment.endOffset, nextCounter: segment.nextCounter });
      }
      this.segments.push(segment);
      this.active = segment;
      this.activeFile = file;
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  /** A checkpoint of the active segment is trusted when its last frame is still intact. */
  private async checkpointHolds(file: FileHandle, summary: { endOffset: number; nextCounter: number; firstCounter: number; lastFrameOffset: number }, size: number): Promise<boolean> {
    if (summary.endOffset > size) return false;
    if (summary.nextCounter === summary.firstCounter) return summary.endOffset === SEGMENT_HEADER_BYTES;
    const frame = await readAt(file, summary.lastFrameOffset, summary.endOffset - summary.lastFrameOffset);
    const header = new FrameHeader();
    return checkFrame(frame, 0, frame.length, true, this.salt, header) === 'ok' && header.counter === summary.nextCounter - 1 && header.frameBytes === frame.length;
  }

  private async checkHeader(file: FileHandle, segment: Segment, size: number): Promise<void> {
    const header = checkSegmentHeader(await readAt(file, 0, Math.min(size, SEGMENT_HEADER_BYTES)), segment.firstCounter);
    const problem = header.problem ?? (header.salt !== this.salt ? 'salt differs from the log state file' : undefined);
    if (problem) {
      // Frames carry their own counters and checksums, so they stay usable; the header only
      // names the file.
      this.log.error('segment header damaged; reading frames regardless', { segment: segment.path, problem });
    }
  }
}

/** Longest all-ASCII key copied by the loop below; beyond it one native call costs less. */
const ASCII_LOOP_MAX = 256;

/**
 * Writes a partition key of `byteLength` UTF-8 bytes at `offset` and returns the offset after it.
 * A key whose UTF-8 length equals its UTF-16 length is all ASCII; such keys (nearly all) are copied
 * here, which for a few dozen characters is cheaper than Buffer#write's native call.
 */
function writeKey(buffer: Buffer, key: string, byteLength: number, offset: number): number {
  if (byteLength !== key.length || byteLength > ASCII_LOOP_MAX) return offset + buffer.write(key, offset, byteLength, 'utf8');
  for (let i = 0; i < byteLength; i++) buffer[offset + i] = key.charCodeAt(i);
  return offset + byteLength;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = count;
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    out.push(skip > 0 ? buffer.subarray(skip) : buffer);
    skip = 0;
  }
  return out;
}
