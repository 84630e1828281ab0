import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListTagsForResourceCommand } from '@aws-sdk/client-kinesis';
import { assertAwsError, useServer } from './helpers.js';

describe('ListTagsForResource', () => {
  const t = useServer();

  it('refuses a ResourceARN outside the pattern', async () => {
    await assertAwsError(t.client.send(new ListTagsForResourceCommand({ ResourceARN: 'not-an-arn' })), 'ValidationException', /resourceARN/);
  });

  it('answers ResourceNotFound for a stream that does not exist', async () => {
    await assertAwsError(t.client.send(new ListTagsForResourceCommand({ ResourceARN: t.arn(t.name('missing')) })), 'ResourceNotFoundException');
  });

  it('lists a stream\'s tags in key order', async () => {
    const StreamName = await t.createStream({ Tags: { team: 'data', env: 'test' } });
    const listed = await t.client.send(new ListTagsForResourceCommand({ ResourceARN: t.arn(StreamName) }));
    assert.deepEqual(listed.Tags, [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'data' }]);
  });
});
