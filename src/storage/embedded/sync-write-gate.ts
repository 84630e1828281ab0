/**
 * Decides, for all logs of one storage instance, when a segment write may run synchronously on
 * the event loop instead of in libuv's thread pool (`fsync: always` with O_DSYNC handles only).
 *
 * An O_DSYNC write of a few KiB takes the disk ~0.1–0.3 ms, but the hop to a pool thread and the
 * wake-up back to the main thread have a tail of several ms when the CPU is contended: for a lone
 * producer that hop is most of the append latency. A synchronous write skips it, at the price of
 * blocking the loop for the write's duration. That price is only worth paying when nothing else
 * is waiting to be written: when several logs have appends, their writes go to the pool, where
 * they overlap, and the loop keeps parsing requests meanwhile.
 */
import type { Clock } from '../../domain/clock.js';

/**
 * Largest batch written synchronously. A single PutRecord (≤ 1 MiB + key) from a lone producer
 * fits unless its record is large; at 64 KiB an O_DSYNC write is still well under a millisecond
 * on an SSD, so the loop is blocked about as long as one request takes to parse. Larger batches
 * mean heavy ingest, where overlapping the disk with request parsing matters more.
 */
export const SYNC_WRITE_MAX_BYTES = 64 * 1024;

/**
 * Synchronous writes averaging longer than this mean the disk is busy (another process's I/O, a
 * throttled volume): ~10× the p99 of a small O_DSYNC write on an idle SSD, and about what one pool
 * hop costs in the tail we avoid. Single writes over it are common enough (0.3% of them on the
 * development VM, from journal commits) that one alone must not stop the synchronous path.
 */
export const SLOW_SYNC_WRITE_MS = 2;

/**
 * Weight of the newest write in the running average of synchronous write times. From the typical
 * ~0.2 ms, one write over ~15 ms is enough to pass SLOW_SYNC_WRITE_MS; a disk that stays at 3 ms
 * passes it after 9 writes, at 5 ms after 4.
 */
const AVERAGE_WEIGHT = 1 / 8;

/**
 * Once the average passes SLOW_SYNC_WRITE_MS, writes go to the thread pool for this long, then
 * the synchronous path is tried afresh. A disk that stays slow then blocks the loop for a few
 * writes per pause (at 20 ms per write: one, 2% of the time).
 */
export const SYNC_WRITE_PAUSE_MS = 1_000;

export class SyncWriteGate {
  /** Logs with appends waiting or being written. */
  private busyLogs = 0;
  private pausedUntilMs = Number.NEGATIVE_INFINITY;
  private averageWriteMs = 0;

  /**
   * @param maxBytes largest batch written synchronously; 0 sends every write to the pool.
   * @param clock a monotonic clock in milliseconds, timing synchronous writes.
   */
  constructor(private readonly maxBytes: number, private readonly clock: Clock) {}

  /** A log now has appends to write; it stays busy until its write loop has nothing left. */
  logBusy(): void {
    this.busyLogs++;
  }

  logIdle(): void {
    this.busyLogs--;
  }

  /**
   * Whether a log about to write `bytes` may do it synchronously: the batch is small, the writing
   * log is the only busy one, and recent synchronous writes were not slow.
   */
  allows(bytes: number): boolean {
    return bytes <= this.maxBytes && this.busyLogs === 1 && this.clock.now() >= this.pausedUntilMs;
  }

  /** Runs one synchronous write; pauses synchronous writes when recent ones were slow. */
  timed(write: () => number): number {
    const startMs = this.clock.now();
    const bytesWritten = write();
    const endMs = this.clock.now();
    this.averageWriteMs += (endMs - startMs - this.averageWriteMs) * AVERAGE_WEIGHT;
    if (this.averageWriteMs > SLOW_SYNC_WRITE_MS) {
      this.pausedUntilMs = endMs + SYNC_WRITE_PAUSE_MS;
      this.averageWriteMs = 0;
    }
    return bytesWritten;
  }
}
