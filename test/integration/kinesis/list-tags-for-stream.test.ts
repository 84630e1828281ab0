import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListTagsForStreamCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

describe('ListTagsForStream', () => {
  const t = useServer();

  it('refuses a Limit above 50', async () => {
    await assertAwsError(t.client.send(new ListTagsForStreamCommand({ StreamName: 'x', Limit: 51 })), 'ValidationException', /Member must have value less than or equal to 50/);
  });

  it('answers ResourceNotFound for a missing stream', async () => {
    const StreamName = t.name('missing');
    await assertAwsError(t.client.send(new ListTagsForStreamCommand({ StreamName })), 'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
  });

  it('lists an untagged stream as empty', async () => {
    const StreamName = await t.createStream();
    const listed = await t.client.send(new ListTagsForStreamCommand({ StreamName }));
    assert.deepEqual(listed.Tags, []);
    assert.equal(listed.HasMoreTags, false);
  });

  it('lists in key order and pages with Limit and ExclusiveStartTagKey', async () => {
    const StreamName = await t.createStream({ Tags: { c: '3', a: '1', b: '2' } });
    const first = await t.client.send(new ListTagsForStreamCommand({ StreamName, Limit: 2 }));
    assert.deepEqual(first.Tags, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
    assert.equal(first.HasMoreTags, true);
    const rest = await t.client.send(new ListTagsForStreamCommand({ StreamARN: t.arn(StreamName), ExclusiveStartTagKey: 'b' }));
    assert.deepEqual(rest.Tags, [{ Key: 'c', Value: '3' }]);
    assert.equal(rest.HasMoreTags, false);
  });
});
