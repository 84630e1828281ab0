import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../src/server/logger.js';
import { openEmbeddedStorage, logDirectoryName, type LogTuning } from '../../src/storage/embedded/index.js';
import { SEGMENT_HEADER_BYTES } from '../../src/storage/embedded/format.js';
import type { AppendRecord, FsyncPolicy, Storage } from '../../src/storage/types.js';

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A Logger that keeps every line for assertions. */
export function capturingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { log: createLogger('debug', {}, (line) => lines.push(JSON.parse(line) as LogLine)), lines };
}

export async function tempDataDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runnel-storage-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export function openAt(dataDir: string, log: Logger, options: { fsync?: FsyncPolicy; tuning?: Partial<LogTuning> } = {}): Promise<Storage> {
  return openEmbeddedStorage({
    dataDir,
    fsync: options.fsync ?? 'always',
    fsyncIntervalMs: 10,
    log,
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });
}

export function logDir(dataDir: string, id: string): string {
  return join(dataDir, 'logs', logDirectoryName(id));
}

export async function segmentFiles(dataDir: string, id: string): Promise<string[]> {
  return (await readdir(logDir(dataDir, id))).filter((n) => n.endsWith('.seg')).sort().map((n) => join(logDir(dataDir, id), n));
}

/** Start offset of every frame in a segment file, by walking the length prefixes. */
export async function frameOffsets(segmentPath: string): Promise<number[]> {
  const bytes = await readFile(segmentPath);
  const offsets: number[] = [];
  for (let at = SEGMENT_HEADER_BYTES; at + 8 <= bytes.length; at += 8 + bytes.readUInt32LE(at)) offsets.push(at);
  return offsets;
}

export function records(count: number, tag: string, arrivalMs: (i: number) => number = () => 1_000): AppendRecord[] {
  return Array.from({ length: count }, (_, i) => ({ partitionKey: `key-${i % 5}`, data: Buffer.from(`${tag}:${i}:${'x'.repeat(40)}`), arrivalMs: arrivalMs(i) }));
}

export function text(data: Uint8Array): string {
  return Buffer.from(data).toString();
}

export const ALL = { maxRecords: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER };
