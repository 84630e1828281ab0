/**
 * Byte layout of segment files and their index files (docs/decisions/0001-record-log-format.md).
 * All integers are little-endian. Counters are written as u64 but stay below 2^53.
 *
 * Segment file `<firstCounter, 20 digits>.seg`:
 *   header (28 bytes): magic "RNLSEG01" | u32 format version | u64 firstCounter | u32 log salt
 *                      | u32 CRC32C of bytes 0..24
 *   frames, back to back:
 *     u32 bodyLength | u32 CRC32C(body) seeded with the log's salt | body
 *     body: u64 counter | f64 arrivalMs | u16 keyLength | u16 attributesLength | u32 dataLength
 *           | key (UTF-8) | attributes (UTF-8) | data
 */
import { crc32c } from './crc32c.js';

export const SEGMENT_MAGIC = Buffer.from('RNLSEG01', 'latin1');
export const FORMAT_VERSION = 1;
export const SEGMENT_HEADER_BYTES = 28;
/** bodyLength + crc. */
export const FRAME_PREFIX_BYTES = 8;
export const BODY_FIXED_BYTES = 24;
export const FRAME_OVERHEAD_BYTES = FRAME_PREFIX_BYTES + BODY_FIXED_BYTES;
/** Larger than any record Kinesis accepts (10 MiB data + 256-char key), small enough to reject
 * garbage lengths quickly. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
export const MAX_ATTRIBUTES_BYTES = 0xffff;

const TWO_32 = 2 ** 32;

export function writeU64(buf: Buffer, value: number, offset: number): void {
  buf.writeUInt32LE(value % TWO_32, offset);
  buf.writeUInt32LE(Math.floor(value / TWO_32), offset + 4);
}

export function readU64(buf: Uint8Array, offset: number): number {
  const lo = buf[offset]! | (buf[offset + 1]! << 8) | (buf[offset + 2]! << 16) | (buf[offset + 3]! << 24);
  const hi = buf[offset + 4]! | (buf[offset + 5]! << 8) | (buf[offset + 6]! << 16) | (buf[offset + 7]! << 24);
  return (hi >>> 0) * TWO_32 + (lo >>> 0);
}

export function readU32(buf: Uint8Array, offset: number): number {
  return (buf[offset]! | (buf[offset + 1]! << 8) | (buf[offset + 2]! << 16) | (buf[offset + 3]! << 24)) >>> 0;
}

export function segmentFileName(firstCounter: number): string {
  return `${String(firstCounter).padStart(20, '0')}.seg`;
}

export function indexFileName(firstCounter: number): string {
  return `${String(firstCounter).padStart(20, '0')}.idx`;
}

const SEGMENT_NAME = /^(\d{20})\.seg$/;

export function parseSegmentFileName(name: string): number | undefined {
  const match = SEGMENT_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function encodeSegmentHeader(firstCounter: number, salt: number): Buffer {
  const buf = Buffer.alloc(SEGMENT_HEADER_BYTES);
  SEGMENT_MAGIC.copy(buf, 0);
  buf.writeUInt32LE(FORMAT_VERSION, 8);
  writeU64(buf, firstCounter, 12);
  buf.writeUInt32LE(salt, 20);
  buf.writeUInt32LE(crc32c(buf, 0, 24), 24);
  return buf;
}

export type SegmentHeaderCheck = { readonly salt: number; readonly problem?: undefined } | { readonly problem: string };

/** The header's salt, or why the header is unusable for a segment starting at `firstCounter`. */
export function checkSegmentHeader(buf: Uint8Array, firstCounter: number): SegmentHeaderCheck {
  if (buf.length < SEGMENT_HEADER_BYTES) return { problem: 'short header' };
  if (!Buffer.from(buf.buffer, buf.byteOffset, 8).equals(SEGMENT_MAGIC)) return { problem: 'bad magic' };
  if (readU32(buf, 24) !== crc32c(buf, 0, 24)) return { problem: 'header checksum mismatch' };
  if (readU32(buf, 8) !== FORMAT_VERSION) return { problem: `unsupported format version ${readU32(buf, 8)}` };
  if (readU64(buf, 12) !== firstCounter) return { problem: `header says first counter ${readU64(buf, 12)}` };
  return { salt: readU32(buf, 20) };
}

/** What checkFrame found. Reused from frame to frame, so walking a chunk allocates nothing per
 * frame. */
export class FrameHeader {
  /** For 'short': how many bytes from the frame's start are needed to check it. */
  frameBytes = 0;
  counter = 0;
  arrivalMs = 0;
  keyLength = 0;
  attributesLength = 0;
  dataLength = 0;
  /** For 'bad': why. */
  problem = '';
}

/** 'short': the buffer ends before the frame does. */
export type FrameCheck = 'ok' | 'short' | 'bad';

/**
 * Parses the frame at `offset` of `buf[.., end)` into `header`. With `verify`, also checks the
 * body CRC (seeded with the log's `salt`); without, only the structural checks (used when skipping
 * over frames that are not returned).
 */
export function checkFrame(buf: Buffer, offset: number, end: number, verify: boolean, salt: number, header: FrameHeader): FrameCheck {
  if (end - offset < FRAME_PREFIX_BYTES) {
    header.frameBytes = FRAME_OVERHEAD_BYTES;
    return 'short';
  }
  const bodyLength = readU32(buf, offset);
  if (bodyLength < BODY_FIXED_BYTES || bodyLength > MAX_BODY_BYTES) return bad(header, `implausible frame length ${bodyLength}`);
  const frameBytes = FRAME_PREFIX_BYTES + bodyLength;
  header.frameBytes = frameBytes;
  if (end - offset < frameBytes) return 'short';
  const body = offset + FRAME_PREFIX_BYTES;
  const keyLength = buf[body + 16]! | (buf[body + 17]! << 8);
  const attributesLength = buf[body + 18]! | (buf[body + 19]! << 8);
  const dataLength = readU32(buf, body + 20);
  if (BODY_FIXED_BYTES + keyLength + attributesLength + dataLength !== bodyLength) {
    return bad(header, 'frame length does not match its field lengths');
  }
  if (verify && crc32c(buf, body, body + bodyLength, salt) !== readU32(buf, offset + 4)) {
    return bad(header, 'checksum mismatch');
  }
  header.counter = readU64(buf, body);
  header.arrivalMs = buf.readDoubleLE(body + 8);
  header.keyLength = keyLength;
  header.attributesLength = attributesLength;
  header.dataLength = dataLength;
  return 'ok';
}

function bad(header: FrameHeader, problem: string): 'bad' {
  header.problem = problem;
  return 'bad';
}
