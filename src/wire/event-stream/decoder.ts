/**
 * Incremental event-stream decoder: feed it chunks split anywhere (down to single bytes) and it
 * returns each message once all of its bytes have arrived. The prelude is checked as soon as its
 * 12 bytes are in, so a corrupt length never makes the decoder wait for (or buffer) a bogus
 * amount of data. Buffering is bounded by MESSAGE_BYTES_MAX.
 */
import { EventStreamFormatError } from './errors.js';
import { PRELUDE_WITH_CRC_BYTES } from './limits.js';
import { decodeFrame, readPrelude, type EventStreamFrame } from './message.js';

export class EventStreamDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Length of the message being assembled, once its prelude has been checked. */
  private pendingLength: number | undefined;

  push(chunk: Uint8Array): EventStreamFrame[] {
    if (chunk.byteLength > 0) {
      this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.buffered += chunk.byteLength;
    }
    const frames: EventStreamFrame[] = [];
    for (;;) {
      if (this.pendingLength === undefined) {
        if (this.buffered < PRELUDE_WITH_CRC_BYTES) break;
        this.pendingLength = readPrelude(this.peek(PRELUDE_WITH_CRC_BYTES)).totalLength;
      }
      if (this.buffered < this.pendingLength) break;
      frames.push(decodeFrame(this.take(this.pendingLength)));
      this.pendingLength = undefined;
    }
    return frames;
  }

  /** Call at end of input: throws when a message was cut off. */
  end(): void {
    if (this.buffered > 0) throw new EventStreamFormatError(`input ended inside a message (${this.buffered} bytes left over)`);
  }

  private peek(count: number): Buffer {
    this.compact();
    return this.chunks[0]!.subarray(0, count);
  }

  private take(count: number): Buffer {
    this.compact();
    const head = this.chunks[0]!;
    const taken = head.subarray(0, count);
    if (head.length === count) this.chunks.shift();
    else this.chunks[0] = head.subarray(count);
    this.buffered -= count;
    return taken;
  }

  /** Joins everything buffered into one chunk, so the first chunk holds any prefix we look at. */
  private compact(): void {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
  }
}

/** Decodes a byte stream into messages; throws on malformed input or a truncated final message. */
export async function* decodeEventStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<EventStreamFrame> {
  const decoder = new EventStreamDecoder();
  for await (const chunk of source) yield* decoder.push(chunk);
  decoder.end();
}
