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
 * Largest batch written synchronously. It takes a lone producer's PutRecord unless the record is
 * large. On the development VM's disk a 64 KiB O_DSYNC write took p50 0.2 ms, p99 0.5 ms (150 B:
 * 0.1 and 0.3), so the loop is blocked for little more than for a tiny one. Larger batches come
 * with heavy ingest (the bench's PutRecords of 500 × 1 KiB), where the loop is better spent
 * parsing the next requests while the disk works.
 */
export const SYNC_WRITE_MAX_BYTES = 64 * 1024;

/**
 * Synchronous writes averaging longer than this mean the disk is slow or busy (a spinning disk,
 * a throttled volume, another process's I/O), not merely the CPU. The time is wall time: on the
 * 2-core development VM under the fan-out bench a 150 B O_DSYNC write measured p50 0.35 ms, p90
 * 1.7, p99 5.3, max 13 ms, mostly waiting to be scheduled again after the disk was done (the same
 * write from an otherwise idle process: p99 0.4–0.8 ms). A pool write waits for the same wake-up,
 * so that is no reason to leave the synchronous path; an average of 2 ms left it for 15–40% of
 * a run.
 */
export const SLOW_SYNC_WRITE_MS = 5;

/**
 * Weight of the newest write in the running average of synchronous write times. From the typical
 * ~0.3 ms, one write over ~40 ms passes SLOW_SYNC_WRITE_MS at once; a disk that stays at 20 ms
 * passes it after 3 writes, at 10 ms after 6.
 */
const AVERAGE_WEIGHT = 1 / 8;

/**
 * Once the average passes SLOW_SYNC_WRITE_MS, writes go to the thread pool for this long, then
 * the synchronous path is tried afresh (from an average of 0). A disk that stays slow then blocks
 * the loop for a few writes per pause: at 20 ms per write three, 6% of the time; at 50 ms one.
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
