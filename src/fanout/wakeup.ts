/** A one-waiter wake-up flag: `notify()` ends the current (or the next) `wait()`. Notifications
 * while nobody waits are remembered, so a wake-up between a check and the wait is never lost. */
export class Wakeup {
  private pending = false;
  private release: (() => void) | undefined;

  notify(): void {
    if (this.release) {
      const release = this.release;
      this.release = undefined;
      release();
    } else {
      this.pending = true;
    }
  }

  /** Resolves on notify() or after `timeoutMs`, whichever comes first. */
  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.release = undefined;
        resolve();
      }, Math.max(0, timeoutMs));
      this.release = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
