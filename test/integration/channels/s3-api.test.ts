/** Channel delivery through the S3 API (`--s3-endpoint`), against the third-party s3rver run with
 * --openssl-legacy-provider as it needs on Node 20. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CreateChannelCommand, CreateStreamCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { kinesisClient } from '../../helpers/server.js';
import { startFirehoseServer, waitFor, type FirehoseTestServer } from '../firehose/helpers.js';
import { putRecords, s3Channel } from './helpers.js';

const S3RVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'firehose', 's3rver-process.js');
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

describe('channel delivery through the S3 API (s3rver)', { timeout: 60_000 }, () => {
  let s3rver: ChildProcess;
  let s3Dir: string;
  let s3: S3Client;
  let fh: FirehoseTestServer;
  let kinesis: KinesisClient;

  before(async () => {
    s3Dir = await mkdtemp(join(tmpdir(), 'runnel-channels-s3rver-'));
    s3rver = spawn(process.execPath, ['--openssl-legacy-provider', S3RVER_SCRIPT, s3Dir, 'channel-lake'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const endpoint = await new Promise<string>((resolve, reject) => {
      s3rver.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
      createInterface({ input: s3rver.stdout! }).once('line', (line) => resolve(JSON.parse(line).endpoint));
    });
    // Delivery takes credentials from the SDK's default chain, as against AWS.
    process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
    s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    fh = await startFirehoseServer({ s3Endpoint: endpoint, s3ForcePathStyle: true, firehoseFlushRecords: 2 });
    kinesis = kinesisClient(fh.server.endpoint, { http1: true });
  });
  after(async () => {
    kinesis.destroy();
    await fh.close();
    s3.destroy();
    s3rver.kill();
    await rm(s3Dir, { recursive: true, force: true });
  });

  it('puts gzip objects under the default key layout', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'api-source', ShardCount: 1 }));
    const channel = (await kinesis.send(new CreateChannelCommand(s3Channel('api-channel', 'api-source', 'channel-lake', { compression: 'GZIP' })))).ChannelDescription!;
    await putRecords(kinesis, 'api-source', ['{"n":1}', '{"n":2}']);
    const [object] = await waitFor(async () => {
      const list = (await s3.send(new ListObjectsV2Command({ Bucket: 'channel-lake' }))).Contents ?? [];
      return list.length > 0 ? list : undefined;
    });
    assert.match(object!.Key!, new RegExp(`^kinesis-channel/api-channel/${channel.ChannelId}/\\d{4}/\\d{2}/\\d{2}/\\d{2}/api-channel-${channel.ChannelId}-[\\d-]{16}-[0-9a-f-]{36}\\.gz$`));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'channel-lake', Key: object!.Key! }));
    assert.equal(got.ContentEncoding, 'gzip');
    assert.equal(gunzipSync(Buffer.from(await got.Body!.transformToByteArray())).toString(), '{"n":1}\n{"n":2}\n');
  });
});
