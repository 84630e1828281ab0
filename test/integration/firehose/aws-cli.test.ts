/** The AWS CLI (v2, Debian's `awscli`) as a user types it from a Firehose guide, against Runnel. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { SKIP_WITHOUT_AWS_CLI, awsCliJson } from '../../helpers/aws-cli.js';
import { ROLE_ARN, readObject, startFirehoseServer, waitForObjects, type FirehoseTestServer } from './helpers.js';

describe('AWS CLI', { skip: SKIP_WITHOUT_AWS_CLI }, () => {
  let fh: FirehoseTestServer;

  before(async () => {
    fh = await startFirehoseServer({ firehoseFlushRecords: 2 });
  });
  after(() => fh.close());

  it('runs the guide example: create-delivery-stream, put-record-batch, describe, list', async () => {
    const endpoint = fh.server.endpoint;
    const created = await awsCliJson(endpoint, [
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

    const put = await awsCliJson(endpoint, [
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

    const described = await awsCliJson(endpoint, ['firehose', 'describe-delivery-stream', '--delivery-stream-name', 'logs-to-s3']);
    assert.equal(described.DeliveryStreamDescription.DeliveryStreamStatus, 'ACTIVE');
    assert.equal(described.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription.CompressionFormat, 'GZIP');

    const listed = await awsCliJson(endpoint, ['firehose', 'list-delivery-streams']);
    assert.deepEqual(listed.DeliveryStreamNames, ['logs-to-s3']);
  });
});
