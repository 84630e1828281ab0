/** Channel delivery through the S3 API (`--s3-endpoint`), against the third-party s3rver. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { CreateChannelCommand, CreateStreamCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startS3rver, type S3rver } from '../../helpers/s3rver.js';
import { kinesisClient } from '../../helpers/server.js';
import { startFirehoseServer, waitFor, type FirehoseTestServer } from '../firehose/helpers.js';
import { putRecords, s3Channel } from './helpers.js';

describe('channel delivery through the S3 API (s3rver)', { timeout: 60_000 }, () => {
  let s3rver: S3rver;
  let fh: FirehoseTestServer;
  let kinesis: KinesisClient;

  before(async () => {
    s3rver = await startS3rver(['channel-lake']);
    fh = await startFirehoseServer({ s3Endpoint: s3rver.endpoint, s3ForcePathStyle: true, firehoseFlushRecords: 2 });
    kinesis = kinesisClient(fh.server.endpoint, { http1: true });
  });
  after(async () => {
    kinesis.destroy();
    await fh.close();
    await s3rver.close();
  });

  it('puts gzip objects under the default key layout', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'api-source', ShardCount: 1 }));
    const channel = (await kinesis.send(new CreateChannelCommand(s3Channel('api-channel', 'api-source', 'channel-lake', { compression: 'GZIP' })))).ChannelDescription!;
    await putRecords(kinesis, 'api-source', ['{"n":1}', '{"n":2}']);
    const [object] = await waitFor(async () => {
      const list = (await s3rver.client.send(new ListObjectsV2Command({ Bucket: 'channel-lake' }))).Contents ?? [];
      return list.length > 0 ? list : undefined;
    });
    assert.match(object!.Key!, new RegExp(`^kinesis-channel/api-channel/${channel.ChannelId}/\\d{4}/\\d{2}/\\d{2}/\\d{2}/api-channel-${channel.ChannelId}-[\\d-]{16}-[0-9a-f-]{36}\\.gz$`));
    const got = await s3rver.client.send(new GetObjectCommand({ Bucket: 'channel-lake', Key: object!.Key! }));
    assert.equal(got.ContentEncoding, 'gzip');
    assert.equal(gunzipSync(Buffer.from(await got.Body!.transformToByteArray())).toString(), '{"n":1}\n{"n":2}\n');
  });
});
