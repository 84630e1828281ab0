/**
 * A token bucket on an injected clock. Refill is computed lazily from the clock on each call, so
 * an idle bucket costs nothing and tests move time with a ManualClock.
 *
 * The level may go below zero ("debt") through `force` or `tryTakeUpTo`: AWS lets a single large
 * record or a large GetRecords reply through and then throttles until the capacity is paid back.
 */
import type { Clock } from '../domain/clock.js';

export class TokenBucket {
  private level: number;
  private updatedMs: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    private readonly clock: Clock,
  ) {
    this.level = capacity;
    this.updatedMs = clock.now();
  }

  /** Current level after refill; negative while in debt. */
  available(): number {
    this.refill();
    return this.level;
  }

  /** Takes `amount` when the bucket holds at least that much. */
  tryTake(amount: number): boolean {
    this.refill();
    if (this.level < amount) return false;
    this.level -= amount;
    return true;
  }

  /**
   * Takes `amount` when the bucket holds at least `min(amount, capacity)`; an amount above the
   * capacity therefore needs a full bucket and leaves it in debt.
   */
  tryTakeBurst(amount: number): boolean {
    this.refill();
    if (this.level < Math.min(amount, this.capacity)) return false;
    this.level -= amount;
    return true;
  }

  /** Takes `amount` unconditionally (the level may go negative). */
  force(amount: number): void {
    this.refill();
    this.level -= amount;
  }

  /** Gives back tokens taken by a call that was then refused by another bucket. */
  giveBack(amount: number): void {
    this.level = Math.min(this.capacity, this.level + amount);
  }

  /** True when the bucket is full, i.e. forgetting it changes nothing. */
  isFull(): boolean {
    this.refill();
    return this.level >= this.capacity;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsedMs = now - this.updatedMs;
    if (elapsedMs <= 0) return;
    this.updatedMs = now;
    this.level = Math.min(this.capacity, this.level + (elapsedMs * this.refillPerSecond) / 1000);
  }
}
