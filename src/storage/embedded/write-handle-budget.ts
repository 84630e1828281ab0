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

  constructor(private readonly maxOpen: number, private readonly log: Logger) {}

  get openCount(): number {
    return this.holders.size;
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
    this.holders.delete(holder);
  }

  /** Closes up to `count` idle write handles, least recently written first, and waits for them:
   * used when opening a file failed for lack of descriptors. */
  async releaseIdle(count: number, except: WriteHandleHolder): Promise<number> {
    const chosen = this.pickIdle(count, except);
    await Promise.all(chosen.map((holder) => this.release(holder)));
    return chosen.length;
  }

  private releaseExcess(): void {
    const excess = this.holders.size - this.maxOpen;
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

  private release(holder: WriteHandleHolder): Promise<void> {
    return holder.releaseWriteFile().catch((err) => this.log.warn('closing a segment write handle failed', { error: String(err) }));
  }
}
