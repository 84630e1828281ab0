/**
 * S3 object keys as Firehose builds them: `<evaluated prefix><name>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>`.
 *
 * Prefixes may hold `!{namespace:value}` expressions:
 * - `!{timestamp:<Java DateTimeFormatter pattern>}`, evaluated with js-joda (Java's pattern
 *   semantics, quoted literals included) at one instant per object: the arrival time of the
 *   object's oldest record, in `CustomTimeZone` (UTC by default);
 * - `!{firehose:random-string}`: 11 fresh random characters per occurrence;
 * - `!{firehose:error-output-type}`: ErrorOutputPrefix only, the same value everywhere;
 * - `!{partitionKeyFromQuery:k}` / `!{partitionKeyFromLambda:k}`: dynamic partitioning, which
 *   Runnel does not implement, so they are refused with a "not supported" message.
 *
 * A Prefix without a timestamp (or partition key) expression gets `yyyy/MM/dd/HH/` appended by
 * plain concatenation (`logs` → `logs2026/11/28/07/`), and no Prefix at all means `yyyy/MM/dd/HH/`.
 * AWS states that rule for the Prefix field only, and its examples evaluate an ErrorOutputPrefix
 * of `myFirehoseFailures/!{firehose:error-output-type}/` to `myFirehoseFailures/processing-failed/`:
 * an ErrorOutputPrefix is used as evaluated, nothing appended.
 * Everything here is pure: instants, zone and randomness come from the caller.
 */
import { createRequire } from 'node:module';
import type * as JsJoda from '@js-joda/core';
import type { DateTimeFormatter, ZoneId, ZonedDateTime } from '@js-joda/core';
import { InvalidArgumentException } from '../errors/firehose.js';

export type ErrorOutputType =
  | 'processing-failed'
  | 'AmazonOpenSearchService-failed'
  | 'splunk-failed'
  | 'format-conversion-failed'
  | 'http-endpoint-failed';

type PrefixPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'timestamp'; readonly formatter: DateTimeFormatter }
  | { readonly kind: 'random-string' }
  | { readonly kind: 'error-output-type' }
  | { readonly kind: 'partition-key'; readonly source: 'Query' | 'Lambda'; readonly key: string };

export interface ParsedPrefix {
  readonly parts: readonly PrefixPart[];
  readonly hasExpressions: boolean;
}

const DEFAULT_TIME_PATH = 'yyyy/MM/dd/HH/';
const SUFFIX_TIME_PATTERN = 'yyyy-MM-dd-HH-mm-ss';
export const EVALUATED_PREFIX_CHARS_MAX = 512;
export const RANDOM_STRING_CHARS = 11;
const RANDOM_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** AWS's wording for every prefix rule (the typo "Ths" is AWS's own). */
function prefixRuleViolation(constraint: string): InvalidArgumentException {
  return new InvalidArgumentException(`Ths supplied prefix(es) do not satisfy the following constraint: ${constraint}`);
}

export function parsePrefix(prefix: string): ParsedPrefix {
  const parts: PrefixPart[] = [];
  let text = '';
  let hasExpressions = false;
  let i = 0;
  while (i < prefix.length) {
    const start = prefix.indexOf('!{', i);
    if (start < 0) {
      text += prefix.slice(i);
      break;
    }
    text += prefix.slice(i, start);
    const end = prefix.indexOf('}', start + 2);
    const body = end < 0 ? undefined : prefix.slice(start + 2, end);
    const colon = body === undefined ? -1 : body.indexOf(':');
    if (body === undefined || colon <= 0 || body.includes('!{')) {
      throw prefixRuleViolation("The sequence '!{' can only appear as the start of an expression of the form !{namespace:value}");
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push(parseExpression(body.slice(0, colon), body.slice(colon + 1)));
    hasExpressions = true;
    i = end + 1;
  }
  if (text) parts.push({ kind: 'text', text });
  return { parts, hasExpressions };
}

function parseExpression(namespace: string, value: string): PrefixPart {
  switch (namespace) {
    case 'timestamp':
      try {
        return { kind: 'timestamp', formatter: joda().DateTimeFormatter.ofPattern(value) };
      } catch (err) {
        throw prefixRuleViolation(`The timestamp expression pattern '${value}' is not a valid date-time pattern (${(err as Error).message})`);
      }
    case 'firehose':
      if (value === 'random-string') return { kind: 'random-string' };
      if (value === 'error-output-type') return { kind: 'error-output-type' };
      throw prefixRuleViolation(`'${value}' is not a valid value for the firehose namespace; use random-string or error-output-type`);
    case 'partitionKeyFromQuery':
    case 'partitionKeyFromLambda':
      return { kind: 'partition-key', source: namespace === 'partitionKeyFromQuery' ? 'Query' : 'Lambda', key: value };
    default:
      throw prefixRuleViolation(`'${namespace}' is not a valid expression namespace; use timestamp, firehose, partitionKeyFromQuery or partitionKeyFromLambda`);
  }
}

/**
 * js-joda is loaded on first use and its IANA zone rules only for the first zone other than UTC:
 * together they cost about a second of startup (the zone database is unpacked on load), which a
 * server without delivery streams should not pay. Both packages are CommonJS (no `exports`), so
 * `require` reaches the same `@js-joda/core` instance that `@js-joda/timezone` registers its rules with.
 */
const requireModule = createRequire(import.meta.url);
let jsJoda: typeof JsJoda | undefined;
let timeZoneDatabaseLoaded = false;
const formatters = new Map<string, DateTimeFormatter>();

function joda(): typeof JsJoda {
  jsJoda ??= requireModule('@js-joda/core') as typeof JsJoda;
  return jsJoda;
}

function loadTimeZoneDatabase(): void {
  if (timeZoneDatabaseLoaded) return;
  joda();
  requireModule('@js-joda/timezone');
  timeZoneDatabaseLoaded = true;
}

function formatterFor(pattern: string): DateTimeFormatter {
  let formatter = formatters.get(pattern);
  if (!formatter) {
    formatter = joda().DateTimeFormatter.ofPattern(pattern);
    formatters.set(pattern, formatter);
  }
  return formatter;
}

export function parseTimeZone(customTimeZone: string | undefined): ZoneId {
  if (!customTimeZone) return joda().ZoneId.of('UTC');
  if (customTimeZone !== 'UTC') loadTimeZoneDatabase();
  try {
    return joda().ZoneId.of(customTimeZone);
  } catch {
    throw new InvalidArgumentException(`CustomTimeZone ${customTimeZone} is not a valid time zone.`);
  }
}

export interface PrefixPair {
  readonly prefix: ParsedPrefix;
  readonly errorOutputPrefix: ParsedPrefix | undefined;
}

/**
 * Checks the prefix rules AWS applies when a destination is created or updated and returns the
 * parsed prefixes.
 *
 * One deliberate deviation: AWS refuses a Prefix with expressions and no ErrorOutputPrefix ("Ths
 * supplied prefix(es) do not satisfy the following constraint: ErrorOutputPrefix cannot be null
 * or empty when Prefix contains expressions"); Runnel accepts it, because the AWS CLI examples
 * users copy from guides omit it, and failed data then goes under
 * `<evaluated Prefix><error-output-type>/yyyy/MM/dd/HH/`.
 */
export function validatePrefixes(prefix: string | undefined, errorOutputPrefix: string | undefined, zone: ZoneId): PrefixPair {
  const parsedPrefix = parsePrefix(prefix ?? '');
  const parsedError = errorOutputPrefix ? parsePrefix(errorOutputPrefix) : undefined;
  if (parsedPrefix.parts.some((part) => part.kind === 'error-output-type')) {
    throw prefixRuleViolation('The Prefix cannot contain the expression !{firehose:error-output-type}');
  }
  if (parsedPrefix.parts.some((part) => part.kind === 'partition-key')) {
    throw new InvalidArgumentException('Dynamic partitioning (partitionKeyFromQuery/partitionKeyFromLambda expressions) is not supported by Runnel.');
  }
  if (parsedError) {
    if (parsedError.parts.some((part) => part.kind === 'partition-key')) {
      throw prefixRuleViolation('The ErrorOutputPrefix cannot contain partitionKeyFromQuery or partitionKeyFromLambda expressions');
    }
    if (parsedError.hasExpressions && !parsedError.parts.some((part) => part.kind === 'error-output-type')) {
      throw prefixRuleViolation('ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions');
    }
  }
  const pair = { prefix: parsedPrefix, errorOutputPrefix: parsedError };
  const sampleMs = Date.UTC(2026, 11, 31, 23, 59, 59);
  if (evaluatePrefix(pair.prefix, sampleMs, zone, sampleRandom).length > EVALUATED_PREFIX_CHARS_MAX) {
    throw prefixRuleViolation(`The evaluated Prefix cannot be longer than ${EVALUATED_PREFIX_CHARS_MAX} characters`);
  }
  if (evaluateErrorPrefix(pair, 'AmazonOpenSearchService-failed', sampleMs, zone, sampleRandom).length > EVALUATED_PREFIX_CHARS_MAX) {
    throw prefixRuleViolation(`The evaluated ErrorOutputPrefix cannot be longer than ${EVALUATED_PREFIX_CHARS_MAX} characters`);
  }
  return pair;
}

function sampleRandom(): string {
  return 'x'.repeat(RANDOM_STRING_CHARS);
}

export type RandomString = () => string;

export function randomString(random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < RANDOM_STRING_CHARS; i++) out += RANDOM_ALPHABET[Math.floor(random() * RANDOM_ALPHABET.length)];
  return out;
}

function zoned(instantMs: number, zone: ZoneId): ZonedDateTime {
  const { Instant, ZonedDateTime } = joda();
  return ZonedDateTime.ofInstant(Instant.ofEpochMilli(instantMs), zone);
}

function hasTimeExpression(prefix: ParsedPrefix): boolean {
  return prefix.parts.some((part) => part.kind === 'timestamp' || part.kind === 'partition-key');
}

function render(prefix: ParsedPrefix, time: ZonedDateTime, random: RandomString, errorOutputType: ErrorOutputType | undefined): string {
  let out = '';
  for (const part of prefix.parts) {
    switch (part.kind) {
      case 'text': out += part.text; break;
      case 'timestamp': out += time.format(part.formatter); break;
      case 'random-string': out += random(); break;
      case 'error-output-type': out += errorOutputType ?? ''; break;
      case 'partition-key': throw new Error('partition keys are refused at validation');
    }
  }
  return out;
}

/** The evaluated data prefix for an object whose oldest record arrived at `instantMs`. */
export function evaluatePrefix(prefix: ParsedPrefix, instantMs: number, zone: ZoneId, random: RandomString = randomString): string {
  const time = zoned(instantMs, zone);
  const rendered = render(prefix, time, random, undefined);
  return hasTimeExpression(prefix) ? rendered : rendered + time.format(formatterFor(DEFAULT_TIME_PATH));
}

/**
 * The evaluated error prefix: the ErrorOutputPrefix as it evaluates (no time path appended), or,
 * without one, `<Prefix><error-output-type>/yyyy/MM/dd/HH/`.
 */
export function evaluateErrorPrefix(pair: PrefixPair, type: ErrorOutputType, instantMs: number, zone: ZoneId, random: RandomString = randomString): string {
  const time = zoned(instantMs, zone);
  if (pair.errorOutputPrefix) return render(pair.errorOutputPrefix, time, random, type);
  return render(pair.prefix, time, random, undefined) + type + '/' + time.format(formatterFor(DEFAULT_TIME_PATH));
}

/** `<name>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>`, the part of the key nobody can change. */
export function objectSuffix(deliveryStreamName: string, versionId: number, instantMs: number, zone: ZoneId, uuid: string, extension: string): string {
  return `${deliveryStreamName}-${versionId}-${zoned(instantMs, zone).format(formatterFor(SUFFIX_TIME_PATTERN))}-${uuid}${extension}`;
}
