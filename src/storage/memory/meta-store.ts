/**
 * In-memory MetaStore, for `--in-memory` and fast tests of higher layers. Not durable. Values are
 * stored as JSON text, so callers see the same copies and JSON semantics as with the embedded
 * store.
 */
import { MetaConflictError, type MetaEntry, type MetaOp, type MetaStore } from '../types.js';

interface StoredEntry {
  readonly json: string;
  readonly version: number;
}

export class MemoryMetaStore implements MetaStore {
  private readonly entries = new Map<string, StoredEntry>();
  /** Keys in ascending code-unit order, for list(). */
  private readonly sortedKeys: string[] = [];

  async get<T>(key: string): Promise<MetaEntry<T> | undefined> {
    const entry = this.entries.get(key);
    return entry ? toEntry<T>(key, entry) : undefined;
  }

  async list<T>(prefix: string, options: { startAfter?: string; limit?: number } = {}): Promise<MetaEntry<T>[]> {
    const out: MetaEntry<T>[] = [];
    const limit = options.limit ?? Infinity;
    const from = options.startAfter !== undefined && options.startAfter >= prefix
      ? upperBound(this.sortedKeys, options.startAfter)
      : lowerBound(this.sortedKeys, prefix);
    for (let i = from; i < this.sortedKeys.length && out.length < limit; i++) {
      const key = this.sortedKeys[i]!;
      if (!key.startsWith(prefix)) break;
      out.push(toEntry<T>(key, this.entries.get(key)!));
    }
    return out;
  }

  async commit(ops: readonly MetaOp[]): Promise<void> {
    const staged = new Map<string, StoredEntry | undefined>();
    const current = (key: string) => (staged.has(key) ? staged.get(key) : this.entries.get(key));
    for (const op of ops) {
      const existing = current(op.key);
      const actual = existing?.version ?? 0;
      if (op.expectVersion !== undefined && op.expectVersion !== actual) {
        throw new MetaConflictError(op.key, op.expectVersion, actual);
      }
      if (op.op === 'put') {
        const json = JSON.stringify(op.value);
        if (json === undefined) throw new TypeError(`meta key ${op.key}: value is not JSON-serialisable`);
        staged.set(op.key, { json, version: actual + 1 });
      } else {
        staged.set(op.key, undefined);
      }
    }
    for (const [key, entry] of staged) {
      if (entry) {
        if (!this.entries.has(key)) this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 0, key);
        this.entries.set(key, entry);
      } else if (this.entries.delete(key)) {
        this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 1);
      }
    }
  }

  async close(): Promise<void> {}
}

function toEntry<T>(key: string, entry: StoredEntry): MetaEntry<T> {
  return { key, value: JSON.parse(entry.json) as T, version: entry.version };
}

function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
