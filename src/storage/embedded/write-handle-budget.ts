/**
 * Caps the segment write handles held open across all logs. Every written log keeps its active
 * segment open for writing; without a cap, thousands of shards written within the idle window
 * would hold thousands of descriptors. When the cap is passed, the least recently written logs
 * with no write in flight give their handle back (the next append reopens it).
 */
import type { Logger } from '../../server/logger.js';

export interface WriteHandleHolder {
  /** True when the holder has a write handle open and nothing in flight that uses it. */
  canRelease(): boolean;
  /** Closes the write handle (after making written data durable); resolves once it is closed. */
  releaseWriteFile(): Promise<void>;
}

export class WriteHandleBudget {
  /** Holders with an open write handle, least recently written first (Map keeps insertion order). */
  private readonly holders = new Map<WriteHandleHolder, true>();
  /** Holders asked to close their handle and not done yet. */
  private readonly releasing = new Set<WriteHandleHolder>();
  /** Opens under way that hold a slot. */
  private reserved = 0;
  /** Opens waiting for a slot; woken one at a time as handles close. */
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly maxOpen: number, private readonly log: Logger) {}

  get openCount(): number {
    return this.holders.size;
  }

  /**
   * Runs `open` (which opens one write handle) once that keeps the open count within the cap,
   * closing idle handles to make room. Only a log without a handle of its own waits here, and every
   * log holding one finishes its write and becomes idle, so a slot always comes free.
   */
  async withSlot<T>(open: () => Promise<T>): Promise<T> {
    while (this.holders.size + this.reserved >= this.maxOpen) {
      const woken = new Promise<void>((resolve) => this.waiting.push(resolve));
      this.releaseExcess();
      await woken;
    }
    this.reserved++;
    try {
      return await open();
    } finally {
      this.reserved--;
    }
  }

  /** A holder's write finished: if opens are waiting, it may now give its handle up. */
  idle(): void {
    if (this.waiting.length > 0) this.releaseExcess();
  }

  opened(holder: WriteHandleHolder): void {
    this.holders.delete(holder);
    this.holders.set(holder, true);
    this.releaseExcess();
  }

  written(holder: WriteHandleHolder): void {
    if (!this.holders.has(holder)) return;
    this.holders.delete(holder);
    this.holders.set(holder, true);
    this.releaseExcess();
  }

  closed(holder: WriteHandleHolder): void {
    if (this.holders.delete(holder)) this.waiting.shift()?.();
  }

  /** Closes up to `count` idle write handles, least recently written first, and waits for them:
   * used when opening a file failed for lack of descriptors. */
  async releaseIdle(count: number, except: WriteHandleHolder): Promise<number> {
    const chosen = this.pickIdle(count, except);
    await Promise.all(chosen.map((holder) => this.release(holder)));
    return chosen.length;
  }

  private releaseExcess(): void {
    const excess = this.holders.size + this.reserved + this.waiting.length - this.releasing.size - this.maxOpen;
    if (excess <= 0) return;
    for (const holder of this.pickIdle(excess)) void this.release(holder);
  }

  private pickIdle(count: number, except?: WriteHandleHolder): WriteHandleHolder[] {
    const chosen: WriteHandleHolder[] = [];
    for (const holder of this.holders.keys()) {
      if (chosen.length >= count) break;
      if (holder !== except && holder.canRelease()) chosen.push(holder);
    }
    return chosen;
  }

  private async release(holder: WriteHandleHolder): Promise<void> {
    this.releasing.add(holder);
    try {
      await holder.releaseWriteFile();
    } catch (err) {
      this.log.warn('closing a segment write handle failed', { error: String(err) });
    } finally {
      this.releasing.delete(holder);
    }
  }
}
