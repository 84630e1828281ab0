import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListTagsForStreamCommand, RemoveTagsFromStreamCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

describe('RemoveTagsFromStream', () => {
  const t = useServer();

  it('answers ResourceNotFound for a missing stream', async () => {
    const StreamName = t.name('missing');
    await assertAwsError(t.client.send(new RemoveTagsFromStreamCommand({ StreamName, TagKeys: ['a'] })), 'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
  });

  it('removes the given keys and ignores absent ones', async () => {
    const StreamName = await t.createStream({ Tags: { a: '1', b: '2', c: '3' } });
    await t.client.send(new RemoveTagsFromStreamCommand({ StreamName, TagKeys: ['b', 'absent'] }));
    await t.client.send(new RemoveTagsFromStreamCommand({ StreamARN: t.arn(StreamName), TagKeys: ['c'] }));
    assert.deepEqual((await t.client.send(new ListTagsForStreamCommand({ StreamName }))).Tags, [{ Key: 'a', Value: '1' }]);
  });
});
