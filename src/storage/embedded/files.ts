/** Small file helpers with the durability steps spelled out. */
import { open, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { crc32c } from './crc32c.js';
import { readU32, readU64, writeU64 } from './format.js';

/** Reads up to `length` bytes at `position`; fewer only at end of file. */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buf : buf.subarray(0, filled);
}

/** Makes a directory's entries (created, renamed or removed files) durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` atomically; with `durable`, the new content survives a power loss once this
 * resolves. */
export async function replaceFile(path: string, bytes: Uint8Array, dir: string, durable: boolean): Promise<void> {
  const tmp = `${path}.tmp`;
  if (durable) {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  } else {
    await writeFile(tmp, bytes);
  }
  await rename(tmp, path);
  if (durable) await syncDirectory(dir);
}

const STATE_MAGIC = Buffer.from('RNLSTA01', 'latin1');
const STATE_BYTES = 24;

export interface LogState {
  readonly trimHorizon: number;
  /** Random per log; seeds every frame CRC of the log (see format.ts). */
  readonly salt: number;
}

/** The per-log state file: `magic "RNLSTA01" | u64 trimHorizon | u32 salt | u32 CRC32C`. */
export function encodeLogState(state: LogState): Buffer {
  const buf = Buffer.alloc(STATE_BYTES);
  STATE_MAGIC.copy(buf, 0);
  writeU64(buf, state.trimHorizon, 8);
  buf.writeUInt32LE(state.salt, 16);
  buf.writeUInt32LE(crc32c(buf, 0, 20), 20);
  return buf;
}

export function decodeLogState(buf: Buffer): LogState | undefined {
  if (buf.length !== STATE_BYTES || !buf.subarray(0, 8).equals(STATE_MAGIC)) return undefined;
  if (readU32(buf, 20) !== crc32c(buf, 0, 20)) return undefined;
  return { trimHorizon: readU64(buf, 8), salt: readU32(buf, 16) };
}
