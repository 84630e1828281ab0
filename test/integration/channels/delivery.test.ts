/** Kinesis stream channels deliver the stream to S3: from LATEST at creation, through the
 * embedded file store, with AWS's key layout, record screening, UpdateChannel and DeleteChannel
 * taking effect, and checkpoints kept across a restart. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateChannelCommand,
  CreateStreamCommand,
  DeleteChannelCommand,
  DeleteStreamCommand,
  DescribeChannelCommand,
  UpdateChannelCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, useServerAndClient } from '../../helpers/server.js';
import { deliveredLines, listObjects, readObject, startFirehoseServer, waitFor, waitForLines } from '../firehose/helpers.js';
import { ACCOUNT, ROLE, putRecords, s3Channel, streamArn } from './helpers.js';

const TIMEOUT = { timeout: 60_000 };

describe('channel delivery to the embedded S3 store', TIMEOUT, () => {
  const t = useServerAndClient(() => startFirehoseServer({ firehoseFlushRecords: 1 }), (fh) => kinesisClient(fh.server.endpoint, { http1: true }));

  it('delivers what arrives after creation, from every shard, under the default key layout', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 2 }));
    await putRecords(t.client, 'orders', ['{"before":1}', '{"before":2}']);
    const created = (await t.client.send(new CreateChannelCommand(s3Channel('orders-to-s3', 'orders', 'lake', { compression: 'GZIP' })))).ChannelDescription!;
    const records = Array.from({ length: 6 }, (_, i) => JSON.stringify({ order: i }));
    await putRecords(t.client, 'orders', records);

    const lines = await waitForLines(t.server, 'lake', records);
    assert.deepEqual(lines, [...records].sort(), 'only records put after CreateChannel, each once');
    const keys = await listObjects(t.server.s3Root, 'lake');
    const id = created.ChannelId!;
    const layout = new RegExp(`^kinesis-channel/orders-to-s3/${id}/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/orders-to-s3-${id}-\\1-\\2-\\3-\\4-\\d{2}-[0-9a-f-]{36}\\.gz$`);
    for (const key of keys) assert.match(key, layout);
    const described = (await t.client.send(new DescribeChannelCommand({ ChannelARN: created.ChannelARN }))).ChannelDescription!;
    assert.equal(described.ChannelStatus, 'ACTIVE');
  });

  it('fills a custom OutputKeyTemplate and compresses with ZSTD', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 1 }));
    await t.client.send(new CreateChannelCommand(s3Channel('clicks-zstd', 'clicks', 'clicks', {
      format: 'STRING',
      compression: 'ZSTD',
      template: 'raw/!{stream-name}/!{yy}!{MM}!{dd}/!{channel-name}!{extension}',
    })));
    await putRecords(t.client, 'clicks', ['first click', 'second click']);
    assert.deepEqual(await waitForLines(t.server, 'clicks', ['first click', 'second click']), ['first click', 'second click']);
    for (const key of await listObjects(t.server.s3Root, 'clicks')) {
      assert.match(key, /^raw\/clicks\/\d{6}\/clicks-zstd-[0-9a-f-]{36}\.zst$/);
    }
  });

  it('writes BYTE_ARRAY records as they are, without delimiters', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'blobs', ShardCount: 1 }));
    await t.client.send(new CreateChannelCommand(s3Channel('blobs-raw', 'blobs', 'blobs', { format: 'BYTE_ARRAY' })));
    const blob = Buffer.from([0x00, 0xff, 0x0a, 0x80]);
    await putRecords(t.client, 'blobs', [blob]);
    const [key] = await waitFor(async () => {
      const keys = await listObjects(t.server.s3Root, 'blobs');
      return keys.length > 0 ? keys : undefined;
    });
    assert.deepEqual(await readObject(t.server.s3Root, 'blobs', key!), blob);
  });

  it('sends records that are not valid JSON to the dead-letter queue and delivers the rest', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'events', ShardCount: 1 }));
    await t.client.send(new CreateChannelCommand(s3Channel('events-json', 'events', 'events', {
      deadLetter: { BucketARN: 'arn:aws:s3:::events-dlq', ExpectedBucketOwner: ACCOUNT, ErrorOutputPrefix: 'failed/' },
    })));
    await putRecords(t.client, 'events', ['{"ok":1}', 'not json', '{"ok":2}', Buffer.from([0xff, 0xfe])]);
    assert.deepEqual(await waitForLines(t.server, 'events', ['{"ok":1}', '{"ok":2}']), ['{"ok":1}', '{"ok":2}']);
    const errors = await waitFor(async () => {
      const lines = await deliveredLines(t.server, 'events-dlq');
      return lines.length >= 2 ? lines.map((line) => JSON.parse(line)) : undefined;
    });
    const raw = errors.map((error) => Buffer.from(error.rawData, 'base64').toString('hex')).sort();
    assert.deepEqual(raw, [Buffer.from('not json').toString('hex'), 'fffe'].sort());
    for (const error of errors) {
      assert.equal(error.errorCode, 'InvalidRecordFormat');
      assert.equal(error.channelName, 'events-json');
      assert.equal(error.shardId, 'shardId-000000000000');
    }
    for (const key of await listObjects(t.server.s3Root, 'events-dlq')) assert.match(key, /^failed\/events-json\//);
  });

  it('follows resharding into the child shards', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'growing', ShardCount: 1 }));
    await t.client.send(new CreateChannelCommand(s3Channel('growing-s3', 'growing', 'growing', { format: 'STRING' })));
    await putRecords(t.client, 'growing', ['parent-1', 'parent-2']);
    await waitForLines(t.server, 'growing', ['parent-1', 'parent-2']);
    await t.client.send(new UpdateShardCountCommand({ StreamName: 'growing', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }));
    const children = Array.from({ length: 6 }, (_, i) => `child-${i}`);
    await waitFor(async () => {
      try {
        await putRecords(t.client, 'growing', children);
        return true;
      } catch (err) {
        if ((err as Error).name === 'ResourceInUseException') return undefined;
        throw err;
      }
    });
    assert.deepEqual(await waitForLines(t.server, 'growing', children), ['parent-1', 'parent-2', ...children].sort());
  });

  it('stops delivering once the channel is deleted', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'audit', ShardCount: 1 }));
    const first = (await t.client.send(new CreateChannelCommand(s3Channel('audit-a', 'audit', 'audit-a', { format: 'STRING' })))).ChannelDescription!;
    await putRecords(t.client, 'audit', ['kept']);
    await waitForLines(t.server, 'audit-a', ['kept']);
    await t.client.send(new DeleteChannelCommand({ ChannelARN: first.ChannelARN }));
    await putRecords(t.client, 'audit', ['after-delete']);
    // A second channel on the same stream proves records after the delete were delivered
    // wherever a channel still runs.
    await t.client.send(new CreateChannelCommand(s3Channel('audit-b', 'audit', 'audit-b', { format: 'STRING' })));
    await putRecords(t.client, 'audit', ['marker']);
    await waitForLines(t.server, 'audit-b', ['marker']);
    assert.deepEqual(await deliveredLines(t.server, 'audit-a'), ['kept']);
  });

  it('refuses S3 Tables destinations and invalid key templates', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'tables', ShardCount: 1 }));
    await assert.rejects(t.client.send(new CreateChannelCommand({
      ChannelName: 'to-tables',
      ServiceExecutionRoleARN: ROLE,
      StreamConfigurationList: [{ StreamARN: streamArn('tables'), RecordConfiguration: { RecordFormatType: 'JSON', GSRSchemaARN: `arn:aws:glue:us-east-1:${ACCOUNT}:schema/registry/schema` } }],
      S3TablesDestinationConfiguration: {
        DeadLetterQueueS3Configuration: { BucketARN: 'arn:aws:s3:::dlq', ExpectedBucketOwner: ACCOUNT },
        S3TablesConfigurationList: [{ TableBucketARN: `arn:aws:s3tables:us-east-1:${ACCOUNT}:bucket/tables`, Namespace: 'ns', TableName: 't', CompressionType: 'ZSTD' }],
      },
    })), {
      name: 'InvalidArgumentException',
      message: 'S3TablesDestinationConfiguration is not supported by Runnel: it has no S3 Tables (Apache Iceberg) store to deliver to. Use S3DestinationConfiguration.',
    });
    await assert.rejects(t.client.send(new CreateChannelCommand(s3Channel('bad-template', 'tables', 'b', { template: 'data/!{topic-name}' }))), {
      name: 'InvalidArgumentException',
      message: 'OutputKeyTemplate data/!{topic-name} is invalid: !{topic-name} is not a known variable.',
    });
  });

  it('stops delivering when the source stream is deleted', async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'short-lived', ShardCount: 1 }));
    await t.client.send(new CreateChannelCommand(s3Channel('short-lived-s3', 'short-lived', 'short-lived', { format: 'STRING' })));
    await putRecords(t.client, 'short-lived', ['old']);
    await waitForLines(t.server, 'short-lived', ['old']);
    await t.client.send(new DeleteStreamCommand({ StreamName: 'short-lived' }));
    await t.client.send(new CreateStreamCommand({ StreamName: 'short-lived', ShardCount: 1 }));
    await t.client.send(new CreateChannelCommand(s3Channel('new-incarnation', 'short-lived', 'new-incarnation', { format: 'STRING' })));
    await putRecords(t.client, 'short-lived', ['new']);
    await waitForLines(t.server, 'new-incarnation', ['new']);
    assert.deepEqual(await deliveredLines(t.server, 'short-lived'), ['old'], 'the old channel does not read the new stream of the same name');
  });
});

describe('UpdateChannel', TIMEOUT, () => {
  it('applies a new DataFreshnessInSeconds to records already waiting', async () => {
    const fh = await startFirehoseServer();
    const kinesis = kinesisClient(fh.server.endpoint, { http1: true });
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'metrics', ShardCount: 1 }));
      const channel = (await kinesis.send(new CreateChannelCommand(s3Channel('metrics-s3', 'metrics', 'metrics', { format: 'STRING', freshness: 900 })))).ChannelDescription!;
      await putRecords(kinesis, 'metrics', ['waiting']);
      // With 900 s the record would outlast the test's timeout; 1 s delivers it now.
      const updated = (await kinesis.send(new UpdateChannelCommand({ ChannelARN: channel.ChannelARN, S3DestinationConfiguration: { DataFreshnessInSeconds: 1 } }))).ChannelDescription!;
      assert.equal(updated.S3DestinationConfiguration!.DataFreshnessInSeconds, 1);
      assert.deepEqual(await waitForLines(fh, 'metrics', ['waiting']), ['waiting']);
    } finally {
      kinesis.destroy();
      await fh.close();
    }
  });
});

describe('channel delivery across restarts', TIMEOUT, () => {
  it('resumes from its checkpoints: records read but not yet delivered at shutdown are delivered after restart', async () => {
    const first = await startFirehoseServer({ firehoseFlushRecords: 1 });
    const dataDir = first.dataDir;
    let kinesis = kinesisClient(first.server.endpoint, { http1: true });
    await kinesis.send(new CreateStreamCommand({ StreamName: 'ledger', ShardCount: 2 }));
    await kinesis.send(new CreateChannelCommand(s3Channel('ledger-s3', 'ledger', 'ledger', { format: 'STRING' })));
    await putRecords(kinesis, 'ledger', ['one', 'two']);
    await waitForLines(first, 'ledger', ['one', 'two']);
    kinesis.destroy();
    await first.server.close();

    // Nothing is due here (no record count or age reaches a limit): the records stay pending in
    // memory, uncommitted, when the server stops.
    const second = await startFirehoseServer({ firehoseFlushRecords: 1000, dataDir });
    kinesis = kinesisClient(second.server.endpoint, { http1: true });
    await putRecords(kinesis, 'ledger', ['three', 'four']);
    kinesis.destroy();
    await second.server.close();

    const third = await startFirehoseServer({ firehoseFlushRecords: 1, dataDir });
    kinesis = kinesisClient(third.server.endpoint, { http1: true });
    try {
      await putRecords(kinesis, 'ledger', ['five']);
      const lines = await waitForLines(third, 'ledger', ['three', 'four', 'five']);
      assert.deepEqual([...new Set(lines)].sort(), ['five', 'four', 'one', 'three', 'two'], 'nothing lost; duplicates only as at-least-once allows');
    } finally {
      kinesis.destroy();
      await third.close();
    }
  });
});
