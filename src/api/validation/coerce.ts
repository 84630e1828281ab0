/**
 * The type pass: turns a decoded request body into the handler's input or throws
 * SerializationException, as AWS's deserializer does before any constraint is checked.
 *
 * - Members the model does not know, and members whose value is null, are dropped.
 * - JSON: blobs are base64 strings → Buffer (AWS's base64 errors); timestamps are epoch seconds,
 *   maybe fractional → Date; integers are truncated toward zero and wrap like Java's
 *   BigDecimal.intValue()/longValue() (AWS accepts ShardCount 100000000000 without error).
 * - CBOR: byte strings arrive as Buffer/Uint8Array, timestamps as Date, large integers maybe as bigint.
 * - The first wrong value in document order wins, as with AWS's streaming parser.
 */
import { SerializationException } from '../../errors/common.js';
import { Kind, type ShapeNode } from './compile.js';
import { serializationText, type TargetType } from './messages.js';

function fail(message: string): never {
  throw new SerializationException(message);
}

/** The message for a value that is a list or an object where a scalar was expected. */
function containerMismatch(value: object): never {
  fail(Array.isArray(value) ? serializationText.listStart : serializationText.structureStart);
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The exact error for text that is not strict base64 (the slow path, only for bad input). */
function base64Error(text: string): never {
  const bad = /[^A-Za-z0-9+/=]|=[^=]/.exec(text);
  if (bad) fail(serializationText.base64Character(text, bad[0].charAt(0)));
  fail(serializationText.base64LastCharacter(text));
}

/**
 * Strict base64 as AWS decodes it: padding required, no whitespace or URL-safe characters, and the
 * last data character carries no bits beyond the decoded bytes.
 *
 * Node's decoder skips characters outside the alphabet (and accepts '-' and '_'); every skipped
 * character shortens the output, so comparing the decoded length with the length the text implies
 * checks the alphabet without scanning the text with a regular expression (PutRecords decodes up
 * to 10 MiB per call here).
 */
export function decodeBase64(text: string): Buffer {
  const length = text.length;
  if (length % 4 !== 0) fail(serializationText.base64Length(text));
  if (length === 0) return Buffer.alloc(0);
  const decoded = Buffer.from(text, 'base64');
  const fault = base64Fault(text, decoded.length);
  if (fault === 'alphabet') base64Error(text);
  if (fault === 'last-character') fail(serializationText.base64LastCharacter(text));
  return decoded;
}

/**
 * What makes `text` (its length a non-zero multiple of 4) not strict base64, given how many bytes
 * Node's lenient decoder produced from it; undefined when it is strict.
 */
export function base64Fault(text: string, decodedLength: number): 'alphabet' | 'last-character' | undefined {
  if (text.indexOf('-') !== -1 || text.indexOf('_') !== -1) return 'alphabet';
  return base64FaultBesidesUrlSafe(text, decodedLength);
}

/** `base64Fault` for a text already known to hold no '-' or '_' (the URL-safe characters Node's
 * decoder accepts). */
export function base64FaultBesidesUrlSafe(text: string, decodedLength: number): 'alphabet' | 'last-character' | undefined {
  const length = text.length;
  const padding = text.charCodeAt(length - 1) !== 0x3d ? 0 : text.charCodeAt(length - 2) !== 0x3d ? 1 : 2;
  if (decodedLength !== ((length - padding) * 3) >> 2) return 'alphabet';
  if (padding === 0) return undefined;
  const last = BASE64_ALPHABET.indexOf(text.charAt(length - padding - 1));
  return (last & (padding === 1 ? 0b11 : 0b1111)) === 0 ? undefined : 'last-character';
}

const TRUE_STRINGS = new Set(['true', 'yes', '1']);
const FALSE_STRINGS = new Set(['false', 'no', '0']);

const TWO_POW_31 = 2 ** 31;

/** Java BigDecimal.intValue(): truncate toward zero, keep the low 32 bits. */
function toJavaInt(value: number): number {
  const truncated = Math.trunc(value);
  if (truncated >= -TWO_POW_31 && truncated < TWO_POW_31) return truncated;
  return Number(BigInt.asIntN(32, BigInt(truncated)));
}

/** Java BigDecimal.longValue(): truncate toward zero, keep the low 64 bits. */
function toJavaLong(value: number): number {
  const truncated = Math.trunc(value);
  if (Number.isSafeInteger(truncated)) return truncated;
  return Number(BigInt.asIntN(64, BigInt(truncated)));
}

function scalarMismatch(target: TargetType, value: unknown): never {
  switch (typeof value) {
    case 'boolean': fail(serializationText.fromBoolean(target));
    case 'number':
    case 'bigint': fail(serializationText.fromNumber(target));
    case 'string': fail(serializationText.fromString(target));
    default: containerMismatch(value as object);
  }
}

function coerceNumber(node: ShapeNode, value: unknown): number {
  if (typeof value === 'number') {
    if (node.kind === Kind.Integer) return toJavaInt(value);
    if (node.kind === Kind.Long) return toJavaLong(value);
    return value;
  }
  if (typeof value === 'bigint') {
    if (node.kind === Kind.Integer) return Number(BigInt.asIntN(32, value));
    if (node.kind === Kind.Long) return Number(BigInt.asIntN(64, value));
    return Number(value);
  }
  return scalarMismatch(node.target!, value);
}

function coerceBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (TRUE_STRINGS.has(lower)) return true;
    if (FALSE_STRINGS.has(lower)) return false;
    fail(serializationText.stringToBoolean(value));
  }
  // AWS accepts a JSON number with a fraction here but rejects a whole one.
  if (typeof value === 'number' && !Number.isInteger(value)) return value !== 0;
  return scalarMismatch('Boolean', value);
}

function coerceTimestamp(value: unknown): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) scalarMismatch('Timestamp', 0);
    return value;
  }
  if (typeof value === 'number') return new Date(value * 1000);
  return scalarMismatch('Timestamp', value);
}

function coerceBlob(value: unknown): Buffer {
  if (typeof value === 'string') return decodeBase64(value);
  if (isBytes(value)) return toBuffer(value);
  return scalarMismatch('Blob', value);
}

function coerceStructure(node: ShapeNode, value: unknown, inDocumentOrder: boolean): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || isBytes(value) || value instanceof Date) fail(serializationText.expectedStructure);
  if (Array.isArray(value)) fail(serializationText.listStart);
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (inDocumentOrder) {
    for (const wireName in source) {
      const member = node.byWireName.get(wireName);
      if (member === undefined || !Object.prototype.hasOwnProperty.call(source, wireName)) continue;
      const memberValue = source[wireName];
      if (memberValue === null || memberValue === undefined) continue;
      out[wireName] = coerceValue(member.shape, memberValue, true);
    }
    return out;
  }
  const members = node.members;
  for (let i = 0; i < members.length; i++) {
    const member = members[i]!;
    const memberValue = source[member.wireName];
    if (memberValue === null || memberValue === undefined || !Object.prototype.hasOwnProperty.call(source, member.wireName)) continue;
    out[member.wireName] = coerceValue(member.shape, memberValue, false);
  }
  return out;
}

/**
 * Coerces a request body for an operation's input shape.
 *
 * Members are visited in model order, which is fastest; when that finds a wrong value, the body is
 * walked again in document order so the error reported is the first one in the request, as AWS's
 * streaming parser reports it.
 */
export function coerceInput(node: ShapeNode, body: unknown): Record<string, unknown> {
  try {
    return coerceStructure(node, body, false);
  } catch (error) {
    coerceStructure(node, body, true);
    throw error;
  }
}

function coerceList(node: ShapeNode, value: unknown, inDocumentOrder: boolean): unknown[] {
  if (!Array.isArray(value)) {
    if (typeof value === 'object' && value !== null && !isBytes(value) && !(value instanceof Date)) fail(serializationText.structureStart);
    fail(serializationText.expectedList);
  }
  const element = node.element!;
  const out = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    out[i] = item === null || item === undefined ? null : coerceValue(element, item, inDocumentOrder);
  }
  return out;
}

function coerceMap(node: ShapeNode, value: unknown, inDocumentOrder: boolean): Record<string, unknown> {
  if (Array.isArray(value)) fail(serializationText.listStart);
  if (typeof value !== 'object' || value === null || isBytes(value) || value instanceof Date) fail(serializationText.expectedMap);
  const source = value as Record<string, unknown>;
  const valueShape = node.value!;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const item = source[key];
    const coerced = item === null || item === undefined ? null : coerceValue(valueShape, item, inDocumentOrder);
    // Object.defineProperty keeps a key named "__proto__" an ordinary entry.
    Object.defineProperty(out, key, { value: coerced, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function coerceValue(node: ShapeNode, value: unknown, inDocumentOrder: boolean): unknown {
  switch (node.kind) {
    case Kind.String:
      return typeof value === 'string' ? value : scalarMismatch('String', value);
    case Kind.Structure:
      return coerceStructure(node, value, inDocumentOrder);
    case Kind.List:
      return coerceList(node, value, inDocumentOrder);
    case Kind.Map:
      return coerceMap(node, value, inDocumentOrder);
    case Kind.Blob:
      return coerceBlob(value);
    case Kind.Boolean:
      return coerceBoolean(value);
    case Kind.Timestamp:
      return coerceTimestamp(value);
    default:
      return coerceNumber(node, value);
  }
}
