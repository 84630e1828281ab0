/** AddTagsToStream, RemoveTagsFromStream and ListTagsForStream. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddTagsToStreamCommand, ListTagsForStreamCommand, RemoveTagsFromStreamCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

describe('stream tags', () => {
  const t = useServer();

  describe('validations', () => {
    it('answers ResourceNotFound for a missing stream', async () => {
      const StreamName = t.name('missing');
      await assertAwsError(t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { a: 'b' } })), 'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
      await assertAwsError(t.client.send(new ListTagsForStreamCommand({ StreamName })), 'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
    });

    it('refuses invalid characters', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { 'a#b': 'c' } })), 'InvalidArgumentException',
        'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.');
    });

    it('refuses more than 50 tags on a stream', async () => {
      const StreamName = await t.createStream();
      const Tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
      await t.client.send(new AddTagsToStreamCommand({ StreamName, Tags }));
      await assertAwsError(t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { extra: 'v' } })), 'InvalidArgumentException',
        `Failed to add tags to stream ${StreamName} under account ${ACCOUNT} because a given stream cannot have more than 10 tags associated with it.`);
      await t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { k0: 'overwritten' } }));
    });
  });

  describe('functionality', () => {
    it('adds, overwrites, lists in key order and removes tags', async () => {
      const StreamName = await t.createStream();
      await t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { zeta: '1', alpha: '2', mid: '' } }));
      await t.client.send(new AddTagsToStreamCommand({ StreamARN: t.arn(StreamName), Tags: { alpha: 'two' } }));
      const listed = await t.client.send(new ListTagsForStreamCommand({ StreamName }));
      assert.deepEqual(listed.Tags, [{ Key: 'alpha', Value: 'two' }, { Key: 'mid', Value: '' }, { Key: 'zeta', Value: '1' }]);
      assert.equal(listed.HasMoreTags, false);
      await t.client.send(new RemoveTagsFromStreamCommand({ StreamName, TagKeys: ['mid', 'absent'] }));
      assert.deepEqual((await t.client.send(new ListTagsForStreamCommand({ StreamName }))).Tags?.map((tag) => tag.Key), ['alpha', 'zeta']);
    });

    it('pages with Limit and ExclusiveStartTagKey', async () => {
      const StreamName = await t.createStream({ Tags: { a: '1', b: '2', c: '3' } });
      const first = await t.client.send(new ListTagsForStreamCommand({ StreamName, Limit: 2 }));
      assert.deepEqual(first.Tags?.map((tag) => tag.Key), ['a', 'b']);
      assert.equal(first.HasMoreTags, true);
      const rest = await t.client.send(new ListTagsForStreamCommand({ StreamName, ExclusiveStartTagKey: 'b' }));
      assert.deepEqual(rest.Tags?.map((tag) => tag.Key), ['c']);
      assert.equal(rest.HasMoreTags, false);
    });
  });
});
