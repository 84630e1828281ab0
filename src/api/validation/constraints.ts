/**
 * The constraint pass: checks coerced input against the model's rules and throws one
 * ValidationException listing the failures as AWS does.
 *
 * - A structure's members are visited in AWS's order (java-order.ts); within a string, the
 *   pattern is reported before the length (recorded: streamName '' gives pattern, then length).
 * - A missing required member reports `Member must not be null` and nothing else.
 * - Lists and maps check their own length first, then their elements: structures element by
 *   element (`records.1.member.partitionKey`, map values `<map>.<key>.member…` in AWS's key
 *   order), scalars once for the whole collection with the element's combined rules.
 * - A null list element or map value fails `Member must not be null` at `<path>.N.member` (not
 *   recorded; it keeps nulls away from handlers).
 * - At most 10 failures are listed and counted (recorded: 501 bad PutRecords entries give
 *   "10 validation errors detected").
 */
import { ValidationException } from '../../errors/common.js';
import { Kind, type ShapeNode } from './compile.js';
import { coralMemberOrder, javaStringHash } from './java-order.js';
import {
  RULE_NOT_NULL, javaByteBufferHash, javaDateString, javaDoubleString, validationItem, validationMessage,
} from './messages.js';

export const MAX_LISTED_ERRORS = 10;

/** Collects failures; the path is a stack of segments joined only when a failure is recorded. */
class Failures {
  readonly items: string[] = [];
  private readonly segments: (string | number)[] = [];
  private depth = 0;

  get full(): boolean {
    return this.items.length >= MAX_LISTED_ERRORS;
  }

  enter(segment: string | number): void {
    this.segments[this.depth++] = segment;
  }

  leave(): void {
    this.depth--;
  }

  add(node: ShapeNode | undefined, value: unknown, rule: string): void {
    if (this.full) return;
    const rendered = value === null || value === undefined || node === undefined ? 'null' : `'${renderValue(node, value)}'`;
    this.items.push(validationItem(rendered, this.segments.slice(0, this.depth).join('.'), rule));
  }
}

/** How AWS prints a value (Java toString of the deserialized object). */
export function renderValue(node: ShapeNode, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (node.kind) {
    case Kind.Blob: {
      const length = (value as Uint8Array).length;
      return `java.nio.HeapByteBuffer[pos=0 lim=${length} cap=${length}]`;
    }
    case Kind.Timestamp:
      return javaDateString(value as Date);
    case Kind.List:
      return `[${(value as unknown[]).map((item) => renderValue(node.element!, item)).join(', ')}]`;
    case Kind.Map: {
      const map = value as Record<string, unknown>;
      return `{${coralMemberOrder(Object.keys(map)).map((key) => `${key}=${renderValue(node.value!, map[key])}`).join(', ')}}`;
    }
    case Kind.Structure:
      return `${node.javaClass}@${(javaHash(node, value) >>> 0).toString(16)}`;
    case Kind.Double:
    case Kind.Float:
      return javaDoubleString(value as number);
    default:
      return String(value);
  }
}

/**
 * A Java-style content hash for printing structures as `Class@hash`. AWS prints the hash of its
 * own generated class, which we cannot reproduce; equal values at least print equal.
 */
function javaHash(node: ShapeNode, value: unknown): number {
  if (value === null || value === undefined) return 0;
  switch (node.kind) {
    case Kind.String: return javaStringHash(value as string);
    case Kind.Boolean: return value ? 1231 : 1237;
    case Kind.Blob: return javaByteBufferHash(value as Uint8Array);
    case Kind.Timestamp: {
      const ms = (value as Date).getTime();
      return Number(BigInt.asIntN(32, BigInt(ms) ^ (BigInt(ms) >> 32n)));
    }
    case Kind.List: {
      let hash = 1;
      for (const item of value as unknown[]) hash = (Math.imul(31, hash) + javaHash(node.element!, item)) | 0;
      return hash;
    }
    case Kind.Map: {
      let hash = 0;
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        hash = (hash + (javaStringHash(key) ^ javaHash(node.value!, item))) | 0;
      }
      return hash;
    }
    case Kind.Structure: {
      let hash = 1;
      for (const member of node.members) {
        hash = (Math.imul(31, hash) + javaHash(member.shape, (value as Record<string, unknown>)[member.wireName])) | 0;
      }
      return hash;
    }
    default:
      return Number.isInteger(value) ? (value as number) | 0 : javaStringHash(String(value));
  }
}

function checkScalar(node: ShapeNode, value: unknown, failures: Failures): void {
  switch (node.kind) {
    case Kind.String: {
      const text = value as string;
      if (node.enumValues !== undefined && !node.enumValues.has(text)) failures.add(node, text, node.enumRule!);
      if (node.pattern !== undefined && !node.pattern.test(text)) failures.add(node, text, node.patternRule!);
      if (node.min !== undefined && text.length < node.min) failures.add(node, text, node.minRule!);
      if (node.max !== undefined && text.length > node.max) failures.add(node, text, node.maxRule!);
      return;
    }
    case Kind.Blob: {
      const length = (value as Uint8Array).length;
      if (node.min !== undefined && length < node.min) failures.add(node, value, node.minRule!);
      if (node.max !== undefined && length > node.max) failures.add(node, value, node.maxRule!);
      return;
    }
    case Kind.Integer:
    case Kind.Long:
    case Kind.Float:
    case Kind.Double: {
      const number = value as number;
      if (node.min !== undefined && number < node.min) failures.add(node, value, node.minRule!);
      if (node.max !== undefined && number > node.max) failures.add(node, value, node.maxRule!);
      return;
    }
    default:
      return;
  }
}

/** Whether a scalar passes every rule of its shape (for collections of scalars). */
function scalarPasses(node: ShapeNode, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  switch (node.kind) {
    case Kind.String: {
      const text = value as string;
      return (node.enumValues === undefined || node.enumValues.has(text))
        && (node.pattern === undefined || node.pattern.test(text))
        && (node.min === undefined || text.length >= node.min)
        && (node.max === undefined || text.length <= node.max);
    }
    case Kind.Blob: {
      const length = (value as Uint8Array).length;
      return (node.min === undefined || length >= node.min) && (node.max === undefined || length <= node.max);
    }
    case Kind.Integer:
    case Kind.Long:
    case Kind.Float:
    case Kind.Double: {
      const number = value as number;
      return (node.min === undefined || number >= node.min) && (node.max === undefined || number <= node.max);
    }
    default:
      return true;
  }
}

function checkStructure(node: ShapeNode, value: Record<string, unknown>, failures: Failures): void {
  const order = node.validationOrder;
  for (let i = 0; i < order.length; i++) {
    const member = order[i]!;
    const memberValue = value[member.wireName];
    if (memberValue === undefined || memberValue === null) {
      if (member.required) {
        failures.enter(member.pathName);
        failures.add(undefined, null, RULE_NOT_NULL);
        failures.leave();
      }
    } else if (member.shape.hasRules) {
      failures.enter(member.pathName);
      checkValue(member.shape, memberValue, failures);
      failures.leave();
    }
    if (failures.full) return;
  }
}

function checkLength(node: ShapeNode, value: unknown, length: number, failures: Failures): void {
  if (node.min !== undefined && length < node.min) failures.add(node, value, node.minRule!);
  if (node.max !== undefined && length > node.max) failures.add(node, value, node.maxRule!);
}

/** A null list element or map value is reported at its `.member` path (handlers never see nulls inside collections). */
function addNullElement(segment: string | number, failures: Failures): void {
  failures.enter(segment);
  failures.enter('member');
  failures.add(undefined, null, RULE_NOT_NULL);
  failures.leave();
  failures.leave();
}

function checkList(node: ShapeNode, list: unknown[], failures: Failures): void {
  checkLength(node, list, list.length, failures);
  const element = node.element!;
  if (node.elementRule !== undefined && list.some((item) => !scalarPasses(element, item))) failures.add(node, list, node.elementRule);
  const checkElements = node.elementRule === undefined && element.hasRules;
  for (let i = 0; i < list.length && !failures.full; i++) {
    const item = list[i];
    if (item === null || item === undefined) {
      addNullElement(i + 1, failures);
    } else if (checkElements) {
      failures.enter(i + 1);
      failures.enter('member');
      checkValue(element, item, failures);
      failures.leave();
      failures.leave();
    }
  }
}

function checkMap(node: ShapeNode, map: Record<string, unknown>, failures: Failures): void {
  const keys = Object.keys(map);
  checkLength(node, map, keys.length, failures);
  if (node.keyRule !== undefined && keys.some((key) => !scalarPasses(node.key!, key))) failures.add(node, map, node.keyRule);
  const valueShape = node.value!;
  if (node.valueRule !== undefined && keys.some((key) => !scalarPasses(valueShape, map[key]))) failures.add(node, map, node.valueRule);
  const checkValues = node.valueRule === undefined && valueShape.hasRules;
  if (!checkValues && keys.every((key) => map[key] !== null && map[key] !== undefined)) return;
  for (const key of coralMemberOrder(keys)) {
    const item = map[key];
    if (item === null || item === undefined) {
      addNullElement(key, failures);
    } else if (checkValues) {
      failures.enter(key);
      failures.enter('member');
      checkValue(valueShape, item, failures);
      failures.leave();
      failures.leave();
    }
    if (failures.full) return;
  }
}

function checkValue(node: ShapeNode, value: unknown, failures: Failures): void {
  switch (node.kind) {
    case Kind.Structure: return checkStructure(node, value as Record<string, unknown>, failures);
    case Kind.List: return checkList(node, value as unknown[], failures);
    case Kind.Map: return checkMap(node, value as Record<string, unknown>, failures);
    default: return checkScalar(node, value, failures);
  }
}

/** Throws ValidationException when `input` (already coerced) breaks a rule of `node`. */
export function checkConstraints(node: ShapeNode, input: Record<string, unknown>): void {
  if (!node.hasRules) return;
  const failures = new Failures();
  checkStructure(node, input, failures);
  if (failures.items.length > 0) throw new ValidationException(validationMessage(failures.items));
}
