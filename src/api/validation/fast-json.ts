/**
 * A fast path for JSON request bodies: reads the bytes directly into the coerced input, the value
 * `coerceInput(node, JSON.parse(body))` gives, without the intermediate string, the parsed object
 * tree and the second walk. PutRecords bodies (up to 10 MiB of base64) are what it is for.
 *
 * It only takes what it can read with certainty and answers `undefined` for anything else, and the
 * caller then runs the general path, which produces AWS's errors. What it takes: ASCII bodies
 * without any backslash (so no string holds an escape); objects whose keys are members of the
 * shape, each once; strings for String members (no control characters) and Blob members (strict
 * base64, checked by the same decodeBase64 the general path uses); lists of those; and plain
 * non-negative integers below 2^31 for Integer and Long members. Everything else — null, booleans,
 * other numbers, unknown or repeated keys, maps, timestamps, a base64 error — goes the general way.
 *
 * The constraint pass still runs on the result, exactly as on the general path's.
 */
import { isAscii } from 'node:buffer';
import { base64FaultBesidesUrlSafe } from './coerce.js';
import { Kind, type ShapeNode } from './compile.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const DASH = 0x2d;
const UNDERSCORE = 0x5f;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** Nine digits always fit a Java int. */
const INTEGER_DIGITS_MAX = 9;

/** Thrown inside the reader when the body leaves the fast path; never escapes this module. */
const NOT_FAST = Symbol('not fast');

/** Node's latin1 reader and base64 writer without the argument normalisation of `buffer.toString`
 * and `buffer.write` (hot path). */
interface Latin1Reader {
  latin1Slice(start: number, end: number): string;
}
interface Base64Writer {
  base64Write(text: string, offset: number, length: number): number;
}

/** A structure's member names as character codes, grouped by length: a key is matched against
 * them byte by byte instead of being read into a string and looked up. */
interface MemberKeys {
  /** Indexes into `node.members` by name length. */
  readonly byLength: ReadonlyMap<number, readonly number[]>;
}

const memberKeysByNode = new WeakMap<ShapeNode, MemberKeys>();

function memberKeysOf(node: ShapeNode): MemberKeys {
  let keys = memberKeysByNode.get(node);
  if (keys === undefined) {
    const byLength = new Map<number, number[]>();
    node.members.forEach((member, index) => {
      const sameLength = byLength.get(member.wireName.length) ?? [];
      sameLength.push(index);
      byLength.set(member.wireName.length, sameLength);
    });
    keys = { byLength };
    memberKeysByNode.set(node, keys);
  }
  return keys;
}

class FastReader {
  private position = 0;
  private readonly latin1: Latin1Reader;
  /** Every blob of the body is decoded into this one buffer (base64 never grows: ¾ of the body
   * bounds them all); the handler gets views into it. */
  private readonly blobs: Buffer;
  private blobsUsed = 0;
  /** The next '-' and '_' in the body at or after the last blob read (-1: none left): Node's
   * base64 decoder takes both, strict base64 does not. Kept across blobs, so the body is searched
   * for each once, not once per blob. */
  private nextDash = 0;
  private nextUnderscore = 0;

  constructor(private readonly body: Buffer) {
    this.latin1 = body as unknown as Latin1Reader;
    this.blobs = Buffer.allocUnsafe((body.length * 3) >> 2);
  }

  private fail(): never {
    throw NOT_FAST;
  }

  private skipWhitespace(): void {
    const body = this.body;
    let position = this.position;
    while (position < body.length) {
      const code = body[position]!;
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      position++;
    }
    this.position = position;
  }

  private expect(code: number): void {
    this.skipWhitespace();
    if (this.body[this.position] !== code) this.fail();
    this.position++;
  }

  /** Steps into the next token, which must be a string, and returns where it ends (its closing quote). */
  private stringEnd(): number {
    this.expect(QUOTE);
    const end = this.body.indexOf(QUOTE, this.position);
    if (end === -1) this.fail();
    return end;
  }

  private text(): string {
    const end = this.stringEnd();
    const start = this.position;
    const body = this.body;
    for (let i = start; i < end; i++) if (body[i]! < 0x20) this.fail();
    this.position = end + 1;
    return this.latin1.latin1Slice(start, end);
  }

  private blob(): Buffer {
    const end = this.stringEnd();
    const start = this.position;
    this.position = end + 1;
    if (end === start) return Buffer.alloc(0);
    if ((end - start) % 4 !== 0) this.fail();
    if (this.nextDash !== -1 && this.nextDash < start) this.nextDash = this.body.indexOf(DASH, start);
    if (this.nextUnderscore !== -1 && this.nextUnderscore < start) this.nextUnderscore = this.body.indexOf(UNDERSCORE, start);
    if ((this.nextDash !== -1 && this.nextDash < end) || (this.nextUnderscore !== -1 && this.nextUnderscore < end)) this.fail();
    const text = this.latin1.latin1Slice(start, end);
    const offset = this.blobsUsed;
    const decodedLength = (this.blobs as unknown as Base64Writer).base64Write(text, offset, this.blobs.length - offset);
    if (base64FaultBesidesUrlSafe(text, decodedLength) !== undefined) this.fail();
    this.blobsUsed = offset + decodedLength;
    return this.blobs.subarray(offset, offset + decodedLength);
  }

  private integer(): number {
    this.skipWhitespace();
    const body = this.body;
    const start = this.position;
    let value = 0;
    while (this.position < body.length) {
      const code = body[this.position]!;
      if (code < DIGIT_0 || code > DIGIT_9) break;
      value = value * 10 + (code - DIGIT_0);
      this.position++;
    }
    const digits = this.position - start;
    if (digits === 0 || digits > INTEGER_DIGITS_MAX || (digits > 1 && body[start] === DIGIT_0)) this.fail();
    // A fraction or exponent follows: the general path decides.
    const next = body[this.position];
    if (next === 0x2e || next === 0x65 || next === 0x45) this.fail();
    return value;
  }

  private list(node: ShapeNode): unknown[] {
    this.expect(OPEN_BRACKET);
    const items: unknown[] = [];
    this.skipWhitespace();
    if (this.body[this.position] === CLOSE_BRACKET) {
      this.position++;
      return items;
    }
    const element = node.element!;
    for (;;) {
      items.push(this.value(element));
      this.skipWhitespace();
      const code = this.body[this.position++];
      if (code === CLOSE_BRACKET) return items;
      if (code !== COMMA) this.fail();
    }
  }

  /** The index in `node.members` of the key the reader stands on (its quotes included), or -1. */
  private memberIndex(node: ShapeNode, keys: MemberKeys): number {
    const end = this.stringEnd();
    const start = this.position;
    this.position = end + 1;
    const candidates = keys.byLength.get(end - start);
    if (candidates === undefined) return -1;
    const body = this.body;
    for (let c = 0; c < candidates.length; c++) {
      const index = candidates[c]!;
      const name = node.members[index]!.wireName;
      let i = 0;
      while (i < name.length && body[start + i] === name.charCodeAt(i)) i++;
      if (i === name.length) return index;
    }
    return -1;
  }

  structure(node: ShapeNode): Record<string, unknown> {
    this.expect(OPEN_BRACE);
    const members = node.members;
    const keys = memberKeysOf(node);
    let out: Record<string, unknown> = {};
    // Members arriving in model order go straight into `out`, in the order the general path builds;
    // otherwise they are collected by index and put in that order at the end.
    let lastIndex = -1;
    let byIndex: unknown[] | undefined;
    this.skipWhitespace();
    if (this.body[this.position] === CLOSE_BRACE) {
      this.position++;
      return out;
    }
    for (;;) {
      const index = this.memberIndex(node, keys);
      if (index === -1) this.fail();
      this.expect(COLON);
      const member = members[index]!;
      const value = this.value(member.shape);
      if (byIndex === undefined && index > lastIndex) {
        out[member.wireName] = value;
        lastIndex = index;
      } else {
        if (byIndex === undefined) {
          byIndex = new Array<unknown>(members.length);
          for (let i = 0; i < members.length; i++) byIndex[i] = out[members[i]!.wireName];
        }
        if (byIndex[index] !== undefined) this.fail();
        byIndex[index] = value;
      }
      this.skipWhitespace();
      const code = this.body[this.position++];
      if (code === CLOSE_BRACE) break;
      if (code !== COMMA) this.fail();
    }
    if (byIndex !== undefined) {
      out = {};
      for (let i = 0; i < members.length; i++) if (byIndex[i] !== undefined) out[members[i]!.wireName] = byIndex[i];
    }
    return out;
  }

  private value(node: ShapeNode): unknown {
    switch (node.kind) {
      case Kind.String: return this.text();
      case Kind.Blob: return this.blob();
      case Kind.Structure: return this.structure(node);
      case Kind.List: return this.list(node);
      case Kind.Integer:
      case Kind.Long: return this.integer();
      default: return this.fail();
    }
  }

  atEnd(): boolean {
    this.skipWhitespace();
    return this.position === this.body.length;
  }
}

/**
 * The coerced input for a JSON body of `node`'s shape, or undefined when the body is not one the
 * fast path reads with certainty (the caller then parses and coerces it the general way).
 */
export function fastCoerceJson(node: ShapeNode, body: Buffer): Record<string, unknown> | undefined {
  if (body.indexOf(BACKSLASH) !== -1 || !isAscii(body)) return undefined;
  const reader = new FastReader(body);
  try {
    const input = reader.structure(node);
    return reader.atEnd() ? input : undefined;
  } catch (err) {
    if (err === NOT_FAST) return undefined;
    throw err;
  }
}
