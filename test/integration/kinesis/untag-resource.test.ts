import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListTagsForResourceCommand, UntagResourceCommand } from '@aws-sdk/client-kinesis';
import { assertAwsError, useServer } from './helpers.js';

describe('UntagResource', () => {
  const t = useServer();

  it('answers ResourceNotFound for a stream that does not exist', async () => {
    await assertAwsError(t.client.send(new UntagResourceCommand({ ResourceARN: t.arn(t.name('missing')), TagKeys: ['a'] })), 'ResourceNotFoundException');
  });

  it('removes tags from a stream by ARN', async () => {
    const StreamName = await t.createStream({ Tags: { a: '1', b: '2' } });
    const ResourceARN = t.arn(StreamName);
    await t.client.send(new UntagResourceCommand({ ResourceARN, TagKeys: ['a', 'absent'] }));
    assert.deepEqual((await t.client.send(new ListTagsForResourceCommand({ ResourceARN }))).Tags, [{ Key: 'b', Value: '2' }]);
  });
});
