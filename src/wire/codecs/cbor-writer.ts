/**
 * CBOR 1.1 replies written straight into one Buffer, byte for byte what cbor.ts's general path
 * (toCborValue, then cbor-x with the codec's options) writes for the same value model: maps with
 * definite lengths and undefined members left out, blobs as byte strings (copied once), dates as
 * tag 1 + 64-bit epoch milliseconds, integers in the smallest head up to 32 bits and as 64-bit
 * integers beyond, other numbers as float64.
 *
 * Anything outside that model (functions, symbols, BigInts, typed arrays other than bytes, invalid
 * dates) makes `encodeCbor` return undefined, and the caller takes the general path.
 */

const MAJOR_UNSIGNED = 0;
const MAJOR_NEGATIVE = 1;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_ARRAY = 4;
const MAJOR_MAP = 5;
const UINT32_MAX = 0xffffffff;
/** Tag 1 (epoch time) with an 8-byte unsigned integer following. */
const EPOCH_TAG_HEAD = 0xc1;
const FLOAT64_HEAD = 0xfb;
const HEAD_BYTES_MAX = 9;

/** Map keys come from a handful of output shapes; their encoded text is built once. */
const KEY_CACHE_MAX = 512;
const keyCache = new Map<string, Buffer>();

/** Thrown inside the writer for a value outside the model; never escapes this module. */
const UNSUPPORTED = Symbol('unsupported');

/** Node's UTF-8 writer without the argument normalisation of `buffer.write` (hot path). */
interface RawUtf8Writer {
  utf8Write(text: string, offset: number): number;
}

function headBytes(length: number): number {
  return length < 24 ? 1 : length <= 0xff ? 2 : length <= 0xffff ? 3 : 5;
}

/** Upper bound of the encoded size of `value`. */
function sizeBound(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length * 3 + HEAD_BYTES_MAX;
    case 'object': {
      if (value === null) return 1;
      if (value instanceof Uint8Array) return value.byteLength + HEAD_BYTES_MAX;
      if (value instanceof Date) return 1 + HEAD_BYTES_MAX;
      let bytes = HEAD_BYTES_MAX;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) bytes += sizeBound(value[i]);
        return bytes;
      }
      for (const key in value) bytes += key.length * 3 + HEAD_BYTES_MAX + sizeBound((value as Record<string, unknown>)[key]);
      return bytes;
    }
    default:
      return HEAD_BYTES_MAX;
  }
}

class CborWriter {
  private buffer: Buffer;
  private position = 0;

  constructor(sizeHint: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(sizeHint, 64));
  }

  result(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  private reserve(bytes: number): void {
    const needed = this.position + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  /** A head with the smallest argument encoding (lengths and integers up to 32 bits). */
  private head(major: number, argument: number): void {
    this.reserve(5);
    const buffer = this.buffer;
    const type = major << 5;
    if (argument < 24) {
      buffer[this.position++] = type | argument;
    } else if (argument <= 0xff) {
      buffer[this.position++] = type | 24;
      buffer[this.position++] = argument;
    } else if (argument <= 0xffff) {
      buffer[this.position++] = type | 25;
      buffer.writeUInt16BE(argument, this.position);
      this.position += 2;
    } else {
      buffer[this.position++] = type | 26;
      buffer.writeUInt32BE(argument, this.position);
      this.position += 4;
    }
  }

  /** A head with an 8-byte argument, as cbor-x writes every BigInt. */
  private head64(major: number, argument: number): void {
    this.reserve(9);
    this.buffer[this.position++] = (major << 5) | 27;
    // A safe integer: the high word is exact as a quotient, the low word as a remainder.
    this.buffer.writeUInt32BE(Math.floor(argument / 0x100000000), this.position);
    this.buffer.writeUInt32BE(argument % 0x100000000, this.position + 4);
    this.position += 8;
  }

  private number(value: number): void {
    if (Number.isInteger(value)) {
      if (value >= 0 && value <= UINT32_MAX) return this.head(MAJOR_UNSIGNED, value);
      if (value < 0 && value >= -UINT32_MAX) return this.head(MAJOR_NEGATIVE, -1 - value);
      if (Number.isSafeInteger(value)) return value > 0 ? this.head64(MAJOR_UNSIGNED, value) : this.head64(MAJOR_NEGATIVE, -1 - value);
    }
    this.reserve(9);
    this.buffer[this.position++] = FLOAT64_HEAD;
    this.buffer.writeDoubleBE(value, this.position);
    this.position += 8;
  }

  private text(value: string): void {
    // Written after a head sized for an all-ASCII text; moved when the UTF-8 length needs another.
    const guessedHead = headBytes(value.length);
    this.reserve(value.length * 3 + HEAD_BYTES_MAX);
    const start = this.position;
    const written = (this.buffer as unknown as RawUtf8Writer).utf8Write(value, start + guessedHead);
    const actualHead = headBytes(written);
    if (actualHead !== guessedHead) this.buffer.copyWithin(start + actualHead, start + guessedHead, start + guessedHead + written);
    this.head(MAJOR_TEXT, written);
    this.position += written;
  }

  private key(key: string): void {
    const cached = keyCache.get(key);
    if (cached === undefined) {
      const start = this.position;
      this.text(key);
      if (keyCache.size < KEY_CACHE_MAX) keyCache.set(key, Buffer.from(this.buffer.subarray(start, this.position)));
      return;
    }
    this.reserve(cached.length);
    this.buffer.set(cached, this.position);
    this.position += cached.length;
  }

  private bytes(value: Uint8Array): void {
    this.head(MAJOR_BYTES, value.byteLength);
    this.reserve(value.byteLength);
    this.buffer.set(value, this.position);
    this.position += value.byteLength;
  }

  private date(value: Date): void {
    const ms = value.getTime();
    if (!Number.isSafeInteger(ms) || ms < 0) throw UNSUPPORTED;
    this.reserve(1);
    this.buffer[this.position++] = EPOCH_TAG_HEAD;
    this.head64(MAJOR_UNSIGNED, ms);
  }

  value(value: unknown): void {
    switch (typeof value) {
      case 'string':
        return this.text(value);
      case 'number':
        return this.number(value);
      case 'boolean':
        this.reserve(1);
        this.buffer[this.position++] = value ? 0xf5 : 0xf4;
        return;
      case 'object':
        if (value === null) {
          this.reserve(1);
          this.buffer[this.position++] = 0xf6;
          return;
        }
        if (value instanceof Uint8Array) return this.bytes(value);
        if (value instanceof Date) return this.date(value);
        if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) throw UNSUPPORTED;
        if (Array.isArray(value)) return this.array(value);
        return this.map(value as Record<string, unknown>);
      default:
        throw UNSUPPORTED;
    }
  }

  private array(items: readonly unknown[]): void {
    this.head(MAJOR_ARRAY, items.length);
    for (let i = 0; i < items.length; i++) {
      if (items[i] === undefined) throw UNSUPPORTED;
      this.value(items[i]);
    }
  }

  private map(members: Record<string, unknown>): void {
    let count = 0;
    for (const key in members) if (Object.prototype.hasOwnProperty.call(members, key) && members[key] !== undefined) count++;
    this.head(MAJOR_MAP, count);
    for (const key in members) {
      if (!Object.prototype.hasOwnProperty.call(members, key)) continue;
      const member = members[key];
      if (member === undefined) continue;
      this.key(key);
      this.value(member);
    }
  }
}

/** The CBOR bytes of `value`, or undefined when it is outside the model this writer knows. */
export function encodeCbor(value: unknown): Buffer | undefined {
  const writer = new CborWriter(sizeBound(value));
  try {
    writer.value(value);
  } catch (err) {
    if (err === UNSUPPORTED) return undefined;
    throw err;
  }
  return writer.result();
}
