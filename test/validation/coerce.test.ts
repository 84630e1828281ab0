/**
 * The type pass of parseInput: SerializationException texts and coercions.
 *
 * Expected texts come from kinesalite's test/helpers.js `assertType`, recorded against Kinesis
 * (facts only), unless a comment says otherwise.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAwsError } from '../../src/errors/aws-error.js';
import { compileModel } from '../../src/api/validation/compile.js';
import { coerceInput } from '../../src/api/validation/coerce.js';
import { parseInput, type ModelName } from '../../src/api/validation/index.js';
import type { ModelShapes } from '../../src/api/validation/shape-data.js';

function serializationMessage(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    assert.ok(isAwsError(error), `expected an AwsError, got ${String(error)}`);
    assert.equal(error.type, 'SerializationException');
    assert.equal(error.messageKey, 'Message');
    return error.hasMessage ? error.message : undefined;
  }
  assert.fail('expected SerializationException');
}

function rejects(model: ModelName, operation: string, body: unknown, message: string | undefined): void {
  assert.equal(serializationMessage(() => parseInput(model, operation, body, 'json')), message, JSON.stringify(body));
}

function invalid(operation: string, body: unknown): string {
  try {
    parseInput('kinesis', operation, body, 'json');
  } catch (error) {
    assert.ok(isAwsError(error) && error.type === 'ValidationException');
    return error.message;
  }
  assert.fail('expected ValidationException');
}

const NUMBER_TO = (type: string) => `class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to ${type}`;

describe('parseInput type pass (JSON)', () => {
  it('String members', () => {
    const cases: [unknown, string][] = [
      [true, 'class java.lang.Boolean can not be converted to an String'],
      [23, NUMBER_TO('an String')],
      [-2147483648, NUMBER_TO('an String')],
      [2147483648, NUMBER_TO('an String')],
      [34.56, NUMBER_TO('an String')],
      [[], 'Start of list found where not expected'],
      [{}, 'Start of structure or map found where not expected.'],
    ];
    for (const [value, message] of cases) rejects('kinesis', 'PutRecord', { StreamName: value }, message);
  });

  it('Integer members', () => {
    const cases: [unknown, string][] = [
      ['23', 'class java.lang.String can not be converted to an Integer'],
      [true, 'class java.lang.Boolean can not be converted to an Integer'],
      [[], 'Start of list found where not expected'],
      [{}, 'Start of structure or map found where not expected.'],
    ];
    for (const [value, message] of cases) rejects('kinesis', 'CreateStream', { StreamName: 'a', ShardCount: value }, message);
  });

  it('Integer values truncate and wrap like Java intValue()', () => {
    // kinesalite test/createStream.js: ShardCount 100000000000 raises no error on AWS.
    assert.equal(parseInput('kinesis', 'CreateStream', { StreamName: 'a', ShardCount: 100000000000 }, 'json').ShardCount, 1215752192);
    assert.equal(parseInput('kinesis', 'CreateStream', { StreamName: 'a', ShardCount: 2.9 }, 'json').ShardCount, 2);
    assert.equal(parseInput('kinesis', 'CreateStream', { StreamName: 'a', ShardCount: 2 ** 32 + 3 }, 'json').ShardCount, 3);
    assert.match(invalid('CreateStream', { StreamName: 'a', ShardCount: 2 ** 31 }), /Value '-2147483648' at 'shardCount'/);
  });

  it('Boolean members', () => {
    const cases: [unknown, string][] = [
      ['23', "'23' can not be converted to an Boolean"],
      ['maybe', "'MAYBE' can not be converted to an Boolean"],
      [23, NUMBER_TO('an Boolean')],
      [-2147483648, NUMBER_TO('an Boolean')],
      [2147483648, NUMBER_TO('an Boolean')],
      [[], 'Start of list found where not expected'],
      [{}, 'Start of structure or map found where not expected.'],
    ];
    for (const [value, message] of cases) {
      rejects('kinesis', 'DeleteStream', { StreamName: 'a', EnforceConsumerDeletion: value }, message);
    }
    // kinesalite validations/index.js notes: 'true'/'false'/'1'/'0'/'yes'/'no' convert, and doubles are accepted.
    const parsed = (value: unknown) => parseInput('kinesis', 'DeleteStream', { StreamName: 'a', EnforceConsumerDeletion: value }, 'json').EnforceConsumerDeletion;
    assert.equal(parsed(true), true);
    assert.equal(parsed('false'), false);
    assert.equal(parsed('YES'), true);
    assert.equal(parsed('0'), false);
    assert.equal(parsed(34.56), true);
  });

  it('Blob members: base64 → Buffer, AWS base64 errors', () => {
    const cases: [unknown, string][] = [
      [true, 'class java.lang.Boolean can not be converted to a Blob'],
      [23, NUMBER_TO('a Blob')],
      [34.56, NUMBER_TO('a Blob')],
      [[], 'Start of list found where not expected'],
      [{}, 'Start of structure or map found where not expected.'],
      ['23456', "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5"],
      ['=+/=', "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='"],
      ['+/+=', "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"],
      // Not recorded; follow from the same rules: a character outside the alphabet, a bad second-to-last char.
      ['ab c', "'ab c' can not be converted to a Blob: Invalid Base64 character: ' '"],
      ['ab==', "'ab==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"],
    ];
    for (const [value, message] of cases) rejects('kinesis', 'PutRecord', { StreamName: 'a', PartitionKey: 'k', Data: value }, message);
    const data = parseInput('kinesis', 'PutRecord', { StreamName: 'a', PartitionKey: 'k', Data: 'aGVsbG8=' }, 'json').Data;
    assert.ok(Buffer.isBuffer(data));
    assert.equal(data.toString(), 'hello');
    assert.equal(parseInput('kinesis', 'PutRecord', { PartitionKey: 'k', Data: '' }, 'json').Data.length, 0);
    assert.equal(parseInput('kinesis', 'PutRecord', { PartitionKey: 'k', Data: 'YQ==' }, 'json').Data.toString(), 'a');
  });

  it('List members', () => {
    const cases: [unknown, string][] = [
      ['23', 'Expected list or null'],
      [true, 'Expected list or null'],
      [23, 'Expected list or null'],
      [34.56, 'Expected list or null'],
      [{}, 'Start of structure or map found where not expected.'],
    ];
    for (const [value, message] of cases) rejects('kinesis', 'PutRecords', { StreamName: 'a', Records: value }, message);
  });

  it('Map members', () => {
    const cases: [unknown, string][] = [
      ['23', 'Expected map or null'],
      [true, 'Expected map or null'],
      [23, 'Expected map or null'],
      [[], 'Start of list found where not expected'],
    ];
    for (const [value, message] of cases) rejects('kinesis', 'AddTagsToStream', { StreamName: 'a', Tags: value }, message);
    // kinesalite test/addTagsToStream.js: Tags.a is a String.
    rejects('kinesis', 'AddTagsToStream', { StreamName: 'a', Tags: { a: 23 } }, NUMBER_TO('an String'));
  });

  it('Structure members, also inside lists', () => {
    const cases: [unknown, string][] = [
      ['23', 'Expected null'],
      [true, 'Expected null'],
      [23, 'Expected null'],
      [[], 'Start of list found where not expected'],
    ];
    for (const [value, message] of cases) {
      rejects('kinesis', 'PutRecords', { StreamName: 'a', Records: [value] }, message);
      rejects('kinesis', 'CreateStream', { StreamName: 'a', StreamModeDetails: value }, message);
    }
    rejects('kinesis', 'PutRecords', { Records: [{ PartitionKey: true, Data: '' }] }, 'class java.lang.Boolean can not be converted to an String');
  });

  it('Timestamp members: epoch seconds, maybe fractional → Date', () => {
    // AWS-FACTS.md §1: JSON timestamps are epoch seconds, int or float.
    const parsed = parseInput('kinesis', 'GetShardIterator', { ShardId: 's', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: 1545084650.987 }, 'json');
    assert.ok(parsed.Timestamp instanceof Date);
    assert.equal(parsed.Timestamp.getTime(), 1545084650987);
    // Unverified text: AWS's wording for a string where a timestamp belongs was not found recorded.
    rejects('kinesis', 'GetShardIterator', { ShardId: 's', ShardIteratorType: 'LATEST', Timestamp: 'yesterday' },
      'class java.lang.String can not be converted to a Timestamp');
  });

  it('reports the first wrong member in document order', () => {
    rejects('kinesis', 'PutRecord', { StreamName: 1, PartitionKey: true }, NUMBER_TO('an String'));
    rejects('kinesis', 'PutRecord', { PartitionKey: true, StreamName: 1 }, 'class java.lang.Boolean can not be converted to an String');
  });

  it('drops unknown and null members', () => {
    const parsed = parseInput('kinesis', 'PutRecord', { PartitionKey: 'k', Data: '', Unknown: 1, ExplicitHashKey: null }, 'json');
    assert.deepEqual(Object.keys(parsed).sort(), ['Data', 'PartitionKey']);
  });

  it('a body that is not an object is a SerializationException without message', () => {
    // kinesalite index.js: a JSON body that parses to a non-object answers {"__type":"SerializationException"}.
    for (const body of [null, 23, 'text', true]) rejects('kinesis', 'ListStreams', body, undefined);
    rejects('kinesis', 'ListStreams', [], 'Start of list found where not expected');
  });

  it('operations without input members accept an empty object', () => {
    assert.deepEqual(parseInput('kinesis', 'DescribeLimits', {}, 'json'), {});
    assert.deepEqual(parseInput('firehose', 'ListDeliveryStreams', {}, 'json'), {});
  });
});

describe('parseInput type pass (CBOR)', () => {
  it('byte strings are blobs, Dates are timestamps, bigints are integers', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const parsed = parseInput('kinesis', 'PutRecord', { StreamName: 'a', PartitionKey: 'k', Data: bytes }, 'cbor');
    assert.ok(Buffer.isBuffer(parsed.Data));
    assert.deepEqual([...parsed.Data], [1, 2, 3]);
    const at = new Date(1700000000123);
    const iterator = parseInput('kinesis', 'GetShardIterator', { ShardId: 's', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: at }, 'cbor');
    assert.equal(iterator.Timestamp.getTime(), 1700000000123);
    assert.equal(parseInput('kinesis', 'GetRecords', { ShardIterator: 'x', Limit: 25n }, 'cbor').Limit, 25);
  });

  it('a Buffer where a string belongs is rejected', () => {
    const message = serializationMessage(() => parseInput('kinesis', 'PutRecord', { StreamName: Buffer.from('a'), PartitionKey: 'k', Data: '' }, 'cbor'));
    assert.equal(message, 'Start of structure or map found where not expected.');
  });
});

describe('coercion of kinds Kinesis inputs lack (Long, Double, Float)', () => {
  const model: ModelShapes = {
    apiVersion: '2020-01-01', endpointPrefix: 'test', targetPrefix: 'Test_20200101',
    operations: { Op: 0 },
    shapes: [
      { name: 'OpInput', type: 'structure', members: [['Big', 1], ['Ratio', 2], ['Small', 3]] },
      { name: 'Big', type: 'long' },
      { name: 'Ratio', type: 'double' },
      { name: 'Small', type: 'float' },
    ],
  };
  const input = compileModel(model).operations.get('Op')!;

  it('converts numbers and rejects other kinds with AWS wording', () => {
    assert.deepEqual(coerceInput(input, { Big: 9007199254740993.7, Ratio: 0.25, Small: 1.5 }), { Big: 9007199254740994, Ratio: 0.25, Small: 1.5 });
    assert.equal(coerceInput(input, { Big: -3.7 }).Big, -3);
    // kinesalite helpers.js assertType 'Long'.
    assert.equal(serializationMessage(() => coerceInput(input, { Big: '23' })), 'class java.lang.String can not be converted to an Long');
    assert.equal(serializationMessage(() => coerceInput(input, { Big: true })), 'class java.lang.Boolean can not be converted to an Long');
    // kinesalite validations/index.js types Double alike (not in its AWS-recorded tests).
    assert.equal(serializationMessage(() => coerceInput(input, { Ratio: '0.5' })), 'class java.lang.String can not be converted to an Double');
  });
});
