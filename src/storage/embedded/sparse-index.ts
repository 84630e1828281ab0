/**
 * The in-memory sparse index of one segment: every few records (by count and by bytes) the
 * counter, file offset and arrival time of a frame. Reads start at the nearest entry at or before
 * the wanted counter and scan forward a short way. Persisted per segment as `<first>.idx`
 * (layout in format.ts terms):
 *   magic "RNLIDX01" | u32 version | u32 entryCount | u64 firstCounter | u64 nextCounter
 *   | u64 endOffset | u64 lastFrameOffset | f64 firstArrivalMs | f64 lastArrivalMs
 *   | entryCount × (u64 counter | u64 offset | f64 arrivalMs) | u32 CRC32C of everything before
 */
import { crc32c } from './crc32c.js';
import { readU32, readU64, writeU64 } from './format.js';

const INDEX_MAGIC = Buffer.from('RNLIDX01', 'latin1');
const INDEX_VERSION = 1;
const INDEX_HEADER_BYTES = 64;
const ENTRY_BYTES = 24;

export class SparseIndex {
  counters: Float64Array;
  offsets: Float64Array;
  arrivals: Float64Array;
  length = 0;

  constructor(capacity = 16) {
    this.counters = new Float64Array(capacity);
    this.offsets = new Float64Array(capacity);
    this.arrivals = new Float64Array(capacity);
  }

  push(counter: number, offset: number, arrivalMs: number): void {
    if (this.length === this.counters.length) this.grow();
    this.counters[this.length] = counter;
    this.offsets[this.length] = offset;
    this.arrivals[this.length] = arrivalMs;
    this.length++;
  }

  lastCounter(): number {
    return this.length > 0 ? this.counters[this.length - 1]! : -1;
  }

  lastOffset(): number {
    return this.length > 0 ? this.offsets[this.length - 1]! : -1;
  }

  /** Position of the last entry whose counter is <= `counter`, or -1. */
  floorByCounter(counter: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.counters[mid]! <= counter) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Position of the last entry whose arrival is < `timestampMs`, or -1. */
  lastBeforeArrival(timestampMs: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.arrivals[mid]! < timestampMs) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  private grow(): void {
    const size = this.counters.length * 2;
    const grow = (old: Float64Array) => {
      const next = new Float64Array(size);
      next.set(old);
      return next;
    };
    this.counters = grow(this.counters);
    this.offsets = grow(this.offsets);
    this.arrivals = grow(this.arrivals);
  }
}

export interface SegmentSummary {
  readonly firstCounter: number;
  readonly nextCounter: number;
  readonly endOffset: number;
  /** Offset of the last frame, so a loader can check the frame is really there. */
  readonly lastFrameOffset: number;
  readonly firstArrivalMs: number;
  readonly lastArrivalMs: number;
}

export function encodeIndexFile(summary: SegmentSummary, index: SparseIndex): Buffer {
  const buf = Buffer.alloc(INDEX_HEADER_BYTES + index.length * ENTRY_BYTES + 4);
  INDEX_MAGIC.copy(buf, 0);
  buf.writeUInt32LE(INDEX_VERSION, 8);
  buf.writeUInt32LE(index.length, 12);
  writeU64(buf, summary.firstCounter, 16);
  writeU64(buf, summary.nextCounter, 24);
  writeU64(buf, summary.endOffset, 32);
  writeU64(buf, summary.lastFrameOffset, 40);
  buf.writeDoubleLE(summary.firstArrivalMs, 48);
  buf.writeDoubleLE(summary.lastArrivalMs, 56);
  let at = INDEX_HEADER_BYTES;
  for (let i = 0; i < index.length; i++) {
    writeU64(buf, index.counters[i]!, at);
    writeU64(buf, index.offsets[i]!, at + 8);
    buf.writeDoubleLE(index.arrivals[i]!, at + 16);
    at += ENTRY_BYTES;
  }
  buf.writeUInt32LE(crc32c(buf, 0, at), at);
  return buf;
}

/** Undefined when the bytes are not a complete, intact index file. */
export function decodeIndexFile(buf: Buffer): { summary: SegmentSummary; index: SparseIndex } | undefined {
  if (buf.length < INDEX_HEADER_BYTES + 4 || !buf.subarray(0, 8).equals(INDEX_MAGIC)) return undefined;
  if (buf.readUInt32LE(8) !== INDEX_VERSION) return undefined;
  const count = buf.readUInt32LE(12);
  const end = INDEX_HEADER_BYTES + count * ENTRY_BYTES;
  if (buf.length !== end + 4 || readU32(buf, end) !== crc32c(buf, 0, end)) return undefined;
  const index = new SparseIndex(Math.max(16, count));
  for (let at = INDEX_HEADER_BYTES; at < end; at += ENTRY_BYTES) {
    index.push(readU64(buf, at), readU64(buf, at + 8), buf.readDoubleLE(at + 16));
  }
  return {
    summary: {
      firstCounter: readU64(buf, 16),
      nextCounter: readU64(buf, 24),
      endOffset: readU64(buf, 32),
      lastFrameOffset: readU64(buf, 40),
      firstArrivalMs: buf.readDoubleLE(48),
      lastArrivalMs: buf.readDoubleLE(56),
    },
    index,
  };
}
