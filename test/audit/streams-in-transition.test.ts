/**
 * AWS lets at most five streams of an account be CREATING or DELETING at once: CreateStream and
 * DeleteStream past that answer LimitExceededException (text as AWS clients have logged it).
 */
import { describe, it } from 'node:test';
import { CreateStreamCommand, DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from '../integration/kinesis/helpers.js';

const LIMIT_MESSAGE =
  `This request would have exceed the limit on the number  of streams that can simultaneously be in CREATING or DELETING for the account ${ACCOUNT}. Limit: 5.`;

describe('streams CREATING at once', () => {
  const t = useServer({ createStreamMs: 60_000 });

  it('refuses a sixth CreateStream while five are CREATING', async () => {
    for (let i = 0; i < 5; i++) await t.createStream();
    await assertAwsError(t.createStream(), 'LimitExceededException', LIMIT_MESSAGE);
  });
});

describe('streams DELETING at once', () => {
  const t = useServer({ deleteStreamMs: 60_000 });

  it('counts DELETING streams too, for DeleteStream and CreateStream, but lets a DELETING stream be deleted again', async () => {
    const names: string[] = [];
    for (let i = 0; i < 6; i++) names.push(await t.createStream());
    for (const StreamName of names.slice(0, 5)) await t.client.send(new DeleteStreamCommand({ StreamName }));
    await assertAwsError(t.client.send(new DeleteStreamCommand({ StreamName: names[5] })), 'LimitExceededException', LIMIT_MESSAGE);
    await assertAwsError(t.client.send(new CreateStreamCommand({ StreamName: t.name(), ShardCount: 1 })), 'LimitExceededException', LIMIT_MESSAGE);
    await t.client.send(new DeleteStreamCommand({ StreamName: names[0] }));
  });
});
