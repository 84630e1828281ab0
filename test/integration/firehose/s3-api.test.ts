/** S3 destinations through the S3 API (`--s3-endpoint`) against the third-party s3rver. */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startS3rver, type S3rver } from '../../helpers/s3rver.js';
import { firehoseClient, useServerAndClient } from '../../helpers/server.js';
import { ROLE_ARN, startFirehoseServer, waitFor } from './helpers.js';

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
  let proxyEndpoint: string;
  let s3rver: S3rver;

  before(async () => {
    s3rver = await startS3rver(['api-small', 'api-large']);
    ({ server: proxy, endpoint: proxyEndpoint } = await recordingProxy(s3rver.endpoint, requestsSeen));
  });
  const t = useServerAndClient(() => startFirehoseServer({ s3Endpoint: proxyEndpoint, s3ForcePathStyle: true }), (fh) => firehoseClient(fh.server.endpoint));
  after(async () => {
    proxy.close();
    await s3rver.close();
  });

  async function objects(bucket: string): Promise<Array<{ Key?: string; Size?: number }>> {
    return (await s3rver.client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [];
  }

  async function body(bucket: string, key: string): Promise<{ bytes: Buffer; contentType?: string; contentEncoding?: string }> {
    const object = await s3rver.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return {
      bytes: Buffer.from(await object.Body!.transformToByteArray()),
      contentType: object.ContentType,
      contentEncoding: object.ContentEncoding,
    };
  }

  it('puts one object per batch with the content encoding and type AWS uses', async () => {
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'api-small',
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::api-small', CompressionFormat: 'GZIP', Prefix: 'logs/', BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 0 } },
    }));
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'api-small', Records: ['one', 'two', 'three'].map((s) => ({ Data: Buffer.from(s) })) }));
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
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'api-large',
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::api-large', BufferingHints: { SizeInMBs: 17, IntervalInSeconds: 900 } },
    }));
    const records = Array.from({ length: 18 }, (_, i) => Buffer.alloc(1_000_000, 65 + i));
    for (let i = 0; i < records.length; i += 4) {
      await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'api-large', Records: records.slice(i, i + 4).map((Data) => ({ Data })) }));
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
