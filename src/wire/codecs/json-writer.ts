/**
 * JSON 1.1 encoding straight into one Buffer: the text JSON.stringify would give for the same
 * value model (blobs → base64 strings, dates → epoch seconds, undefined members left out), without
 * the intermediate copy of the value and the intermediate JSON string. A first pass estimates the
 * size, so a GetRecords reply (mostly base64 text) is written into one allocation, each blob
 * encoded natively and copied once. Large replies are written into reused buffers
 * (reply-buffers.ts).
 */
import { acquireReplyBuffer, releaseReplyBuffer } from './reply-buffers.js';

/** Strings that need escaping in JSON, including lone surrogates (JSON.stringify escapes those). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
/** Anything but ASCII that JSON leaves as it is: a string without such a character is its own
 * JSON text, one byte per character (sequence numbers, shard ids, most partition keys). */
const NOT_PLAIN_ASCII = /[^\u0020\u0021\u0023-\u005b\u005d-\u007f]/;
/** Longest text of a number or `null` as JSON.stringify writes it (`-1.7976931348623157e+308`). */
const NUMBER_BYTES_MAX = 24;
/** Object keys come from a handful of output shapes; their `"key":` text is built once. */
const KEY_CACHE_MAX = 512;

/** How many recent values per key are remembered, and after how many writes without a repeat a
 * key stops looking (sequence numbers, partition keys and data never repeat). */
const RECENT_VALUES = 4;
const MISSES_BEFORE_GIVING_UP = 16;

/**
 * A member key's text, and the last few values written under that key with where their text went.
 * Lists of records repeat values member by member (the ShardId of PutRecords results, the
 * ApproximateArrivalTimestamp Date a GetRecords batch shares): such a value is copied from its
 * earlier text in the same reply instead of being encoded again.
 */
interface KeyEntry {
  readonly text: Buffer;
  /** The writer (JsonWriter.id) the remembered values belong to: positions are only valid in its reply. */
  writer: number;
  readonly values: unknown[];
  readonly starts: number[];
  readonly ends: number[];
  /** Where the next remembered value goes (the oldest is replaced). */
  next: number;
  hits: number;
  misses: number;
}

const keyCache = new Map<string, KeyEntry>();

/** Node's Buffer writers and base64 reader without the argument normalisation of `buffer.write`
 * and `buffer.toString` (hot path). */
interface RawWriters {
  latin1Write(text: string, offset: number): number;
  utf8Write(text: string, offset: number): number;
}
interface RawBase64Reader {
  base64Slice(start: number, end: number): string;
}

/** Arrays longer than this are sized from a sample of their first elements. */
const SIZE_SAMPLE = 16;

/** The encoded size of `value` in bytes to start the buffer with: an upper bound, except that a
 * long array is extrapolated from its first elements and escaped strings may exceed it (the writer
 * grows its buffer for those). Walking every element of a 10,000-record reply only to size it
 * cost as much as growing the buffer now and then. */
function sizeEstimate(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length * 3 + 2;
    case 'number':
    case 'boolean':
      return NUMBER_BYTES_MAX;
    case 'object': {
      if (value === null || value instanceof Date) return NUMBER_BYTES_MAX;
      if (value instanceof Uint8Array) return Math.ceil(value.byteLength / 3) * 4 + 2;
      if (Array.isArray(value)) {
        const sampled = Math.min(value.length, SIZE_SAMPLE);
        let bytes = 0;
        for (let i = 0; i < sampled; i++) bytes += (sizeEstimate(value[i]) || NUMBER_BYTES_MAX) + 1;
        return 2 + (sampled === value.length ? bytes : Math.ceil((bytes / sampled) * value.length));
      }
      let bytes = 2;
      for (const key in value) bytes += key.length * 3 + 4 + sizeEstimate((value as Record<string, unknown>)[key]);
      return bytes;
    }
    default:
      return 0;
  }
}

function keyEntry(key: string): KeyEntry {
  let entry = keyCache.get(key);
  if (entry === undefined) {
    entry = {
      text: Buffer.from(`${JSON.stringify(key)}:`, 'utf8'),
      writer: 0,
      values: new Array<unknown>(RECENT_VALUES).fill(undefined),
      starts: new Array<number>(RECENT_VALUES).fill(0),
      ends: new Array<number>(RECENT_VALUES).fill(0),
      next: 0,
      hits: 0,
      misses: 0,
    };
    if (keyCache.size < KEY_CACHE_MAX) keyCache.set(key, entry);
  }
  return entry;
}

/** Values whose text is worth reusing when the same one comes again under the same key. */
function isRepeatable(value: unknown): boolean {
  return typeof value === 'string' || value instanceof Date;
}

let writers = 0;

class JsonWriter {
  private readonly id = ++writers;
  private buffer: Buffer;
  private raw: RawWriters;
  private position = 0;

  constructor(sizeHint: number) {
    this.buffer = acquireReplyBuffer(Math.max(sizeHint, 64));
    this.raw = this.buffer as unknown as RawWriters;
  }

  result(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  private reserve(bytes: number): void {
    const needed = this.position + bytes;
    if (needed <= this.buffer.length) return;
    const grown = acquireReplyBuffer(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.position);
    releaseReplyBuffer(this.buffer);
    this.buffer = grown;
    this.raw = grown as unknown as RawWriters;
  }

  private ascii(text: string): void {
    this.reserve(text.length);
    this.position += this.raw.latin1Write(text, this.position);
  }

  private byte(code: number): void {
    this.reserve(1);
    this.buffer[this.position++] = code;
  }

  private string(text: string): void {
    if (!NOT_PLAIN_ASCII.test(text)) {
      this.reserve(text.length + 2);
      this.buffer[this.position++] = 0x22;
      this.position += this.raw.latin1Write(text, this.position);
      this.buffer[this.position++] = 0x22;
      return;
    }
    if (NEEDS_ESCAPE.test(text)) {
      const quoted = JSON.stringify(text);
      this.reserve(quoted.length * 3);
      this.position += this.raw.utf8Write(quoted, this.position);
      return;
    }
    this.reserve(text.length * 3 + 2);
    this.buffer[this.position++] = 0x22;
    this.position += this.raw.utf8Write(text, this.position);
    this.buffer[this.position++] = 0x22;
  }

  /** Writes `"key":value`, or copies the value's text from where the same value was written
   * recently under this key in this reply. */
  private member(key: string, value: unknown, entry: KeyEntry): void {
    const text = entry.text;
    this.reserve(text.length);
    this.buffer.set(text, this.position);
    this.position += text.length;
    if (!isRepeatable(value)) {
      this.value(value);
      return;
    }
    if (entry.writer !== this.id) {
      entry.writer = this.id;
      entry.values.fill(undefined);
      entry.hits = 0;
      entry.misses = 0;
    }
    if (entry.hits === 0 && entry.misses >= MISSES_BEFORE_GIVING_UP) {
      this.value(value);
      return;
    }
    const values = entry.values;
    for (let i = 0; i < RECENT_VALUES; i++) {
      if (values[i] !== value) continue;
      const start = entry.starts[i]!;
      const length = entry.ends[i]! - start;
      this.reserve(length);
      this.buffer.copyWithin(this.position, start, start + length);
      this.position += length;
      entry.hits++;
      return;
    }
    entry.misses++;
    const start = this.position;
    this.value(value);
    const slot = entry.next;
    values[slot] = value;
    entry.starts[slot] = start;
    entry.ends[slot] = this.position;
    entry.next = (slot + 1) % RECENT_VALUES;
  }

  private blob(bytes: Uint8Array): void {
    const source = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const text = (source as unknown as RawBase64Reader).base64Slice(0, source.length);
    this.reserve(text.length + 2);
    this.buffer[this.position++] = 0x22;
    this.position += this.raw.latin1Write(text, this.position);
    this.buffer[this.position++] = 0x22;
  }

  private number(value: number): void {
    this.ascii(Number.isFinite(value) ? String(value) : 'null');
  }

  /** Records of one batch share their arrival time: its text is made once per run of equal dates. */
  private lastDateMs = NaN;
  private lastDateText = '';

  private date(value: Date): void {
    const ms = value.getTime();
    if (ms !== this.lastDateMs) {
      this.lastDateMs = ms;
      this.lastDateText = Number.isFinite(ms) ? String(ms / 1000) : 'null';
    }
    this.ascii(this.lastDateText);
  }

  /** Writes `value`; false when it has no JSON form here (undefined, a function, a symbol). */
  value(value: unknown): boolean {
    switch (typeof value) {
      case 'string':
        this.string(value);
        return true;
      case 'number':
        this.number(value);
        return true;
      case 'boolean':
        this.ascii(value ? 'true' : 'false');
        return true;
      case 'object':
        if (value === null) this.ascii('null');
        else if (value instanceof Uint8Array) this.blob(value);
        else if (value instanceof Date) this.date(value);
        else if (Array.isArray(value)) this.array(value);
        else this.object(value as Record<string, unknown>);
        return true;
      case 'bigint':
        // As JSON.stringify: a BigInt has no JSON form.
        throw new TypeError('Do not know how to serialize a BigInt');
      default:
        return false;
    }
  }

  private array(items: readonly unknown[]): void {
    this.byte(0x5b);
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.byte(0x2c);
      if (!this.value(items[i])) this.ascii('null');
    }
    this.byte(0x5d);
  }

  /** The keys of the objects written lately, by position, with their entries: the records of a
   * list have the same keys in the same order, found here without a map lookup. */
  private readonly slotKeys: string[] = [];
  private readonly slotEntries: KeyEntry[] = [];

  private object(members: Record<string, unknown>): void {
    this.byte(0x7b);
    let first = true;
    let slot = 0;
    for (const key in members) {
      const member = members[key];
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      if (!first) this.byte(0x2c);
      first = false;
      let entry: KeyEntry;
      if (this.slotKeys[slot] === key) {
        entry = this.slotEntries[slot]!;
      } else {
        entry = keyEntry(key);
        this.slotKeys[slot] = key;
        this.slotEntries[slot] = entry;
      }
      slot++;
      this.member(key, member, entry);
    }
    this.byte(0x7d);
  }
}

/** The UTF-8 JSON text of `value`, equal to JSON.stringify after blobs and dates are mapped; a
 * top-level value without JSON form gives an empty body. */
export function encodeJson(value: unknown): Buffer {
  const writer = new JsonWriter(sizeEstimate(value));
  if (!writer.value(value)) return Buffer.alloc(0);
  return writer.result();
}
