/**
 * One event-stream message: typed headers and an opaque payload, framed with two CRC32s.
 *
 * Header wire form: name length u8 | name (UTF-8) | type u8 | value. Value by type:
 * 0 true, 1 false (no bytes), 2 int8, 3 int16, 4 int32, 5 int64, 6 bytes (u16 length),
 * 7 UTF-8 string (u16 length), 8 timestamp (int64 epoch ms), 9 UUID (16 bytes). All big-endian.
 */
import { crc32 } from './crc32.js';
import { EventStreamFormatError } from './errors.js';
import {
  CRC_BYTES,
  HEADER_NAME_BYTES_MAX,
  HEADER_VALUE_BYTES_MAX,
  HEADERS_BYTES_MAX,
  MESSAGE_BYTES_MAX,
  MESSAGE_BYTES_MIN,
  PRELUDE_BYTES,
  PRELUDE_WITH_CRC_BYTES,
  UUID_BYTES,
} from './limits.js';

export type HeaderValue =
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'byte'; readonly value: number }
  | { readonly type: 'short'; readonly value: number }
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'long'; readonly value: bigint }
  | { readonly type: 'binary'; readonly value: Uint8Array }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'timestamp'; readonly value: Date }
  /** Lower-case hyphenated form, e.g. `01020304-0506-0708-090a-0b0c0d0e0f10`. */
  | { readonly type: 'uuid'; readonly value: string };

export interface EventStreamHeader {
  readonly name: string;
  readonly value: HeaderValue;
}

export interface EventStreamFrame {
  /** In wire order; names may repeat on the wire, so this is a list rather than a map. */
  readonly headers: readonly EventStreamHeader[];
  readonly payload: Uint8Array;
}

const TYPE_TRUE = 0;
const TYPE_FALSE = 1;
const TYPE_BYTE = 2;
const TYPE_SHORT = 3;
const TYPE_INTEGER = 4;
const TYPE_LONG = 5;
const TYPE_BINARY = 6;
const TYPE_STRING = 7;
const TYPE_TIMESTAMP = 8;
const TYPE_UUID = 9;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Convenience for readers: the first header of that name, or undefined. */
export function headerValue(frame: EventStreamFrame, name: string): HeaderValue['value'] | undefined {
  return frame.headers.find((header) => header.name === name)?.value.value;
}

export function encodeHeaders(headers: readonly EventStreamHeader[]): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  for (const { name, value } of headers) {
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length === 0 || nameBytes.length > HEADER_NAME_BYTES_MAX) {
      throw new EventStreamFormatError(`header name must be 1 to ${HEADER_NAME_BYTES_MAX} bytes, got ${nameBytes.length}`);
    }
    const encodedValue = encodeHeaderValue(name, value);
    const part = Buffer.allocUnsafe(1 + nameBytes.length + encodedValue.length);
    part[0] = nameBytes.length;
    nameBytes.copy(part, 1);
    encodedValue.copy(part, 1 + nameBytes.length);
    parts.push(part);
    total += part.length;
  }
  if (total > HEADERS_BYTES_MAX) throw new EventStreamFormatError(`headers take ${total} bytes, more than ${HEADERS_BYTES_MAX}`);
  return Buffer.concat(parts, total);
}

function encodeHeaderValue(name: string, header: HeaderValue): Buffer {
  switch (header.type) {
    case 'boolean':
      return Buffer.from([header.value ? TYPE_TRUE : TYPE_FALSE]);
    case 'byte': {
      const out = Buffer.allocUnsafe(2);
      out[0] = TYPE_BYTE;
      out.writeInt8(header.value, 1);
      return out;
    }
    case 'short': {
      const out = Buffer.allocUnsafe(3);
      out[0] = TYPE_SHORT;
      out.writeInt16BE(header.value, 1);
      return out;
    }
    case 'integer': {
      const out = Buffer.allocUnsafe(5);
      out[0] = TYPE_INTEGER;
      out.writeInt32BE(header.value, 1);
      return out;
    }
    case 'long': {
      const out = Buffer.allocUnsafe(9);
      out[0] = TYPE_LONG;
      out.writeBigInt64BE(header.value, 1);
      return out;
    }
    case 'timestamp': {
      const ms = header.value.getTime();
      if (!Number.isFinite(ms)) throw new EventStreamFormatError(`header ${name}: invalid date`);
      const out = Buffer.allocUnsafe(9);
      out[0] = TYPE_TIMESTAMP;
      out.writeBigInt64BE(BigInt(ms), 1);
      return out;
    }
    case 'binary':
    case 'string': {
      const bytes = header.type === 'string' ? Buffer.from(header.value, 'utf8') : Buffer.from(header.value.buffer, header.value.byteOffset, header.value.byteLength);
      if (bytes.length > HEADER_VALUE_BYTES_MAX) {
        throw new EventStreamFormatError(`header ${name}: ${header.type} value takes ${bytes.length} bytes, more than ${HEADER_VALUE_BYTES_MAX}`);
      }
      const out = Buffer.allocUnsafe(3 + bytes.length);
      out[0] = header.type === 'string' ? TYPE_STRING : TYPE_BINARY;
      out.writeUInt16BE(bytes.length, 1);
      bytes.copy(out, 3);
      return out;
    }
    case 'uuid': {
      if (!UUID_PATTERN.test(header.value)) throw new EventStreamFormatError(`header ${name}: not a UUID: ${header.value}`);
      const out = Buffer.allocUnsafe(1 + UUID_BYTES);
      out[0] = TYPE_UUID;
      Buffer.from(header.value.replace(/-/g, ''), 'hex').copy(out, 1);
      return out;
    }
  }
}

export function decodeHeaders(bytes: Uint8Array): EventStreamHeader[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers: EventStreamHeader[] = [];
  let at = 0;
  const need = (count: number, what: string) => {
    if (at + count > buf.length) throw new EventStreamFormatError(`headers end inside ${what} at byte ${at}`);
  };
  while (at < buf.length) {
    const nameLength = buf[at]!;
    at += 1;
    if (nameLength === 0) throw new EventStreamFormatError('header with an empty name');
    need(nameLength + 1, 'a header name');
    const name = buf.toString('utf8', at, at + nameLength);
    at += nameLength;
    const type = buf[at]!;
    at += 1;
    let value: HeaderValue;
    switch (type) {
      case TYPE_TRUE:
        value = { type: 'boolean', value: true };
        break;
      case TYPE_FALSE:
        value = { type: 'boolean', value: false };
        break;
      case TYPE_BYTE:
        need(1, `header ${name}`);
        value = { type: 'byte', value: buf.readInt8(at) };
        at += 1;
        break;
      case TYPE_SHORT:
        need(2, `header ${name}`);
        value = { type: 'short', value: buf.readInt16BE(at) };
        at += 2;
        break;
      case TYPE_INTEGER:
        need(4, `header ${name}`);
        value = { type: 'integer', value: buf.readInt32BE(at) };
        at += 4;
        break;
      case TYPE_LONG:
        need(8, `header ${name}`);
        value = { type: 'long', value: buf.readBigInt64BE(at) };
        at += 8;
        break;
      case TYPE_TIMESTAMP:
        need(8, `header ${name}`);
        value = { type: 'timestamp', value: new Date(Number(buf.readBigInt64BE(at))) };
        at += 8;
        break;
      case TYPE_BINARY:
      case TYPE_STRING: {
        need(2, `header ${name}`);
        const length = buf.readUInt16BE(at);
        at += 2;
        need(length, `header ${name}`);
        value = type === TYPE_STRING
          ? { type: 'string', value: buf.toString('utf8', at, at + length) }
          : { type: 'binary', value: Uint8Array.prototype.slice.call(buf, at, at + length) };
        at += length;
        break;
      }
      case TYPE_UUID: {
        need(UUID_BYTES, `header ${name}`);
        const hex = buf.toString('hex', at, at + UUID_BYTES);
        value = { type: 'uuid', value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
        at += UUID_BYTES;
        break;
      }
      default:
        throw new EventStreamFormatError(`header ${name} has unknown value type ${type}`);
    }
    headers.push({ name, value });
  }
  return headers;
}

export function encodeFrame(frame: EventStreamFrame): Buffer {
  const headers = encodeHeaders(frame.headers);
  const total = MESSAGE_BYTES_MIN + headers.length + frame.payload.byteLength;
  if (total > MESSAGE_BYTES_MAX) throw new EventStreamFormatError(`message takes ${total} bytes, more than ${MESSAGE_BYTES_MAX}`);
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headers.length, 4);
  out.writeUInt32BE(crc32(out, 0, 0, PRELUDE_BYTES), PRELUDE_BYTES);
  headers.copy(out, PRELUDE_WITH_CRC_BYTES);
  out.set(frame.payload, PRELUDE_WITH_CRC_BYTES + headers.length);
  out.writeUInt32BE(crc32(out, 0, 0, total - CRC_BYTES), total - CRC_BYTES);
  return out;
}

export interface Prelude {
  readonly totalLength: number;
  readonly headersLength: number;
}

/** Checks the first PRELUDE_WITH_CRC_BYTES of a message and returns its lengths. */
export function readPrelude(bytes: Uint8Array): Prelude {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const totalLength = buf.readUInt32BE(0);
  const headersLength = buf.readUInt32BE(4);
  const expected = buf.readUInt32BE(PRELUDE_BYTES);
  const actual = crc32(buf, 0, 0, PRELUDE_BYTES);
  if (expected !== actual) throw new EventStreamFormatError(`prelude checksum mismatch: expected ${hex(expected)}, computed ${hex(actual)}`);
  if (totalLength < MESSAGE_BYTES_MIN || totalLength > MESSAGE_BYTES_MAX) {
    throw new EventStreamFormatError(`message length ${totalLength} is outside ${MESSAGE_BYTES_MIN}..${MESSAGE_BYTES_MAX}`);
  }
  if (headersLength > HEADERS_BYTES_MAX || headersLength > totalLength - MESSAGE_BYTES_MIN) {
    throw new EventStreamFormatError(`headers length ${headersLength} does not fit a ${totalLength}-byte message`);
  }
  return { totalLength, headersLength };
}

/** Decodes exactly one whole message. */
export function decodeFrame(bytes: Uint8Array): EventStreamFrame {
  if (bytes.byteLength < PRELUDE_WITH_CRC_BYTES) throw new EventStreamFormatError(`${bytes.byteLength} bytes are too few for a message`);
  const { totalLength, headersLength } = readPrelude(bytes);
  if (bytes.byteLength !== totalLength) throw new EventStreamFormatError(`message says ${totalLength} bytes, got ${bytes.byteLength}`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expected = buf.readUInt32BE(totalLength - CRC_BYTES);
  const actual = crc32(buf, 0, 0, totalLength - CRC_BYTES);
  if (expected !== actual) throw new EventStreamFormatError(`message checksum mismatch: expected ${hex(expected)}, computed ${hex(actual)}`);
  const headersEnd = PRELUDE_WITH_CRC_BYTES + headersLength;
  return {
    headers: decodeHeaders(buf.subarray(PRELUDE_WITH_CRC_BYTES, headersEnd)),
    payload: Uint8Array.prototype.slice.call(buf, headersEnd, totalLength - CRC_BYTES),
  };
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
