/** Object key and prefix evaluation: every rule of Firehose's custom prefixes, at fixed instants. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  evaluateErrorPrefix,
  evaluatePrefix,
  objectSuffix,
  parsePrefix,
  parseTimeZone,
  randomString,
  validatePrefixes,
} from '../../src/firehose/object-key.js';

const UTC = parseTimeZone(undefined);
/** 2026-11-28T07:05:09.123Z */
const INSTANT = Date.UTC(2026, 10, 28, 7, 5, 9, 123);
const RULE = 'Ths supplied prefix(es) do not satisfy the following constraint: ';

function fixedRandom(...values: string[]): () => string {
  let i = 0;
  return () => values[i++ % values.length]!;
}

function invalid(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (err: Error & { type?: string }) => {
    assert.equal(err.type, 'InvalidArgumentException');
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('data prefix evaluation', () => {
  it('defaults to yyyy/MM/dd/HH/ in UTC', () => {
    assert.equal(evaluatePrefix(parsePrefix(''), INSTANT, UTC), '2026/11/28/07/');
  });

  it('appends the default time path to a static prefix by plain concatenation', () => {
    assert.equal(evaluatePrefix(parsePrefix('logs'), INSTANT, UTC), 'logs2026/11/28/07/');
    assert.equal(evaluatePrefix(parsePrefix('logs/'), INSTANT, UTC), 'logs/2026/11/28/07/');
  });

  it('formats timestamp expressions with Java DateTimeFormatter patterns, quoted literals included', () => {
    const prefix = parsePrefix("dt=!{timestamp:yyyy'-'MM'-'dd}/h=!{timestamp:HH}/");
    assert.equal(evaluatePrefix(prefix, INSTANT, UTC), 'dt=2026-11-28/h=07/');
    assert.equal(evaluatePrefix(parsePrefix('!{timestamp:uuuu}/!{timestamp:DDD}/'), INSTANT, UTC), '2026/332/');
  });

  it('evaluates every timestamp expression at the same instant', () => {
    const prefix = parsePrefix('!{timestamp:ss}/!{timestamp:ss}/');
    assert.equal(evaluatePrefix(prefix, INSTANT, UTC), '09/09/');
  });

  it('draws a fresh random string for each occurrence and still appends the time path', () => {
    const prefix = parsePrefix('a/!{firehose:random-string}/!{firehose:random-string}/');
    assert.equal(evaluatePrefix(prefix, INSTANT, UTC, fixedRandom('aaaaaaaaaaa', 'bbbbbbbbbbb')), 'a/aaaaaaaaaaa/bbbbbbbbbbb/2026/11/28/07/');
    const value = randomString();
    assert.match(value, /^[a-z0-9]{11}$/);
  });

  it('converts to CustomTimeZone for prefix and suffix', () => {
    const tokyo = parseTimeZone('Asia/Tokyo');
    assert.equal(evaluatePrefix(parsePrefix(''), INSTANT, tokyo), '2026/11/28/16/');
    assert.equal(objectSuffix('s', 3, INSTANT, tokyo, 'u', '.gz'), 's-3-2026-11-28-16-05-09-u.gz');
    invalid(() => parseTimeZone('Not/AZone'), 'CustomTimeZone Not/AZone is not a valid time zone.');
  });

  it('builds the fixed suffix <name>-<version>-yyyy-MM-dd-HH-mm-ss-<uuid><extension>', () => {
    assert.equal(
      objectSuffix('logs-to-s3', 1, INSTANT, UTC, '6f1c7b9e-1111-2222-3333-444455556666', ''),
      'logs-to-s3-1-2026-11-28-07-05-09-6f1c7b9e-1111-2222-3333-444455556666',
    );
  });
});

describe('error prefix evaluation', () => {
  it('puts the error output type everywhere it appears', () => {
    const pair = validatePrefixes('data/!{timestamp:yyyy}/', 'errors/!{firehose:error-output-type}/!{timestamp:yyyy}/!{firehose:error-output-type}/', UTC);
    assert.equal(evaluateErrorPrefix(pair, 'http-endpoint-failed', INSTANT, UTC), 'errors/http-endpoint-failed/2026/http-endpoint-failed/');
  });

  it('appends nothing to an ErrorOutputPrefix without a timestamp expression (AWS\'s own example)', () => {
    const pair = validatePrefixes(undefined, 'myFirehoseFailures/!{firehose:error-output-type}/', UTC);
    assert.equal(evaluateErrorPrefix(pair, 'processing-failed', INSTANT, UTC), 'myFirehoseFailures/processing-failed/');
    assert.equal(evaluateErrorPrefix(validatePrefixes('data/', 'static-errors/', UTC), 'processing-failed', INSTANT, UTC), 'static-errors/');
  });

  it('evaluates AWS\'s documented example prefixes', () => {
    const example = validatePrefixes(
      'myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}',
      'myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}',
      UTC,
    );
    assert.equal(evaluatePrefix(example.prefix, INSTANT, UTC, fixedRandom('5abf82daaa5')), 'myFirehose/DeliveredYear=2026/anyMonth/rand=5abf82daaa5');
    assert.equal(evaluateErrorPrefix(example, 'processing-failed', INSTANT, UTC), 'myFirehoseFailures/processing-failed/2026/anyMonth/28');
    const quoted = validatePrefixes(
      'myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
      "myErrorPrefix/!{timestamp:'year='yyyy'/month='MM'/day='dd'/hour='HH}/!{firehose:error-output-type}",
      UTC,
    );
    assert.equal(evaluatePrefix(quoted.prefix, INSTANT, UTC), 'myPrefix/year=2026/month=11/day=28/hour=07/');
    assert.equal(evaluateErrorPrefix(quoted, 'processing-failed', INSTANT, UTC), 'myErrorPrefix/year=2026/month=11/day=28/hour=07/processing-failed');
  });

  it('defaults to <prefix><error-output-type>/yyyy/MM/dd/HH/ without an ErrorOutputPrefix', () => {
    assert.equal(evaluateErrorPrefix(validatePrefixes(undefined, undefined, UTC), 'http-endpoint-failed', INSTANT, UTC), 'http-endpoint-failed/2026/11/28/07/');
    assert.equal(evaluateErrorPrefix(validatePrefixes('myPrefix/', undefined, UTC), 'processing-failed', INSTANT, UTC), 'myPrefix/processing-failed/2026/11/28/07/');
  });
});

describe('prefix rules', () => {
  it("allows '!{' only as the start of an expression", () => {
    invalid(() => validatePrefixes('a/!{timestamp:yyyy', undefined, UTC), `${RULE}The sequence '!{' can only appear as the start of an expression of the form !{namespace:value}`);
    invalid(() => validatePrefixes('a/!{}/', undefined, UTC), /can only appear as the start of an expression/);
    invalid(() => validatePrefixes('a/!{noColon}/', undefined, UTC), /can only appear as the start of an expression/);
    assert.doesNotThrow(() => validatePrefixes('a/{b}/!c/', undefined, UTC));
  });

  it('knows only the documented namespaces and firehose values', () => {
    invalid(() => validatePrefixes('!{time:yyyy}/', 'e/!{firehose:error-output-type}', UTC), `${RULE}'time' is not a valid expression namespace; use timestamp, firehose, partitionKeyFromQuery or partitionKeyFromLambda`);
    invalid(() => validatePrefixes('!{firehose:uuid}/', 'e/!{firehose:error-output-type}', UTC), `${RULE}'uuid' is not a valid value for the firehose namespace; use random-string or error-output-type`);
  });

  it('refuses a timestamp pattern Java would refuse', () => {
    invalid(() => validatePrefixes('!{timestamp:yyyy{}/', 'e/!{firehose:error-output-type}', UTC), /can only appear|not a valid date-time pattern/);
    invalid(() => validatePrefixes('!{timestamp:yyyy#}/', 'e/!{firehose:error-output-type}', UTC), new RegExp(`^${RULE.replace(/[()]/g, '\\$&')}The timestamp expression pattern 'yyyy#' is not a valid date-time pattern`));
  });

  it('keeps error-output-type out of Prefix', () => {
    invalid(() => validatePrefixes('!{firehose:error-output-type}/', 'e/!{firehose:error-output-type}', UTC), `${RULE}The Prefix cannot contain the expression !{firehose:error-output-type}`);
  });

  it('requires error-output-type in an ErrorOutputPrefix that has expressions', () => {
    invalid(() => validatePrefixes('!{timestamp:yyyy}/', 'e/!{timestamp:yyyy}/', UTC), `${RULE}ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions`);
    assert.doesNotThrow(() => validatePrefixes('!{timestamp:yyyy}/', 'e/', UTC));
  });

  it('keeps partition keys out of ErrorOutputPrefix, and refuses them in Prefix (no dynamic partitioning)', () => {
    invalid(() => validatePrefixes('a/', 'e/!{firehose:error-output-type}/!{partitionKeyFromQuery:id}/', UTC), `${RULE}The ErrorOutputPrefix cannot contain partitionKeyFromQuery or partitionKeyFromLambda expressions`);
    invalid(() => validatePrefixes('!{partitionKeyFromLambda:id}/', 'e/!{firehose:error-output-type}/', UTC), /Dynamic partitioning .* is not supported by Runnel/);
  });

  it('limits evaluated prefixes to 512 characters', () => {
    assert.doesNotThrow(() => validatePrefixes(`${'a'.repeat(498)}!{timestamp:yyyy}/`, 'e/!{firehose:error-output-type}/', UTC));
    invalid(() => validatePrefixes(`${'a'.repeat(508)}!{timestamp:yyyy}/`, 'e/!{firehose:error-output-type}/', UTC), `${RULE}The evaluated Prefix cannot be longer than 512 characters`);
    invalid(() => validatePrefixes('a/', `${'e'.repeat(500)}!{firehose:error-output-type}`, UTC), `${RULE}The evaluated ErrorOutputPrefix cannot be longer than 512 characters`);
  });
});
