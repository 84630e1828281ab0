/**
 * StreamId (`[a-z0-9]{20}-[a-z0-9]{3}`) is in every stream-scoped input of the current model. SDKs
 * route to an AWS host when it is set, so it only arrives from hand-built requests; Runnel accepts
 * and ignores it, and validates its shape like any other member.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rawJsonCall, useServer } from '../integration/kinesis/helpers.js';

const STREAM_ID = 'abcdefghij0123456789-abc';

describe('StreamId', () => {
  const t = useServer();

  it('is accepted and ignored by the stream and record operations', async () => {
    const StreamName = await t.createStream({ ShardCount: 1 });
    const ok = async (operation: string, body: Record<string, unknown>) => {
      const response = await rawJsonCall(t.server.endpoint, operation, { StreamId: STREAM_ID, ...body });
      assert.equal(response.status, 200, `${operation}: ${response.body.toString()}`);
      return response.body.length > 0 ? response.json() : {};
    };
    await ok('DescribeStream', { StreamName });
    await ok('DescribeStreamSummary', { StreamARN: t.arn(StreamName) });
    await ok('ListShards', { StreamName });
    const put = await ok('PutRecord', { StreamName, PartitionKey: 'k', Data: 'aGk=' });
    await ok('PutRecords', { StreamName, Records: [{ PartitionKey: 'k', Data: 'aGk=' }] });
    const { ShardIterator } = await ok('GetShardIterator', { StreamName, ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' });
    const records = await ok('GetRecords', { ShardIterator });
    assert.equal(records.Records.length, 2);
    await ok('IncreaseStreamRetentionPeriod', { StreamName, RetentionPeriodHours: 48 });
    await ok('DecreaseStreamRetentionPeriod', { StreamName, RetentionPeriodHours: 24 });
    await ok('AddTagsToStream', { StreamName, Tags: { a: 'b' } });
    const tags = await ok('ListTagsForStream', { StreamName });
    assert.deepEqual(tags.Tags, [{ Key: 'a', Value: 'b' }]);
    await ok('RemoveTagsFromStream', { StreamName, TagKeys: ['a'] });
    await ok('TagResource', { ResourceARN: t.arn(StreamName), Tags: { c: 'd' } });
    await ok('ListTagsForResource', { ResourceARN: t.arn(StreamName) });
    await ok('UntagResource', { ResourceARN: t.arn(StreamName), TagKeys: ['c'] });
    await ok('UpdateMaxRecordSize', { StreamARN: t.arn(StreamName), MaxRecordSizeInKiB: 2048 });
    await ok('DeleteStream', { StreamName });
  });

  it('is validated against the model pattern', async () => {
    const StreamName = await t.createStream({ ShardCount: 1 });
    const response = await rawJsonCall(t.server.endpoint, 'DescribeStreamSummary', { StreamName, StreamId: 'NOT-AN-ID' });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json(), {
      __type: 'ValidationException',
      message: "1 validation error detected: Value 'NOT-AN-ID' at 'streamId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z0-9]{20}-[a-z0-9]{3}",
    });
  });
});
