import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListTagsForStreamCommand, TagResourceCommand } from '@aws-sdk/client-kinesis';
import { assertAwsError, useServer } from './helpers.js';

describe('TagResource', () => {
  const t = useServer();

  it('refuses a ResourceARN outside the pattern', async () => {
    await assertAwsError(t.client.send(new TagResourceCommand({ ResourceARN: 'not-an-arn', Tags: { a: 'b' } })), 'ValidationException', /resourceARN/);
  });

  it('answers ResourceNotFound for a stream that does not exist', async () => {
    await assertAwsError(t.client.send(new TagResourceCommand({ ResourceARN: t.arn(t.name('missing')), Tags: { a: 'b' } })), 'ResourceNotFoundException');
  });

  it('tags a stream by ARN, as AddTagsToStream does', async () => {
    const StreamName = await t.createStream();
    await t.client.send(new TagResourceCommand({ ResourceARN: t.arn(StreamName), Tags: { b: '2', a: '1' } }));
    assert.deepEqual((await t.client.send(new ListTagsForStreamCommand({ StreamName }))).Tags, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
  });

  it('refuses invalid characters', async () => {
    const StreamName = await t.createStream();
    await assertAwsError(t.client.send(new TagResourceCommand({ ResourceARN: t.arn(StreamName), Tags: { 'a*': 'b' } })), 'InvalidArgumentException',
      'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.');
  });
});
