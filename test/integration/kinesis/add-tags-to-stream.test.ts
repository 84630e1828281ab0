import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddTagsToStreamCommand, ListTagsForStreamCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

describe('AddTagsToStream', () => {
  const t = useServer();

  describe('validations', () => {
    it('refuses an empty tag map', async () => {
      await assertAwsError(t.client.send(new AddTagsToStreamCommand({ StreamName: 'x', Tags: {} })), 'ValidationException', /Member must have length greater than or equal to 1/);
    });

    it('answers ResourceNotFound for a missing stream', async () => {
      const StreamName = t.name('missing');
      await assertAwsError(t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { a: 'b' } })), 'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
    });

    it('refuses invalid characters', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { 'a#b': 'c' } })), 'InvalidArgumentException',
        'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.');
    });

    it('refuses more than 50 tags on a stream (with AWS\'s dated message)', async () => {
      const StreamName = await t.createStream();
      await t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) }));
      await assertAwsError(t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { extra: 'v' } })), 'InvalidArgumentException',
        `Failed to add tags to stream ${StreamName} under account ${ACCOUNT} because a given stream cannot have more than 10 tags associated with it.`);
      await t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { k0: 'overwriting is fine' } }));
    });
  });

  describe('functionality', () => {
    it('adds and overwrites tags, by name or ARN', async () => {
      const StreamName = await t.createStream();
      await t.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { zeta: '1', alpha: '2', 'with space': '' } }));
      await t.client.send(new AddTagsToStreamCommand({ StreamARN: t.arn(StreamName), Tags: { alpha: 'two' } }));
      const listed = await t.client.send(new ListTagsForStreamCommand({ StreamName }));
      assert.deepEqual(listed.Tags, [{ Key: 'alpha', Value: 'two' }, { Key: 'with space', Value: '' }, { Key: 'zeta', Value: '1' }]);
    });
  });
});
