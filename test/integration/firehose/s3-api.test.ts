/** S3 destinations through the S3 API (`--s3-endpoint`) against the third-party s3rver, run with
 * --openssl-legacy-provider as it needs on Node 20. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { firehoseClient } from '../../helpers/server.js';
import { ROLE_ARN, startFirehoseServer, waitFor, type FirehoseTestServer } from './helpers.js';

const S3RVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 's3rver-process.js');
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Forwards to s3rver unchanged (Host included, so signatures hold) and remembers each request
 * line, so the test can see how an object was uploaded. */
async function recordingProxy(target: string, seen: string[]): Promise<{ server: Server; endpoint: string }> {
  const { hostname, port } = new URL(target);
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = request({ hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('S3 API destination (s3rver)', () => {
  const requestsSeen: string[] = [];
  let proxy: Server;
  let s3rver: ChildProcess;
  let s3Dir: string;
  let s3: S3Client;
  let fh: FirehoseTestServer;
  let client: FirehoseClient;

  before(async () => {
    s3Dir = await mkdtemp(join(tmpdir(), 'runnel-s3rver-'));
    s3rver = spawn(process.execPath, ['--openssl-legacy-provider', S3RVER_SCRIPT, s3Dir, 'api-small', 'api-large'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const endpoint = await new Promise<string>((resolve, reject) => {
      s3rver.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
      createInterface({ input: s3rver.stdout! }).once('line', (line) => resolve(JSON.parse(line).endpoint));
    });
    // The S3 destination takes credentials from the SDK's default chain, as against AWS.
    process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
    s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    const recording = await recordingProxy(endpoint, requestsSeen);
    proxy = recording.server;
    fh = await startFirehoseServer({ s3Endpoint: recording.endpoint, s3ForcePathStyle: true });
    client = firehoseClient(fh.server.endpoint);
  });
  after(async () => {
    client.destroy();
    await fh.close();
    s3.destroy();
    proxy.close();
    s3rver.kill();
    await rm(s3Dir, { recursive: true, force: true });
  });

  async function objects(bucket: string): Promise<Array<{ Key?: string; Size?: number }>> {
    return (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [];
  }

  async function body(bucket: string, key: string): Promise<{ bytes: Buffer; contentType?: string; contentEncoding?: string }> {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return {
      bytes: Buffer.from(await object.Body!.transformToByteArray()),
      contentType: object.ContentType,
      contentEncoding: object.ContentEncoding,
    };
  }

  it('puts one object per batch with the content encoding and type AWS uses', async () => {
    await client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'api-small',
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::api-small', CompressionFormat: 'GZIP', Prefix: 'logs/', BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 0 } },
    }));
    await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'api-small', Records: ['one', 'two', 'three'].map((s) => ({ Data: Buffer.from(s) })) }));
    const [object] = await waitFor(async () => {
      const list = await objects('api-small');
      return list.length > 0 ? list : undefined;
    });
    assert.match(object!.Key!, /^logs\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/api-small-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.gz$/);
    const got = await body('api-small', object!.Key!);
    assert.equal(got.contentType, 'application/octet-stream');
    assert.equal(got.contentEncoding, 'gzip');
    assert.equal(gunzipSync(got.bytes).toString(), 'onetwothree');
  });

  it('uploads large objects in parts', { timeout: 120_000 }, async () => {
    await client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'api-large',
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::api-large', BufferingHints: { SizeInMBs: 17, IntervalInSeconds: 900 } },
    }));
    const records = Array.from({ length: 18 }, (_, i) => Buffer.alloc(1_000_000, 65 + i));
    for (let i = 0; i < records.length; i += 4) {
      await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'api-large', Records: records.slice(i, i + 4).map((Data) => ({ Data })) }));
    }
    // s3rver lists an object while it still assembles the parts, so wait for the final size.
    const object = await waitFor(async () => (await objects('api-large')).find((item) => item.Size === 17_000_000));
    assert.equal((await objects('api-large')).length, 1, 'one object holds the 17 records that fit in 17 MiB');
    const got = await body('api-large', object.Key!);
    const uploads = requestsSeen.filter((line) => line.startsWith('PUT /api-large/') && line.includes('uploadId='));
    assert.equal(uploads.length, 3, 'three 8 MiB parts: 8 + 8 + 1 MB');
    assert.ok(requestsSeen.some((line) => line.startsWith('POST /api-large/') && line.includes('uploadId=')), 'the upload was completed');
    assert.ok(got.bytes.equals(Buffer.concat(records.slice(0, 17))));
  });
});
