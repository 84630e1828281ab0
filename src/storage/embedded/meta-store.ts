/**
 * The embedded MetaStore: one SQLite database (`<dataDir>/meta.sqlite`, WAL mode) holding
 * `(key, value JSON, version)`. Each commit is one transaction; with `fsync: always` SQLite runs
 * with synchronous=FULL, so a resolved commit survives a power loss.
 */
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MetaConflictError, type FsyncPolicy, type MetaEntry, type MetaOp, type MetaStore } from '../types.js';

interface Row {
  key: string;
  value: string;
  version: number;
}

export class SqliteMetaStore implements MetaStore {
  private readonly db: Database.Database;
  private readonly selectOne: Database.Statement<[string], Row>;
  private readonly selectFrom: Database.Statement<[string], Row>;
  private readonly selectAfter: Database.Statement<[string], Row>;
  private readonly selectVersion: Database.Statement<[string], { version: number }>;
  private readonly upsert: Database.Statement<[string, string, number]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly applyOps: (ops: readonly MetaOp[]) => void;

  constructor(path: string, fsync: FsyncPolicy) {
    this.db = new Database(path, { timeout: 250 });
    // The exclusive lock doubles as the data directory's lock: a second process opening the
    // same directory fails here instead of writing into the same segment files. The OS drops
    // the lock when the holder dies, also on kill -9.
    this.db.pragma('locking_mode = EXCLUSIVE');
    try {
      this.db.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (err) {
      this.db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') {
        throw new Error(`data directory ${dirname(path)} is in use by another Runnel process`, { cause: err });
      }
      throw err;
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${fsync === 'always' ? 'FULL' : fsync === 'interval' ? 'NORMAL' : 'OFF'}`);
    this.db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID');
    this.selectOne = this.db.prepare('SELECT key, value, version FROM meta WHERE key = ?');
    this.selectFrom = this.db.prepare('SELECT key, value, version FROM meta WHERE key >= ? ORDER BY key');
    this.selectAfter = this.db.prepare('SELECT key, value, version FROM meta WHERE key > ? ORDER BY key');
    this.selectVersion = this.db.prepare('SELECT version FROM meta WHERE key = ?');
    this.upsert = this.db.prepare('INSERT INTO meta (key, value, version) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, version = excluded.version');
    this.remove = this.db.prepare('DELETE FROM meta WHERE key = ?');
    this.applyOps = this.db.transaction((ops: readonly MetaOp[]) => {
      for (const op of ops) {
        const actual = this.selectVersion.get(op.key)?.version ?? 0;
        if (op.expectVersion !== undefined && op.expectVersion !== actual) {
          throw new MetaConflictError(op.key, op.expectVersion, actual);
        }
        if (op.op === 'put') {
          const json = JSON.stringify(op.value);
          if (json === undefined) throw new TypeError(`meta key ${op.key}: value is not JSON-serialisable`);
          this.upsert.run(op.key, json, actual + 1);
        } else {
          this.remove.run(op.key);
        }
      }
    });
  }

  async get<T>(key: string): Promise<MetaEntry<T> | undefined> {
    const row = this.selectOne.get(key);
    return row ? toEntry<T>(row) : undefined;
  }

  async list<T>(prefix: string, options: { startAfter?: string; limit?: number } = {}): Promise<MetaEntry<T>[]> {
    const limit = options.limit ?? Infinity;
    const out: MetaEntry<T>[] = [];
    if (limit <= 0) return out;
    const rows = options.startAfter !== undefined && options.startAfter >= prefix
      ? this.selectAfter.iterate(options.startAfter)
      : this.selectFrom.iterate(prefix);
    for (const row of rows) {
      if (!row.key.startsWith(prefix)) break;
      out.push(toEntry<T>(row));
      if (out.length >= limit) break;
    }
    return out;
  }

  async commit(ops: readonly MetaOp[]): Promise<void> {
    this.applyOps(ops);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toEntry<T>(row: Row): MetaEntry<T> {
  return { key: row.key, value: JSON.parse(row.value) as T, version: row.version };
}
