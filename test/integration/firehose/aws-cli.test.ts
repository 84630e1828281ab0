/** The AWS CLI (v2, Debian's `awscli`) as a user types it from a Firehose guide, against Runnel. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ROLE_ARN, readObject, startFirehoseServer, waitForObjects, type FirehoseTestServer } from './helpers.js';

const AWS_CLI = '/usr/bin/aws';

function aws(endpoint: string, args: readonly string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(AWS_CLI, [...args, '--endpoint-url', endpoint, '--output', 'json'], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent', AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
    }, (err, stdout, stderr) => {
      if (err) reject(new Error(`aws ${args.join(' ')}: ${stderr}`));
      else resolve(stdout.trim() ? JSON.parse(stdout) : {});
    });
  });
}

describe('AWS CLI', { skip: existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed (apt-get install awscli)` }, () => {
  let fh: FirehoseTestServer;

  before(async () => {
    fh = await startFirehoseServer({ firehoseFlushRecords: 2 });
  });
  after(() => fh.close());

  it('runs the guide example: create-delivery-stream, put-record-batch, describe, list', async () => {
    const endpoint = fh.server.endpoint;
    const created = await aws(endpoint, [
      'firehose', 'create-delivery-stream',
      '--delivery-stream-name', 'logs-to-s3',
      '--s3-destination-configuration', JSON.stringify({
        RoleARN: ROLE_ARN,
        BucketARN: 'arn:aws:s3:::my-log-bucket',
        Prefix: 'logs/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
        BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 300 },
        CompressionFormat: 'GZIP',
      }),
    ]);
    assert.equal(created.DeliveryStreamARN, 'arn:aws:firehose:us-east-1:000000000000:deliverystream/logs-to-s3');

    const put = await aws(endpoint, [
      'firehose', 'put-record-batch', '--delivery-stream-name', 'logs-to-s3',
      '--records', JSON.stringify(['{"level":"info"}\n', '{"level":"warn"}\n'].map((line) => ({ Data: Buffer.from(line).toString('base64') }))),
    ]);
    assert.equal(put.FailedPutCount, 0);
    assert.equal(put.RequestResponses.length, 2);

    const [key] = await waitForObjects(fh.s3Root, 'my-log-bucket', 1);
    const m = /^logs\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/logs-to-s3-1-(\d{4})-(\d{2})-(\d{2})-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.gz$/.exec(key!);
    assert.ok(m, key);
    assert.deepEqual([m[1], m[2], m[3]], [m[4], m[5], m[6]], 'the prefix is evaluated at the object\'s instant');
    assert.equal(gunzipSync(await readObject(fh.s3Root, 'my-log-bucket', key!)).toString(), '{"level":"info"}\n{"level":"warn"}\n');

    const described = await aws(endpoint, ['firehose', 'describe-delivery-stream', '--delivery-stream-name', 'logs-to-s3']);
    assert.equal(described.DeliveryStreamDescription.DeliveryStreamStatus, 'ACTIVE');
    assert.equal(described.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription.CompressionFormat, 'GZIP');

    const listed = await aws(endpoint, ['firehose', 'list-delivery-streams']);
    assert.deepEqual(listed.DeliveryStreamNames, ['logs-to-s3']);
  });
});
