/**
 * Read handles for segment files, shared by concurrent readers and capped in number so thousands
 * of segments do not exhaust file descriptors. A handle in use is never closed under its reader.
 */
import { open, type FileHandle } from 'node:fs/promises';

interface CachedHandle {
  readonly opening: Promise<FileHandle>;
  handle: FileHandle | undefined;
  users: number;
  lastUse: number;
  /** Close as soon as the last user releases it (the file was deleted). */
  doomed: boolean;
}

export interface Lease {
  readonly handle: FileHandle;
  release(): void;
}

export class ReadHandleCache {
  private readonly entries = new Map<string, CachedHandle>();
  private tick = 0;

  constructor(private readonly maxOpen = 256) {}

  async acquire(path: string): Promise<Lease> {
    let entry = this.entries.get(path);
    if (!entry) {
      const opening = open(path, 'r');
      entry = { opening, handle: undefined, users: 0, lastUse: 0, doomed: false };
      this.entries.set(path, entry);
      const created = entry;
      opening.then((handle) => { created.handle = handle; }, () => {
        if (this.entries.get(path) === created) this.entries.delete(path);
      });
    }
    entry.users++;
    entry.lastUse = ++this.tick;
    let handle: FileHandle;
    try {
      handle = await entry.opening;
    } catch (err) {
      entry.users--;
      throw err;
    }
    this.evictIdle();
    const held = entry;
    let released = false;
    return {
      handle,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.users === 0 && held.doomed) void handle.close().catch(() => undefined);
      },
    };
  }

  /** Forgets `path` (deleted or rewritten); the handle closes once its readers are done. */
  forget(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.entries.delete(path);
    entry.doomed = true;
    if (entry.users === 0) void entry.opening.then((h) => h.close()).catch(() => undefined);
  }

  /** Closes every handle no reader holds (descriptors ran out elsewhere). */
  closeIdle(): void {
    for (const [path, entry] of [...this.entries]) if (entry.users === 0 && entry.handle) this.forget(path);
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.keys()];
    for (const path of all) this.forget(path);
  }

  private evictIdle(): void {
    if (this.entries.size <= this.maxOpen) return;
    const idle = [...this.entries].filter(([, e]) => e.users === 0 && e.handle).sort((a, b) => a[1].lastUse - b[1].lastUse);
    for (const [path] of idle.slice(0, this.entries.size - this.maxOpen)) this.forget(path);
  }
}
