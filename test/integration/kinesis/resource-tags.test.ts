/** TagResource, UntagResource and ListTagsForResource on stream ARNs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListTagsForResourceCommand, ListTagsForStreamCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-kinesis';
import { assertAwsError, useServer } from './helpers.js';

describe('resource tags', () => {
  const t = useServer();

  it('refuses a ResourceARN outside the pattern', async () => {
    await assertAwsError(t.client.send(new ListTagsForResourceCommand({ ResourceARN: 'not-an-arn' })), 'ValidationException', /resourceARN/);
  });

  it('answers ResourceNotFound for a stream that does not exist', async () => {
    await assertAwsError(t.client.send(new ListTagsForResourceCommand({ ResourceARN: t.arn(t.name('missing')) })), 'ResourceNotFoundException');
  });

  it('tags, lists and untags a stream by ARN, shared with the stream tag operations', async () => {
    const StreamName = await t.createStream();
    const ResourceARN = t.arn(StreamName);
    await t.client.send(new TagResourceCommand({ ResourceARN, Tags: { b: '2', a: '1' } }));
    assert.deepEqual((await t.client.send(new ListTagsForResourceCommand({ ResourceARN }))).Tags, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
    assert.deepEqual((await t.client.send(new ListTagsForStreamCommand({ StreamName }))).Tags?.map((tag) => tag.Key), ['a', 'b']);
    await t.client.send(new UntagResourceCommand({ ResourceARN, TagKeys: ['a'] }));
    assert.deepEqual((await t.client.send(new ListTagsForResourceCommand({ ResourceARN }))).Tags, [{ Key: 'b', Value: '2' }]);
  });
});
