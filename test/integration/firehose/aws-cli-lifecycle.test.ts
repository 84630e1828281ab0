/**
 * More of a delivery stream's life through the AWS CLI (v2, Debian's `awscli`), typed as the
 * Firehose guides show it: an HTTP endpoint destination, put-record, update-destination, tags,
 * AWS's validation errors as the CLI prints them, delete.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ROLE_ARN, readObject, startFirehoseServer, waitFor, waitForObjects, type FirehoseTestServer } from './helpers.js';

const AWS_CLI = '/usr/bin/aws';

interface CliResult {
  readonly code: number;
  readonly json: any;
  readonly stderr: string;
}

function aws(endpoint: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(AWS_CLI, [...args, '--endpoint-url', endpoint, '--output', 'json'], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent', AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
    }, (err, stdout, stderr) => {
      const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
      resolve({ code, json: stdout.trim() ? JSON.parse(stdout) : {}, stderr });
    });
  });
}

async function ok(endpoint: string, args: readonly string[]): Promise<any> {
  const result = await aws(endpoint, args);
  assert.equal(result.code, 0, `aws ${args.join(' ')} failed: ${result.stderr}`);
  return result.json;
}

describe('AWS CLI: a delivery stream\'s life', { skip: existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed (apt-get install awscli)` }, () => {
  let fh: FirehoseTestServer;
  let receiver: Server;
  let receiverUrl = '';
  const received: Array<{ accessKey: string | undefined; records: string[] }> = [];

  before(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString());
        received.push({
          accessKey: req.headers['x-amz-firehose-access-key'] as string | undefined,
          records: body.records.map((record: { data: string }) => Buffer.from(record.data, 'base64').toString()),
        });
        const answer = JSON.stringify({ requestId: body.requestId, timestamp: Date.now() });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(answer) });
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ingest`;
    fh = await startFirehoseServer({ firehoseFlushRecords: 1 });
  });
  after(async () => {
    await fh.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('creates an HTTP endpoint delivery stream, puts a record, rotates the access key', async () => {
    const endpoint = fh.server.endpoint;
    await ok(endpoint, [
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
    const put = await ok(endpoint, ['firehose', 'put-record', '--delivery-stream-name', 'cli-http', '--record', JSON.stringify({ Data: Buffer.from('first').toString('base64') })]);
    assert.equal(typeof put.RecordId, 'string');
    assert.equal(put.Encrypted, false);
    await waitFor(() => (received.length >= 1 ? true : undefined));
    assert.deepEqual(received[0], { accessKey: 'key-1', records: ['first'] });

    const described = await ok(endpoint, ['firehose', 'describe-delivery-stream', '--delivery-stream-name', 'cli-http']);
    const description = described.DeliveryStreamDescription;
    assert.equal(description.Destinations[0].HttpEndpointDestinationDescription.EndpointConfiguration.AccessKey, undefined, 'the access key is never described');
    await ok(endpoint, [
      'firehose', 'update-destination',
      '--delivery-stream-name', 'cli-http',
      '--current-delivery-stream-version-id', description.VersionId,
      '--destination-id', description.Destinations[0].DestinationId,
      '--http-endpoint-destination-update', JSON.stringify({ EndpointConfiguration: { Url: receiverUrl, AccessKey: 'key-2' } }),
    ]);
    await ok(endpoint, ['firehose', 'put-record', '--delivery-stream-name', 'cli-http', '--record', JSON.stringify({ Data: Buffer.from('second').toString('base64') })]);
    await waitFor(() => (received.length >= 2 ? true : undefined));
    assert.deepEqual(received[1], { accessKey: 'key-2', records: ['second'] });
  });

  it('tags, lists tags and deletes', async () => {
    const endpoint = fh.server.endpoint;
    await ok(endpoint, [
      'firehose', 'create-delivery-stream', '--delivery-stream-name', 'cli-tags',
      '--extended-s3-destination-configuration', JSON.stringify({ RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::cli-tags', Prefix: 'raw/' }),
      '--tags', 'Key=team,Value=data',
    ]);
    await ok(endpoint, ['firehose', 'tag-delivery-stream', '--delivery-stream-name', 'cli-tags', '--tags', 'Key=env,Value=test']);
    const tags = await ok(endpoint, ['firehose', 'list-tags-for-delivery-stream', '--delivery-stream-name', 'cli-tags']);
    assert.deepEqual(tags, { Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'data' }], HasMoreTags: false });
    await ok(endpoint, ['firehose', 'untag-delivery-stream', '--delivery-stream-name', 'cli-tags', '--tag-keys', 'team']);
    assert.deepEqual((await ok(endpoint, ['firehose', 'list-tags-for-delivery-stream', '--delivery-stream-name', 'cli-tags'])).Tags, [{ Key: 'env', Value: 'test' }]);

    await ok(endpoint, ['firehose', 'put-record', '--delivery-stream-name', 'cli-tags', '--record', JSON.stringify({ Data: Buffer.from('tagged').toString('base64') })]);
    const [key] = await waitForObjects(fh.s3Root, 'cli-tags', 1);
    assert.match(key!, /^raw\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/cli-tags-1-/);
    assert.equal((await readObject(fh.s3Root, 'cli-tags', key!)).toString(), 'tagged');

    await ok(endpoint, ['firehose', 'delete-delivery-stream', '--delivery-stream-name', 'cli-tags']);
    const missing = await aws(endpoint, ['firehose', 'describe-delivery-stream', '--delivery-stream-name', 'cli-tags']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /An error occurred \(ResourceNotFoundException\) when calling the DescribeDeliveryStream operation: Firehose cli-tags under account 000000000000 not found\./);
  });

  it('prints AWS\'s validation errors', async () => {
    const endpoint = fh.server.endpoint;
    const casing = await aws(endpoint, [
      'firehose', 'create-delivery-stream', '--delivery-stream-name', 'cli-casing',
      '--extended-s3-destination-configuration', JSON.stringify({ RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::b', CompressionFormat: 'SNAPPY' }),
    ]);
    assert.notEqual(casing.code, 0);
    assert.match(casing.stderr, /\(ValidationException\) when calling the CreateDeliveryStream operation: 1 validation error detected: Value 'SNAPPY' at 'extendedS3DestinationConfiguration\.compressionFormat' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    const hints = await aws(endpoint, [
      'firehose', 'create-delivery-stream', '--delivery-stream-name', 'cli-hints',
      '--extended-s3-destination-configuration', JSON.stringify({ RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::b', BufferingHints: { SizeInMBs: 129, IntervalInSeconds: 300 } }),
    ]);
    assert.match(hints.stderr, /Value '129' at 'extendedS3DestinationConfiguration\.bufferingHints\.sizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 128/);
    const errorPrefix = await aws(endpoint, [
      'firehose', 'create-delivery-stream', '--delivery-stream-name', 'cli-error-prefix',
      '--extended-s3-destination-configuration', JSON.stringify({ RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::b', Prefix: 'p/', ErrorOutputPrefix: 'e/!{timestamp:yyyy}/' }),
    ]);
    assert.match(errorPrefix.stderr, /\(InvalidArgumentException\) when calling the CreateDeliveryStream operation: Ths supplied prefix\(es\) do not satisfy the following constraint: /);
  });
});
