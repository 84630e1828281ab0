/**
 * The constraint pass of parseInput: ValidationException texts, order, paths and the 10-item cap.
 *
 * Each expectation says where it comes from: kinesalite tests (recorded against Kinesis; the
 * member sets were smaller then, so bodies leave out members that were added later),
 * AWS-FACTS.md / FIREHOSE-FACTS.md, or AWS messages quoted in public issues.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAwsError } from '../../src/errors/aws-error.js';
import { compileModel } from '../../src/api/validation/compile.js';
import { checkConstraints } from '../../src/api/validation/constraints.js';
import { coerceInput } from '../../src/api/validation/coerce.js';
import { operationExists, parseInput, type ModelName } from '../../src/api/validation/index.js';
import type { ModelShapes } from '../../src/api/validation/shape-data.js';

function validationMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(isAwsError(error), `expected an AwsError, got ${String(error)}`);
    assert.equal(error.type, 'ValidationException');
    assert.equal(error.status, 400);
    return error.message;
  }
  assert.fail('expected ValidationException');
}

function invalid(model: ModelName, operation: string, body: unknown, protocol: 'json' | 'cbor' = 'json'): string {
  return validationMessage(() => parseInput(model, operation, body, protocol));
}

const STREAM_NAME_PATTERN = 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';
const MIN_1 = 'Member must have length greater than or equal to 1';

describe('parseInput constraint pass (Kinesis)', () => {
  it('PutRecord: required members and every failed rule, in AWS order', () => {
    // kinesalite test/putRecord.js "no StreamName" (StreamName is optional in today's model).
    assert.equal(invalid('kinesis', 'PutRecord', {}),
      '2 validation errors detected: ' +
      "Value null at 'partitionKey' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'data' failed to satisfy constraint: Member must not be null");
    // kinesalite test/putRecord.js "empty StreamName": pattern before length, members in AWS order.
    assert.equal(invalid('kinesis', 'PutRecord', { StreamName: '', PartitionKey: '', Data: '', ExplicitHashKey: '', SequenceNumberForOrdering: '' }),
      '5 validation errors detected: ' +
      "Value '' at 'sequenceNumberForOrdering' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128}); " +
      `Value '' at 'partitionKey' failed to satisfy constraint: ${MIN_1}; ` +
      "Value '' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); " +
      `Value '' at 'streamName' failed to satisfy constraint: ${STREAM_NAME_PATTERN}; ` +
      `Value '' at 'streamName' failed to satisfy constraint: ${MIN_1}`);
  });

  it('PutRecord: long values, blob rendering (model max 10485760 for Data)', () => {
    // kinesalite test/putRecord.js "long StreamName" (Data's max was 51200 then; AWS-FACTS §2.1: now 10485760).
    const name = 'a'.repeat(129);
    const key = 'a'.repeat(257);
    const data = Buffer.alloc(10485761).toString('base64');
    assert.equal(invalid('kinesis', 'PutRecord', { StreamName: name, PartitionKey: key, Data: data, ExplicitHashKey: '' }),
      '4 validation errors detected: ' +
      `Value '${key}' at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256; ` +
      "Value '' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); " +
      "Value 'java.nio.HeapByteBuffer[pos=0 lim=10485761 cap=10485761]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 10485760; " +
      `Value '${name}' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128`);
  });

  it('PutRecords: list length, element paths records.N.member.x', () => {
    // kinesalite test/putRecords.js "empty StreamName".
    assert.equal(invalid('kinesis', 'PutRecords', { StreamName: '', Records: [] }),
      '3 validation errors detected: ' +
      `Value '[]' at 'records' failed to satisfy constraint: ${MIN_1}; ` +
      `Value '' at 'streamName' failed to satisfy constraint: ${STREAM_NAME_PATTERN}; ` +
      `Value '' at 'streamName' failed to satisfy constraint: ${MIN_1}`);
    // kinesalite test/putRecords.js "empty PartitionKey".
    assert.equal(invalid('kinesis', 'PutRecords', { StreamName: '', Records: [{ PartitionKey: '', Data: '', ExplicitHashKey: '' }] }),
      '4 validation errors detected: ' +
      `Value '' at 'records.1.member.partitionKey' failed to satisfy constraint: ${MIN_1}; ` +
      "Value '' at 'records.1.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); " +
      `Value '' at 'streamName' failed to satisfy constraint: ${STREAM_NAME_PATTERN}; ` +
      `Value '' at 'streamName' failed to satisfy constraint: ${MIN_1}`);
    // Required members inside elements.
    assert.equal(invalid('kinesis', 'PutRecords', { Records: [{ PartitionKey: 'a', Data: '' }, {}] }),
      '2 validation errors detected: ' +
      "Value null at 'records.2.member.partitionKey' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'records.2.member.data' failed to satisfy constraint: Member must not be null");
  });

  it('PutRecords: at most 10 failures are counted and listed', () => {
    // kinesalite test/putRecords.js "too many records": 501 entries give "10 validation errors detected",
    // the list itself first. AWS prints each entry as its Java object (`…PutRecordsRequestEntry@<hash>`);
    // the hash is AWS's own, so only the shape of the text is checked here.
    const records = Array.from({ length: 501 }, () => ({ PartitionKey: '', Data: '' }));
    const message = invalid('kinesis', 'PutRecords', { StreamName: '', Records: records });
    const items = message.slice('10 validation errors detected: '.length).split('; ');
    assert.ok(message.startsWith('10 validation errors detected: '));
    assert.equal(items.length, 10);
    assert.match(items[0]!, /^Value '\[(com\.amazonaws\.kinesis\.v20131202\.PutRecordsRequestEntry@[0-9a-f]+(, )?){501}\]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/);
    for (let i = 1; i < 10; i++) {
      assert.equal(items[i], `Value '' at 'records.${i}.member.partitionKey' failed to satisfy constraint: ${MIN_1}`);
    }
  });

  it('GetRecords: value and length bounds', () => {
    // kinesalite test/getRecords.js "empty ShardIterator" and "long ShardIterator".
    assert.equal(invalid('kinesis', 'GetRecords', { ShardIterator: '', Limit: 0 }),
      '2 validation errors detected: ' +
      "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
      `Value '' at 'shardIterator' failed to satisfy constraint: ${MIN_1}`);
    const iterator = 'a'.repeat(513);
    assert.equal(invalid('kinesis', 'GetRecords', { ShardIterator: iterator, Limit: 100000 }),
      '2 validation errors detected: ' +
      "Value '100000' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000; " +
      `Value '${iterator}' at 'shardIterator' failed to satisfy constraint: Member must have length less than or equal to 512`);
    assert.equal(invalid('kinesis', 'GetRecords', {}),
      "1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: Member must not be null");
  });

  it('GetShardIterator: enum value set in AWS order', () => {
    // kinesalite test/getShardIterator.js "empty StreamName"; the enum order with AT_TIMESTAMP is AWS-FACTS §3.
    assert.equal(invalid('kinesis', 'GetShardIterator', { StreamName: '', ShardIteratorType: '', ShardId: '', StartingSequenceNumber: '' }),
      '6 validation errors detected: ' +
      `Value '' at 'shardId' failed to satisfy constraint: ${STREAM_NAME_PATTERN}; ` +
      `Value '' at 'shardId' failed to satisfy constraint: ${MIN_1}; ` +
      "Value '' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]; " +
      "Value '' at 'startingSequenceNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128}); " +
      `Value '' at 'streamName' failed to satisfy constraint: ${STREAM_NAME_PATTERN}; ` +
      `Value '' at 'streamName' failed to satisfy constraint: ${MIN_1}`);
  });

  it('CreateStream: number values render quoted', () => {
    // kinesalite test/createStream.js "empty StreamName".
    assert.equal(invalid('kinesis', 'CreateStream', { StreamName: '', ShardCount: 0 }),
      '3 validation errors detected: ' +
      "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
      `Value '' at 'streamName' failed to satisfy constraint: ${STREAM_NAME_PATTERN}; ` +
      `Value '' at 'streamName' failed to satisfy constraint: ${MIN_1}`);
    // AWS-FACTS §2.1: MaxRecordSizeInKiB 1024–10240.
    assert.equal(invalid('kinesis', 'CreateStream', { StreamName: 'a', MaxRecordSizeInKiB: 10241 }),
      "1 validation error detected: Value '10241' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value less than or equal to 10240");
  });

  it('nested structures: lowerCamel paths', () => {
    assert.equal(invalid('kinesis', 'CreateStream', { StreamName: 'a', StreamModeDetails: {} }),
      "1 validation error detected: Value null at 'streamModeDetails.streamMode' failed to satisfy constraint: Member must not be null");
    // Member and enum order follow the rules fitted to recorded messages (this one is not recorded).
    assert.equal(invalid('kinesis', 'ListShards', { StreamName: 'a', ShardFilter: { Type: 'NOPE', ShardId: '' } }),
      '3 validation errors detected: ' +
      `Value '' at 'shardFilter.shardId' failed to satisfy constraint: ${STREAM_NAME_PATTERN}; ` +
      `Value '' at 'shardFilter.shardId' failed to satisfy constraint: ${MIN_1}; ` +
      "Value 'NOPE' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: " +
      '[FROM_TIMESTAMP, AT_TIMESTAMP, AT_TRIM_HORIZON, AT_LATEST, FROM_TRIM_HORIZON, AFTER_SHARD_ID]');
  });

  it('maps: length, then keys and values as a whole', () => {
    // kinesalite test/addTagsToStream.js "empty StreamName": an empty map renders '{}'.
    assert.equal(invalid('kinesis', 'AddTagsToStream', { StreamName: '', Tags: {} }),
      '3 validation errors detected: ' +
      `Value '{}' at 'tags' failed to satisfy constraint: ${MIN_1}; ` +
      `Value '' at 'streamName' failed to satisfy constraint: ${STREAM_NAME_PATTERN}; ` +
      `Value '' at 'streamName' failed to satisfy constraint: ${MIN_1}`);
    // kinesalite test/addTagsToStream.js "long tag key" / "long tag value": key and value rules are
    // reported once for the whole map, max first, value min 0 included.
    assert.equal(invalid('kinesis', 'AddTagsToStream', { StreamName: 'a', Tags: { '': 'b', c: 'x'.repeat(257) } }),
      '2 validation errors detected: ' +
      `Value '{=b, c=${'x'.repeat(257)}}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, ${MIN_1}]; ` +
      `Value '{=b, c=${'x'.repeat(257)}}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]`);
  });

  it('lists of scalars: one failure for the whole list with the element rules', () => {
    // kinesalite test/removeTagsFromStream.js "long TagKey".
    const long = 'a'.repeat(129);
    assert.equal(invalid('kinesis', 'RemoveTagsFromStream', { StreamName: 'a', TagKeys: ['a', long, 'b'] }),
      `1 validation error detected: Value '[a, ${long}, b]' at 'tagKeys' failed to satisfy constraint: ` +
      `Member must satisfy constraint: [Member must have length less than or equal to 128, ${MIN_1}]`);
    assert.equal(invalid('kinesis', 'RemoveTagsFromStream', { StreamName: 'a', TagKeys: ['', 'ok', ''] }),
      "1 validation error detected: Value '[, ok, ]' at 'tagKeys' failed to satisfy constraint: " +
      `Member must satisfy constraint: [Member must have length less than or equal to 128, ${MIN_1}]`);
    // kinesalite test/removeTagsFromStream.js "too many TagKeys" (the limit was 10 then; AWS-FACTS §2.1: 1–50 now).
    const keys = Array.from({ length: 51 }, (_, i) => String(i + 1));
    assert.equal(invalid('kinesis', 'RemoveTagsFromStream', { StreamName: 'a', TagKeys: keys }),
      `1 validation error detected: Value '[${keys.join(', ')}]' at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50`);
    // Enum elements (form quoted from AWS Lambda: [Member must satisfy enum value set: [x86_64, arm64]]).
    assert.match(invalid('kinesis', 'EnableEnhancedMonitoring', { StreamName: 'a', ShardLevelMetrics: ['IncomingBytes', 'Nope'] }),
      /^1 validation error detected: Value '\[IncomingBytes, Nope\]' at 'shardLevelMetrics' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[[A-Za-z, ]+\]\]$/);
  });

  it('null list elements and map values (not recorded against AWS; keeps nulls from handlers)', () => {
    assert.equal(invalid('kinesis', 'PutRecords', { Records: [{ PartitionKey: 'a', Data: '' }, null] }),
      "1 validation error detected: Value null at 'records.2.member' failed to satisfy constraint: Member must not be null");
    assert.equal(invalid('kinesis', 'RemoveTagsFromStream', { StreamName: 'a', TagKeys: ['a', null] }),
      "1 validation error detected: Value null at 'tagKeys.2.member' failed to satisfy constraint: Member must not be null");
    assert.equal(invalid('kinesis', 'AddTagsToStream', { StreamName: 'a', Tags: { a: null, b: 'c' } }),
      "1 validation error detected: Value null at 'tags.a.member' failed to satisfy constraint: Member must not be null");
  });

  it('patterns match the whole value (Java matches())', () => {
    assert.equal(invalid('kinesis', 'PutRecord', { PartitionKey: 'a', Data: '', StreamName: 'ok name' }),
      `1 validation error detected: Value 'ok name' at 'streamName' failed to satisfy constraint: ${STREAM_NAME_PATTERN}`);
    assert.equal(invalid('kinesis', 'PutRecord', { PartitionKey: 'a', Data: '', ExplicitHashKey: '01' }),
      "1 validation error detected: Value '01' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})");
    const arn = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';
    assert.equal(parseInput('kinesis', 'PutRecord', { PartitionKey: 'a', Data: '', StreamARN: arn }, 'json').StreamARN, arn);
    assert.match(invalid('kinesis', 'PutRecord', { PartitionKey: 'a', Data: '', StreamARN: 'arn:aws:kinesis:us-east-1:1234:stream/s' }),
      /at 'streamARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws\.\*:kinesis:/);
  });

  it('CBOR input goes through the same rules', () => {
    assert.equal(invalid('kinesis', 'PutRecord', { PartitionKey: '', Data: new Uint8Array(0) }, 'cbor'),
      `1 validation error detected: Value '' at 'partitionKey' failed to satisfy constraint: ${MIN_1}`);
  });

  it('valid input passes unchanged', () => {
    const input = { StreamName: 'orders', Records: [{ PartitionKey: 'a', Data: 'aGk=', ExplicitHashKey: '0' }] };
    const parsed = parseInput('kinesis', 'PutRecords', input, 'json');
    assert.equal(parsed.StreamName, 'orders');
    assert.equal(parsed.Records[0].Data.toString(), 'hi');
  });

  it('knows the operations of the model and of SDK 3.1143', () => {
    for (const operation of ['PutRecords', 'SubscribeToShard', 'UpdateMaxRecordSize', 'CreateChannel', 'UpdateStreamRecordDistributionStrategy']) {
      assert.equal(operationExists('kinesis', operation), true, operation);
    }
    assert.equal(operationExists('kinesis', 'PutRecordBatch'), false);
    assert.equal(operationExists('firehose', 'PutRecordBatch'), true);
    // Enum from the SDK (AUTO, USER_PARTITION_KEY); required members from the SDK schema.
    assert.match(invalid('kinesis', 'UpdateStreamRecordDistributionStrategy', { RecordDistributionStrategy: 'X' }),
      /^2 validation errors detected: .*Value null at 'streamARN' failed to satisfy constraint: Member must not be null/);
    assert.equal(parseInput('kinesis', 'PutRecords', { Records: [{ PartitionKey: 'a', Data: '' }], DryRun: true }, 'json').DryRun, true);
  });
});

describe('parseInput constraint pass (Firehose)', () => {
  it('oversized record data is reported at records.N.member.data', () => {
    // FIREHOSE-FACTS.md: ValidationException at 'records.N.member.data', max 1024000.
    const big = Buffer.alloc(1024001).toString('base64');
    assert.equal(invalid('firehose', 'PutRecordBatch', { DeliveryStreamName: 'd', Records: [{ Data: '' }, { Data: big }] }),
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'records.2.member.data' " +
      'failed to satisfy constraint: Member must have length less than or equal to 1024000');
    assert.equal(invalid('firehose', 'PutRecord', { DeliveryStreamName: 'd', Record: { Data: big } }),
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'record.data' " +
      'failed to satisfy constraint: Member must have length less than or equal to 1024000');
  });

  it('deeply nested members, doubles printed as Java does', () => {
    const message = invalid('firehose', 'CreateDeliveryStream', {
      DeliveryStreamName: 'd',
      ExtendedS3DestinationConfiguration: {
        RoleARN: 'arn:aws:iam::123456789012:role/r',
        BucketARN: 'arn:aws:s3:::b',
        DataFormatConversionConfiguration: { OutputFormatConfiguration: { Serializer: { OrcSerDe: { PaddingTolerance: 2 } } } },
      },
    });
    assert.equal(message,
      "1 validation error detected: Value '2.0' at 'extendedS3DestinationConfiguration.dataFormatConversionConfiguration." +
      "outputFormatConfiguration.serializer.orcSerDe.paddingTolerance' failed to satisfy constraint: Member must have value less than or equal to 1");
  });

  it('Java patterns with \\p{…} classes', () => {
    assert.match(invalid('firehose', 'TagDeliveryStream', { DeliveryStreamName: 'd', Tags: [{ Key: 'aws:x', Value: 'ok' }] }),
      /^1 validation error detected: Value 'aws:x' at 'tags\.1\.member\.key' failed to satisfy constraint: Member must satisfy regular expression pattern: \^\(\?!aws:\)/);
    assert.deepEqual(parseInput('firehose', 'TagDeliveryStream', { DeliveryStreamName: 'd', Tags: [{ Key: 'Ünïcode key', Value: 'v 1' }] }, 'json').Tags,
      [{ Key: 'Ünïcode key', Value: 'v 1' }]);
  });

  it('HTTP endpoint URLs: http:// accepted on purpose (local receivers), failures keep AWS\'s pattern text', () => {
    const destination = (url: string) => ({
      DeliveryStreamName: 'd',
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: url },
        S3Configuration: { RoleARN: 'arn:aws:iam::123456789012:role/r', BucketARN: 'arn:aws:s3:::b' },
      },
    });
    assert.equal(parseInput('firehose', 'CreateDeliveryStream', destination('http://127.0.0.1:9000/in'), 'json')
      .HttpEndpointDestinationConfiguration.EndpointConfiguration.Url, 'http://127.0.0.1:9000/in');
    assert.equal(invalid('firehose', 'CreateDeliveryStream', destination('ftp://x')),
      "1 validation error detected: Value 'ftp://x' at 'httpEndpointDestinationConfiguration.endpointConfiguration.url' " +
      'failed to satisfy constraint: Member must satisfy regular expression pattern: https://.*');
  });

  it('delivery stream name rules', () => {
    // AWS-FACTS §6: DeliveryStreamName 1–64, [a-zA-Z0-9_.-]+.
    assert.equal(invalid('firehose', 'DeleteDeliveryStream', { DeliveryStreamName: 'x'.repeat(65) }),
      `1 validation error detected: Value '${'x'.repeat(65)}' at 'deliveryStreamName' failed to satisfy constraint: Member must have length less than or equal to 64`);
    assert.match(invalid('firehose', 'DeleteDeliveryStream', {}), /^1 validation error detected: Value null at 'deliveryStreamName' failed to satisfy constraint: Member must not be null$/);
  });
});

describe('maps of structures', () => {
  // dynalite test/query.js (recorded against DynamoDB, the same framework): map values are reported at
  // 'queryFilter.b.member.comparisonOperator', keys in AWS's order (b before a).
  const comparisonOperators = ['EQ', 'NE', 'IN', 'LE', 'LT', 'GE', 'GT', 'BETWEEN', 'NOT_NULL', 'NULL', 'CONTAINS', 'NOT_CONTAINS', 'BEGINS_WITH'];
  const model: ModelShapes = {
    apiVersion: '2012-08-10', endpointPrefix: 'dynamodb', targetPrefix: 'DynamoDB_20120810',
    operations: { Query: 0 },
    shapes: [
      { name: 'QueryInput', type: 'structure', members: [['QueryFilter', 1]] },
      { name: 'FilterConditionMap', type: 'map', key: 3, value: 2 },
      { name: 'Condition', type: 'structure', members: [['ComparisonOperator', 4]], required: ['ComparisonOperator'] },
      { name: 'AttributeName', type: 'string' },
      { name: 'ComparisonOperator', type: 'string', enum: comparisonOperators },
    ],
  };
  const input = compileModel(model).operations.get('Query')!;

  it('report values at <map>.<key>.member.<member>', () => {
    const message = validationMessage(() => checkConstraints(input, coerceInput(input, { QueryFilter: { a: {}, b: { ComparisonOperator: '' } } })));
    assert.equal(message,
      '2 validation errors detected: ' +
      "Value '' at 'queryFilter.b.member.comparisonOperator' failed to satisfy constraint: " +
      'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]; ' +
      "Value null at 'queryFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null");
  });
});
