/**
 * One segment file of a log: what is in it (counters, byte range, arrival times) and its sparse
 * index. The bytes themselves stay on disk.
 */
import { join } from 'node:path';
import { indexFileName, SEGMENT_HEADER_BYTES, segmentFileName } from './format.js';
import { SparseIndex, type SegmentSummary } from './sparse-index.js';

export interface IndexSpacing {
  /** An index entry at least every this many bytes of frames... */
  readonly bytes: number;
  /** ...and at least every this many records. */
  readonly records: number;
}

export class Segment {
  readonly path: string;
  readonly indexPath: string;
  /** One past the last counter written to the file. */
  nextCounter: number;
  /** End of the last complete frame. */
  endOffset = SEGMENT_HEADER_BYTES;
  lastFrameOffset = 0;
  firstArrivalMs = Number.NaN;
  lastArrivalMs = Number.NaN;
  index = new SparseIndex();
  sealed = false;
  /** endOffset when the index file was last written. */
  indexedOffset = 0;
  /** Makes the next recorded frame an index entry (the first good frame after damage). */
  forceEntry = false;

  constructor(dir: string, readonly firstCounter: number, private readonly spacing: IndexSpacing) {
    this.path = join(dir, segmentFileName(firstCounter));
    this.indexPath = join(dir, indexFileName(firstCounter));
    this.nextCounter = firstCounter;
  }

  get isEmpty(): boolean {
    return Number.isNaN(this.lastArrivalMs);
  }

  recordFrame(counter: number, offset: number, frameBytes: number, arrivalMs: number): void {
    const index = this.index;
    if (
      index.length === 0 ||
      this.forceEntry ||
      offset - index.lastOffset() >= this.spacing.bytes ||
      counter - index.lastCounter() >= this.spacing.records
    ) {
      index.push(counter, offset, arrivalMs);
      this.forceEntry = false;
    }
    if (Number.isNaN(this.firstArrivalMs)) this.firstArrivalMs = arrivalMs;
    this.lastArrivalMs = arrivalMs;
    this.lastFrameOffset = offset;
    this.nextCounter = counter + 1;
    this.endOffset = offset + frameBytes;
  }

  summary(): SegmentSummary {
    return {
      firstCounter: this.firstCounter,
      nextCounter: this.nextCounter,
      endOffset: this.endOffset,
      lastFrameOffset: this.lastFrameOffset,
      firstArrivalMs: this.firstArrivalMs,
      lastArrivalMs: this.lastArrivalMs,
    };
  }

  adopt(summary: SegmentSummary, index: SparseIndex): void {
    this.nextCounter = summary.nextCounter;
    this.endOffset = summary.endOffset;
    this.lastFrameOffset = summary.lastFrameOffset;
    this.firstArrivalMs = summary.firstArrivalMs;
    this.lastArrivalMs = summary.lastArrivalMs;
    this.index = index;
    this.indexedOffset = summary.endOffset;
  }

  /** Average bytes per frame, for sizing reads. */
  averageFrameBytes(): number {
    const count = this.nextCounter - this.firstCounter;
    return count > 0 ? Math.max(1, (this.endOffset - SEGMENT_HEADER_BYTES) / count) : 1024;
  }
}
