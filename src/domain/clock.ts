/** Time is injected everywhere so tests can move it; production uses the system clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests set and advance by hand. */
export class ManualClock implements Clock {
  constructor(private current = Date.now()) {}
  now(): number { return this.current; }
  advance(ms: number): void { this.current += ms; }
  set(ms: number): void { this.current = ms; }
}
