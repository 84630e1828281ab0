import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coralEnumOrder, javaStringHash, coralMemberOrder } from '../../src/api/validation/java-order.js';

describe('java-order', () => {
  it('javaStringHash matches java.lang.String#hashCode', () => {
    // Values computed by Java's definition s[0]*31^(n-1) + … + s[n-1], as a signed int.
    assert.equal(javaStringHash(''), 0);
    assert.equal(javaStringHash('a'), 97);
    assert.equal(javaStringHash('streamName'), -1194951125);
    assert.equal(javaStringHash('AT_SEQUENCE_NUMBER'), -1489047173);
  });

  it('member order reproduces the orders recorded against Kinesis', () => {
    // kinesalite test/putRecord.js (recorded against AWS): "5 validation errors detected" order.
    assert.deepEqual(
      coralMemberOrder(['streamName', 'data', 'partitionKey', 'explicitHashKey', 'sequenceNumberForOrdering']),
      ['sequenceNumberForOrdering', 'partitionKey', 'explicitHashKey', 'data', 'streamName'],
    );
    // kinesalite test/getShardIterator.js.
    assert.deepEqual(
      coralMemberOrder(['streamName', 'shardId', 'shardIteratorType', 'startingSequenceNumber']),
      ['shardId', 'shardIteratorType', 'startingSequenceNumber', 'streamName'],
    );
    // kinesalite test/putRecords.js: entries report partitionKey, explicitHashKey, data.
    assert.deepEqual(coralMemberOrder(['data', 'explicitHashKey', 'partitionKey']), ['partitionKey', 'explicitHashKey', 'data']);
    // kinesalite test/createStream.js and test/addTagsToStream.js.
    assert.deepEqual(coralMemberOrder(['streamName', 'shardCount']), ['shardCount', 'streamName']);
    assert.deepEqual(coralMemberOrder(['streamName', 'tags']), ['tags', 'streamName']);
  });

  it('member order reproduces a 17-member message recorded against DynamoDB (same framework)', () => {
    // dynalite test/query.js: limit, returnConsumedCapacity, attributesToGet, queryFilter, select,
    // keyConditions, tableName, indexName (only these members failed).
    const queryMembers = ['tableName', 'indexName', 'select', 'attributesToGet', 'limit', 'consistentRead', 'keyConditions',
      'queryFilter', 'conditionalOperator', 'scanIndexForward', 'exclusiveStartKey', 'returnConsumedCapacity',
      'projectionExpression', 'filterExpression', 'keyConditionExpression', 'expressionAttributeNames', 'expressionAttributeValues'];
    const failed = ['limit', 'returnConsumedCapacity', 'attributesToGet', 'queryFilter', 'select', 'keyConditions', 'tableName', 'indexName'];
    assert.deepEqual(coralMemberOrder(queryMembers).filter((name) => failed.includes(name)), failed);
    // Same message: map entries b before a.
    assert.deepEqual(coralMemberOrder(['a', 'b']), ['b', 'a']);
  });

  it('known disagreement: SplitShard', () => {
    // kinesalite test/splitShard.js records newStartingHashKey, streamName, shardToSplit.
    assert.deepEqual(coralMemberOrder(['streamName', 'shardToSplit', 'newStartingHashKey']), ['newStartingHashKey', 'shardToSplit', 'streamName']);
  });

  it('keeps every key when the table grows', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `member${i}`);
    assert.deepEqual([...coralMemberOrder(keys)].sort(), [...keys].sort());
  });

  it('enum order reproduces the ShardIteratorType sets recorded against Kinesis', () => {
    // kinesalite test/getShardIterator.js, before AT_TIMESTAMP existed.
    assert.deepEqual(
      coralEnumOrder(['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST']),
      ['AFTER_SEQUENCE_NUMBER', 'LATEST', 'AT_SEQUENCE_NUMBER', 'TRIM_HORIZON'],
    );
    // AWS-FACTS.md §3 (current model).
    assert.deepEqual(
      coralEnumOrder(['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']),
      ['AFTER_SEQUENCE_NUMBER', 'LATEST', 'AT_TIMESTAMP', 'AT_SEQUENCE_NUMBER', 'TRIM_HORIZON'],
    );
  });

  it('enum order reproduces sets recorded against DynamoDB (same framework)', () => {
    // dynalite test/query.js.
    assert.deepEqual(
      coralEnumOrder(['EQ', 'NE', 'IN', 'LE', 'LT', 'GE', 'GT', 'BETWEEN', 'NOT_NULL', 'NULL', 'CONTAINS', 'NOT_CONTAINS', 'BEGINS_WITH']),
      ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'],
    );
    assert.deepEqual(coralEnumOrder(['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT']),
      ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES']);
    assert.deepEqual(coralEnumOrder(['INDEXES', 'TOTAL', 'NONE']), ['INDEXES', 'TOTAL', 'NONE']);
  });
});
