/**
 * More of a delivery stream's life through the AWS CLI (v2, Debian's `awscli`), typed as the
 * Firehose guides show it: an HTTP endpoint destination, put-record, update-destination, tags,
 * AWS's validation errors as the CLI prints them, delete.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SKIP_WITHOUT_AWS_CLI, awsCliJson, runAwsCli } from '../../helpers/aws-cli.js';
import { ROLE_ARN, readObject, replyJson, startFirehoseServer, startHttpEndpoint, waitFor, waitForObjects, type FirehoseTestServer, type HttpEndpoint } from './helpers.js';

describe('AWS CLI: a delivery stream\'s life', { skip: SKIP_WITHOUT_AWS_CLI }, () => {
  let fh: FirehoseTestServer;
  let receiver: HttpEndpoint;
  let receiverUrl = '';
  const received: Array<{ accessKey: string | undefined; records: string[] }> = [];

  before(async () => {
    receiver = await startHttpEndpoint((req, raw, res) => {
      const body = JSON.parse(raw.toString());
      received.push({
        accessKey: req.headers['x-amz-firehose-access-key'] as string | undefined,
        records: body.records.map((record: { data: string }) => Buffer.from(record.data, 'base64').toString()),
      });
      replyJson(res, 200, JSON.stringify({ requestId: body.requestId, timestamp: Date.now() }));
    });
    receiverUrl = `${receiver.url}/ingest`;
    fh = await startFirehoseServer({ firehoseFlushRecords: 1 });
  });
  after(async () => {
    await fh.close();
    await receiver.close();
  });

  it('creates an HTTP endpoint delivery stream, puts a record, rotates the access key', async () => {
    const endpoint = fh.server.endpoint;
    await awsCliJson(endpoint, [
      'firehose', 'create-delivery-stream',
      '--delivery-stream-name', 'cli-http',
      '--http-endpoint-destination-configuration', JSON.stringify({
        EndpointConfiguration: { Url: receiverUrl, Name: 'receiver', AccessKey: 'key-1' },
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
        RequestConfiguration: { ContentEncoding: 'NONE' },
        S3BackupMode: 'FailedDataOnly',
        S3Configuration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::cli-http-backup' },
        RetryOptions: { DurationInSeconds: 60 },
      }),
    ]);
    const put = await awsCliJson(endpoint, ['firehose', 'put-record', '--delivery-stream-name', 'cli-http', '--record', JSON.stringify({ Data: Buffer.from('first').toString('base64') })]);
    assert.equal(typeof put.RecordId, 'string');
    assert.equal(put.Encrypted, false);
    await waitFor(() => (received.length >= 1 ? true : undefined));
    assert.deepEqual(received[0], { accessKey: 'key-1', records: ['first'] });

    const described = await awsCliJson(endpoint, ['firehose', 'describe-delivery-stream', '--delivery-stream-name', 'cli-http']);
    const description = described.DeliveryStreamDescription;
    assert.equal(description.Destinations[0].HttpEndpointDestinationDescription.EndpointConfiguration.AccessKey, undefined, 'the access key is never described');
    await awsCliJson(endpoint, [
      'firehose', 'update-destination',
      '--delivery-stream-name', 'cli-http',
      '--current-delivery-stream-version-id', description.VersionId,
      '--destination-id', description.Destinations[0].DestinationId,
      '--http-endpoint-destination-update', JSON.stringify({ EndpointConfiguration: { Url: receiverUrl, AccessKey: 'key-2' } }),
    ]);
    await awsCliJson(endpoint, ['firehose', 'put-record', '--delivery-stream-name', 'cli-http', '--record', JSON.stringify({ Data: Buffer.from('second').toString('base64') })]);
    await waitFor(() => (received.length >= 2 ? true : undefined));
    assert.deepEqual(received[1], { accessKey: 'key-2', records: ['second'] });
  });

  it('tags, lists tags and deletes', async () => {
    const endpoint = fh.server.endpoint;
    await awsCliJson(endpoint, [
      'firehose', 'create-delivery-stream', '--delivery-stream-name', 'cli-tags',
      '--extended-s3-destination-configuration', JSON.stringify({ RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::cli-tags', Prefix: 'raw/' }),
      '--tags', 'Key=team,Value=data',
    ]);
    await awsCliJson(endpoint, ['firehose', 'tag-delivery-stream', '--delivery-stream-name', 'cli-tags', '--tags', 'Key=env,Value=test']);
    const tags = await awsCliJson(endpoint, ['firehose', 'list-tags-for-delivery-stream', '--delivery-stream-name', 'cli-tags']);
    assert.deepEqual(tags, { Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'data' }], HasMoreTags: false });
    await awsCliJson(endpoint, ['firehose', 'untag-delivery-stream', '--delivery-stream-name', 'cli-tags', '--tag-keys', 'team']);
    assert.deepEqual((await awsCliJson(endpoint, ['firehose', 'list-tags-for-delivery-stream', '--delivery-stream-name', 'cli-tags'])).Tags, [{ Key: 'env', Value: 'test' }]);

    await awsCliJson(endpoint, ['firehose', 'put-record', '--delivery-stream-name', 'cli-tags', '--record', JSON.stringify({ Data: Buffer.from('tagged').toString('base64') })]);
    const [key] = await waitForObjects(fh.s3Root, 'cli-tags', 1);
    assert.match(key!, /^raw\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/cli-tags-1-/);
    assert.equal((await readObject(fh.s3Root, 'cli-tags', key!)).toString(), 'tagged');

    await awsCliJson(endpoint, ['firehose', 'delete-delivery-stream', '--delivery-stream-name', 'cli-tags']);
    const missing = await runAwsCli(endpoint, ['firehose', 'describe-delivery-stream', '--delivery-stream-name', 'cli-tags']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /An error occurred \(ResourceNotFoundException\) when calling the DescribeDeliveryStream operation: Firehose cli-tags under account 000000000000 not found\./);
  });

  it('prints AWS\'s validation errors', async () => {
    const endpoint = fh.server.endpoint;
    const casing = await runAwsCli(endpoint, [
      'firehose', 'create-delivery-stream', '--delivery-stream-name', 'cli-casing',
      '--extended-s3-destination-configuration', JSON.stringify({ RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::b', CompressionFormat: 'SNAPPY' }),
    ]);
    assert.notEqual(casing.code, 0);
    assert.match(casing.stderr, /\(ValidationException\) when calling the CreateDeliveryStream operation: 1 validation error detected: Value 'SNAPPY' at 'extendedS3DestinationConfiguration\.compressionFormat' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    const hints = await runAwsCli(endpoint, [
      'firehose', 'create-delivery-stream', '--delivery-stream-name', 'cli-hints',
      '--extended-s3-destination-configuration', JSON.stringify({ RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::b', BufferingHints: { SizeInMBs: 129, IntervalInSeconds: 300 } }),
    ]);
    assert.match(hints.stderr, /Value '129' at 'extendedS3DestinationConfiguration\.bufferingHints\.sizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 128/);
    const errorPrefix = await runAwsCli(endpoint, [
      'firehose', 'create-delivery-stream', '--delivery-stream-name', 'cli-error-prefix',
      '--extended-s3-destination-configuration', JSON.stringify({ RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::b', Prefix: 'p/', ErrorOutputPrefix: 'e/!{timestamp:yyyy}/' }),
    ]);
    assert.match(errorPrefix.stderr, /\(InvalidArgumentException\) when calling the CreateDeliveryStream operation: Ths supplied prefix\(es\) do not satisfy the following constraint: /);
  });
});
