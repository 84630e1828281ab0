/** RegisterStreamConsumer, DescribeStreamConsumer, ListStreamConsumers, DeregisterStreamConsumer
 * through the SDK, their limits, and consumers surviving a restart. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  LimitExceededException,
  ListStreamConsumersCommand,
  ListTagsForResourceCommand,
  RegisterStreamConsumerCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  SubscribeToShardCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, startKinesisServer, startTestServer, useKinesisServer } from '../../helpers/server.js';

const ACCOUNT = '000000000000';
const arnOf = (streamName: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${streamName}`;

describe('stream consumers', () => {
  const suite = useKinesisServer();

  it('registers, describes, lists and deregisters consumers by ARN and by name', async () => {
    const { client } = suite;
    await client.send(new CreateStreamCommand({ StreamName: 'consumers-basic', ShardCount: 1 }));
    const StreamARN = arnOf('consumers-basic');
    const before = Date.now();
    const { Consumer } = await client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'first', Tags: { team: 'a' } }));
    assert.equal(Consumer?.ConsumerName, 'first');
    assert.match(Consumer!.ConsumerARN!, new RegExp(`^${StreamARN}/consumer/first:\\d{10}$`));
    assert.ok(Math.abs(Number(Consumer!.ConsumerARN!.split(':').at(-1)) - Math.floor(before / 1000)) <= 1);
    assert.equal(Consumer?.ConsumerStatus, 'ACTIVE');
    assert.ok(Consumer?.ConsumerCreationTimestamp instanceof Date);
    await client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'second' }));

    const byArn = await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN! }));
    const byName = await client.send(new DescribeStreamConsumerCommand({ StreamARN, ConsumerName: 'first' }));
    assert.deepEqual(byArn.ConsumerDescription, byName.ConsumerDescription);
    assert.equal(byArn.ConsumerDescription?.StreamARN, StreamARN);

    const listed = await client.send(new ListStreamConsumersCommand({ StreamARN }));
    assert.deepEqual(listed.Consumers?.map((consumer) => consumer.ConsumerName), ['first', 'second']);
    assert.equal(listed.NextToken, undefined);
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'consumers-basic' }));
    assert.equal(summary.StreamDescriptionSummary?.ConsumerCount, 2);
    const tags = await client.send(new ListTagsForResourceCommand({ ResourceARN: Consumer!.ConsumerARN! }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'a' }]);

    await client.send(new DeregisterStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN! }));
    await client.send(new DeregisterStreamConsumerCommand({ StreamARN, ConsumerName: 'second' }));
    assert.deepEqual((await client.send(new ListStreamConsumersCommand({ StreamARN }))).Consumers, []);
    await assert.rejects(client.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN! })), ResourceNotFoundException);
    await assert.rejects(client.send(new DescribeStreamConsumerCommand({ StreamARN, ConsumerName: 'second' })), ResourceNotFoundException);
  });

  it('pages ListStreamConsumers with MaxResults and NextToken', async () => {
    const { client } = suite;
    await client.send(new CreateStreamCommand({ StreamName: 'consumers-paged', ShardCount: 1 }));
    const StreamARN = arnOf('consumers-paged');
    for (const ConsumerName of ['c1', 'c2', 'c3']) await client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName }));
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new ListStreamConsumersCommand({ StreamARN, MaxResults: 2, ...(NextToken ? { NextToken } : {}) }));
      assert.ok(page.Consumers!.length <= 2);
      names.push(...page.Consumers!.map((consumer) => consumer.ConsumerName!));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(names, ['c1', 'c2', 'c3']);
    const created = (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'consumers-paged' }))).StreamDescriptionSummary!.StreamCreationTimestamp!;
    const matching = await client.send(new ListStreamConsumersCommand({ StreamARN, StreamCreationTimestamp: created }));
    assert.equal(matching.Consumers?.length, 3);
    await assert.rejects(client.send(new ListStreamConsumersCommand({ StreamARN, StreamCreationTimestamp: new Date(created.getTime() - 60_000) })), ResourceNotFoundException);
  });

  it('refuses a duplicate name, a 21st consumer and an unknown stream', async () => {
    const { client } = suite;
    await client.send(new CreateStreamCommand({ StreamName: 'consumers-limits', ShardCount: 1 }));
    const StreamARN = arnOf('consumers-limits');
    await client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'dup' }));
    await assert.rejects(client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'dup' })), ResourceInUseException);
    for (let i = 1; i < 20; i++) await client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: `c${i}` }));
    await assert.rejects(client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'one-too-many' })), LimitExceededException);
    await assert.rejects(client.send(new RegisterStreamConsumerCommand({ StreamARN: arnOf('no-such-stream'), ConsumerName: 'x' })), (err: unknown) =>
      err instanceof ResourceNotFoundException && err.message === `Stream no-such-stream under account ${ACCOUNT} not found.`);
  });

  it('tags consumers through TagResource', async () => {
    const { client } = suite;
    await client.send(new CreateStreamCommand({ StreamName: 'consumers-tags', ShardCount: 1 }));
    const { Consumer } = await client.send(new RegisterStreamConsumerCommand({ StreamARN: arnOf('consumers-tags'), ConsumerName: 'tagged' }));
    await client.send(new TagResourceCommand({ ResourceARN: Consumer!.ConsumerARN!, Tags: { env: 'test' } }));
    const tags = await client.send(new ListTagsForResourceCommand({ ResourceARN: Consumer!.ConsumerARN! }));
    assert.deepEqual(tags.Tags, [{ Key: 'env', Value: 'test' }]);
  });
});

describe('consumer lifecycle with delays', () => {
  it('shows CREATING, then ACTIVE; DELETING, then gone', async (t) => {
    const { client } = await startKinesisServer(t, { createStreamMs: 50, deleteStreamMs: 1_000 }, { http1: true });
    await client.send(new CreateStreamCommand({ StreamName: 'delayed', ShardCount: 1 }));
    const StreamARN = arnOf('delayed');
    const waitFor = async (check: () => Promise<boolean>) => {
      while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await waitFor(async () => (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'delayed' }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE');
    const { Consumer } = await client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'slow' }));
    assert.equal(Consumer?.ConsumerStatus, 'CREATING');
    const status = async () => (await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN! }))).ConsumerDescription?.ConsumerStatus;
    await waitFor(async () => (await status()) === 'ACTIVE');
    await client.send(new DeregisterStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN! }));
    assert.equal(await status(), 'DELETING');
    await waitFor(async () => {
      try {
        await status();
        return false;
      } catch (err) {
        assert.ok(err instanceof ResourceNotFoundException);
        return true;
      }
    });
  });
});

describe('consumers while CREATING', () => {
  it('allows 5 CREATING consumers per stream and refuses subscriptions until ACTIVE', async (t) => {
    const { client } = await startKinesisServer(t, { createStreamMs: 3_000 });
    await client.send(new CreateStreamCommand({ StreamName: 'creating', ShardCount: 1 }));
    while ((await client.send(new DescribeStreamSummaryCommand({ StreamName: 'creating' }))).StreamDescriptionSummary?.StreamStatus !== 'ACTIVE') {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const StreamARN = arnOf('creating');
    const registered = [];
    for (let i = 0; i < 5; i++) registered.push((await client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: `c${i}` }))).Consumer!);
    await assert.rejects(client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'sixth' })), LimitExceededException);
    const creating = registered[0]!;
    const createdSec = creating.ConsumerARN!.split(':').at(-1);
    await assert.rejects(
      client.send(new SubscribeToShardCommand({ ConsumerARN: creating.ConsumerARN!, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } })),
      (err: unknown) => err instanceof ResourceInUseException &&
        err.message === `Consumer c0 with creation timestamp ${createdSec} under stream creating and account ${ACCOUNT} is not in ACTIVE status.`,
    );
  });
});

describe('consumers across a restart', () => {
  let dataDir: string;
  before(async () => { dataDir = await mkdtemp(path.join(os.tmpdir(), 'runnel-consumers-')); });
  after(async () => { await rm(dataDir, { recursive: true, force: true }); });

  it('keeps registered consumers, their ARNs and tags', async (t) => {
    const first = await startTestServer({ inMemory: false, dataDir });
    const client = kinesisClient(first.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'durable', ShardCount: 1 }));
    const { Consumer } = await client.send(new RegisterStreamConsumerCommand({ StreamARN: arnOf('durable'), ConsumerName: 'kept', Tags: { k: 'v' } }));
    client.destroy();
    await first.close();

    const { client: restarted } = await startKinesisServer(t, { inMemory: false, dataDir });
    const described = await restarted.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN! }));
    assert.equal(described.ConsumerDescription?.ConsumerStatus, 'ACTIVE');
    assert.equal(described.ConsumerDescription?.ConsumerCreationTimestamp?.getTime(), Consumer!.ConsumerCreationTimestamp!.getTime());
    const tags = await restarted.send(new ListTagsForResourceCommand({ ResourceARN: Consumer!.ConsumerARN! }));
    assert.deepEqual(tags.Tags, [{ Key: 'k', Value: 'v' }]);
  });
});
