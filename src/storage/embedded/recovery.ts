/**
 * Walking a segment's frames after a restart: rebuilds what the index needs and tells a torn
 * tail (the last write was cut short: nothing valid follows) from damage in the middle (valid
 * frames follow the bad bytes). How the two are told apart is described in
 * docs/decisions/0001-record-log-format.md.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Logger } from '../../server/logger.js';
import { readAt } from './files.js';
import { BODY_FIXED_BYTES, checkFrame, FrameHeader, FRAME_PREFIX_BYTES, MAX_BODY_BYTES, readU32, readU64 } from './format.js';
import type { Segment } from './segment.js';

const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;
/** A frame found while resynchronising must carry a counter this close after the expected one. */
const MAX_COUNTER_JUMP = 2 ** 32;

export interface ScanOutcome {
  /** Offset where the valid frames end and only a torn write follows, if any. */
  readonly tornAt: number | undefined;
  readonly tornReason: string | undefined;
  /** Stretches of damaged bytes followed by valid frames (their records are unreadable). */
  readonly damaged: number;
}

/**
 * Records every valid frame of `segment` from `offset` (where counter `expected` must start) up
 * to `fileSize` into the segment, stepping over damaged stretches that valid frames follow.
 */
export async function scanSegment(
  handle: FileHandle,
  segment: Segment,
  offset: number,
  expected: number,
  fileSize: number,
  salt: number,
  log: Logger,
): Promise<ScanOutcome> {
  let buf: Buffer = Buffer.alloc(0);
  let bufStart = offset;
  let pos = offset;
  let damaged = 0;
  const fill = async (from: number, atLeast: number) => {
    bufStart = from;
    buf = await readAt(handle, from, Math.min(fileSize - from, Math.max(SCAN_CHUNK_BYTES, atLeast)));
  };
  const header = new FrameHeader();
  while (pos < fileSize) {
    let check = checkFrame(buf, pos - bufStart, buf.length, true, salt, header);
    if (check === 'short' && pos + header.frameBytes <= fileSize) {
      await fill(pos, header.frameBytes);
      check = checkFrame(buf, 0, buf.length, true, salt, header);
    }
    if (check === 'ok' && header.counter === expected) {
      segment.recordFrame(expected, pos, header.frameBytes, header.arrivalMs);
      pos += header.frameBytes;
      expected++;
      continue;
    }
    const reason = check === 'ok'
      ? `frame holds counter ${header.counter} where ${expected} was expected`
      : check === 'short' ? 'partial frame at end of file' : header.problem;
    const next = await findNextFrame(handle, pos + 1, fileSize, expected, salt);
    if (!next) return { tornAt: pos, tornReason: reason, damaged };
    if (await isAllZero(handle, pos, next.offset)) {
      // A zero-filled hole is what a crash leaves when later pages of an unfinished write reached
      // the disk before earlier ones; bit rot does not write runs of zeros. The frames behind the
      // hole were never acknowledged, so they go with the torn tail.
      log.error('zero-filled gap before valid frames: discarding from the gap on as a torn write', {
        segment: segment.path, offset: pos, discardedBytes: fileSize - pos, firstCounterAfterGap: next.counter,
      });
      return { tornAt: pos, tornReason: 'zero-filled gap', damaged };
    }
    damaged++;
    log.error('damaged frames in segment: records in this range will not be served', {
      segment: segment.path, offset: pos, endOffset: next.offset, fromCounter: expected, toCounter: next.counter, reason,
    });
    segment.forceEntry = true;
    pos = next.offset;
    expected = next.counter;
    buf = Buffer.alloc(0);
  }
  return { tornAt: undefined, tornReason: undefined, damaged };
}

/** The first offset at or after `from` holding an intact frame with a counter at or after
 * `expected`. The salted CRC keeps a frame-shaped payload inside a record from passing. */
async function findNextFrame(
  handle: FileHandle,
  from: number,
  fileSize: number,
  expected: number,
  salt: number,
): Promise<{ offset: number; counter: number } | undefined> {
  const overlap = FRAME_PREFIX_BYTES + BODY_FIXED_BYTES;
  const header = new FrameHeader();
  for (let chunkStart = from; chunkStart < fileSize; chunkStart += SCAN_CHUNK_BYTES) {
    const chunk = await readAt(handle, chunkStart, Math.min(fileSize - chunkStart, SCAN_CHUNK_BYTES + overlap));
    const limit = Math.min(chunk.length - overlap, SCAN_CHUNK_BYTES - 1);
    for (let i = 0; i <= limit; i++) {
      const bodyLength = readU32(chunk, i);
      if (bodyLength < BODY_FIXED_BYTES || bodyLength > MAX_BODY_BYTES) continue;
      const frameEnd = chunkStart + i + FRAME_PREFIX_BYTES + bodyLength;
      if (frameEnd > fileSize) continue;
      const counter = readU64(chunk, i + FRAME_PREFIX_BYTES);
      if (counter < expected || counter - expected > MAX_COUNTER_JUMP) continue;
      const frame = frameEnd <= chunkStart + chunk.length
        ? chunk.subarray(i, i + FRAME_PREFIX_BYTES + bodyLength)
        : await readAt(handle, chunkStart + i, FRAME_PREFIX_BYTES + bodyLength);
      if (checkFrame(frame, 0, frame.length, true, salt, header) === 'ok' && header.counter === counter) return { offset: chunkStart + i, counter };
    }
  }
  return undefined;
}

async function isAllZero(handle: FileHandle, from: number, to: number): Promise<boolean> {
  for (let at = from; at < to; at += SCAN_CHUNK_BYTES) {
    const chunk = await readAt(handle, at, Math.min(to - at, SCAN_CHUNK_BYTES));
    for (let i = 0; i < chunk.length; i++) if (chunk[i] !== 0) return false;
  }
  return true;
}
