import type { Logger } from '../server/logger.js';
import type { LogId } from './types.js';

type AppendListener = (nextCounter: number) => void;

/** onAppend bookkeeping shared by the backends. A throwing listener is logged and does not stop
 * the others or the appender. */
export class AppendListeners {
  private readonly byLog = new Map<LogId, Set<AppendListener>>();

  constructor(private readonly log: Logger) {}

  add(id: LogId, listener: AppendListener): () => void {
    let set = this.byLog.get(id);
    if (!set) {
      set = new Set();
      this.byLog.set(id, set);
    }
    set.add(listener);
    return () => {
      const current = this.byLog.get(id);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.byLog.delete(id);
    };
  }

  notify(id: LogId, nextCounter: number): void {
    const set = this.byLog.get(id);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(nextCounter);
      } catch (err) {
        this.log.error('onAppend listener failed', { logId: id, error: String(err) });
      }
    }
  }
}
